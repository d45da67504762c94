import { h } from '../dom.js';

/** A fieldset of scope checkboxes with its own "pick at least one" message. */
export function scopePicker(legend, scopes, hint, checked = []) {
  const boxes = scopes.map((scope) => h('input', { type: 'checkbox', value: scope, checked: checked.includes(scope), id: `${legend}-${scope}`.replace(/[^A-Za-z0-9-]/g, '-') }));
  const error = h('p', { class: 'field-error', hidden: true }, 'Pick at least one.');
  const element = h('fieldset', {},
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'checks' }, boxes.map((box) => h('label', { class: 'check', for: box.id }, box, box.value))),
    error);
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  return { element, chosen, valid: () => { error.hidden = chosen().length > 0; return error.hidden; } };
}

/** One URI per line, trimmed, blanks dropped. */
export const lines = (text) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
