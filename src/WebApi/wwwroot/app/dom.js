// DOM helpers: elements are built with h(), text always through text nodes (never parsed as HTML), so
// nothing the API answers can inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'for') el.htmlFor = value;
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let ids = 0;
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A labelled input with its hint and an error slot wired to aria-describedby. */
export function field(label, input, hint) {
  input.id ||= uid('f');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: uid('err'), hidden: true });
  const described = [hintEl?.id, errorEl.id].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  const wrap = h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl, errorEl);
  wrap.setError = (message) => {
    errorEl.hidden = !message;
    errorEl.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  };
  return wrap;
}

/** A notice area: role=alert for errors (announced at once), role=status for the rest. */
export function notice() {
  const el = h('div', { class: 'notice', role: 'alert' });
  el.show = (kind, message) => {
    el.className = `notice ${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.textContent = message ?? '';
  };
  el.clear = () => { el.className = 'notice'; el.textContent = ''; };
  return el;
}

/** Disables the button and shows progress while the operation runs. */
export async function busy(button, operation) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.prepend(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
  try {
    return await operation();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows)));
}

export const empty = (...children) => h('div', { class: 'card empty' }, ...children);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** An instant in the viewer's time zone, with the ISO value in a <time> element. */
export function when(iso, fallback = '—') {
  if (!iso) return fallback;
  const date = new Date(iso);
  return h('time', { datetime: date.toISOString(), title: date.toString() }, dateTime.format(date));
}

/** A modal dialog; resolves with the value the content gives to close(value), or null when cancelled. */
export function modal(title, build) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const dialog = h('dialog', { 'aria-labelledby': titleId });
    let result = null;
    const close = (value) => { result = value; dialog.close(); };
    dialog.append(h('h2', { id: titleId }, title), build(close));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export function confirmDialog(title, text, confirmLabel = 'Confirm', danger = true) {
  return modal(title, (close) => h('div', {},
    h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: danger ? 'danger' : '', onclick: () => close(true) }, confirmLabel),
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'))));
}

/** A read-only secret shown once, with a Copy button and the warning. */
export function secretBox(label, value, warning) {
  const input = h('input', { type: 'text', readonly: true, value, 'aria-label': label, class: 'mono', spellcheck: 'false' });
  const status = h('span', { role: 'status', class: 'muted' });
  const copy = h('button', {
    type: 'button', class: 'secondary', onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        status.textContent = 'Copied.';
      } catch {
        input.select();
        status.textContent = 'Select the text and copy it (the browser refused the clipboard).';
      }
    },
  }, 'Copy');
  return h('div', { class: 'notice warn' },
    h('p', {}, h('strong', {}, warning)),
    h('div', { class: 'secret-box' }, input, copy, status));
}

export function announce(message) {
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = message; }, 50);
}

export function download(filename, text) {
  const link = h('a', { href: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}
