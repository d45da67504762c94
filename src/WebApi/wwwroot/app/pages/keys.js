import { call, session } from '../api.js';
import { h, field, notice, busy, table, empty, when, confirmDialog, secretBox } from '../dom.js';
import { describe, showFieldErrors } from '../errors.js';
import { scopePicker } from './shared.js';

const EXPIRIES = [['Never', 0], ['30 days', 30], ['90 days', 90], ['1 year', 365]];

export async function render(main) {
  const message = notice();
  const shown = h('div');
  const list = h('div');
  const createButton = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Create API key');
  const formSlot = h('div');
  createButton.addEventListener('click', () => {
    const open = createButton.getAttribute('aria-expanded') === 'true';
    createButton.setAttribute('aria-expanded', String(!open));
    formSlot.replaceChildren(open ? '' : createForm(message, shown, () => load(list, message, shown)));
  });
  main.append(
    h('h1', {}, 'API keys'),
    h('p', { class: 'muted' }, 'Keys let a program act as you, with only the permissions you pick. Send one in the X-API-Key header.'),
    message, shown,
    h('div', { class: 'actions' }, createButton), formSlot, list);
  await load(list, message, shown);
}

function createForm(message, shown, reload) {
  const name = h('input', { type: 'text', required: true, maxlength: '100', autocomplete: 'off' });
  const nameField = field('Name', name, 'What the key is for, e.g. "CI deploys".');
  const permissions = scopePicker('Permissions', session.user.auth.scopes, 'Pick only what the program needs. A key can never do more than you can.');
  const expires = h('select', {}, EXPIRIES.map(([label, days]) => h('option', { value: String(days) }, label)));
  expires.value = '90';
  const submit = h('button', { type: 'submit' }, 'Create key');
  return h('form', {
    class: 'card',
    novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      nameField.setError(name.value.trim() ? null : 'Give the key a name.');
      if (!permissions.valid() || !name.value.trim()) return;
      const chosen = permissions.chosen();
      const days = Number(expires.value);
      const body = { name: name.value.trim(), permissions: chosen };
      if (days) body.expires_at = new Date(Date.now() + days * 86_400_000).toISOString();
      busy(submit, async () => {
        try {
          const key = await call('POST', '/api/v1/auth/api-keys', body);
          event.target.remove();
          showOnce(shown, `Key "${key.name}" created`, key.key);
          message.clear();
          await reload();
        } catch (error) {
          showFieldErrors(error, { name: nameField });
          message.show('error', describe(error));
        }
      });
    },
  }, h('h2', {}, 'New API key'), nameField, permissions.element, field('Expires', expires), h('div', { class: 'actions' }, submit));
}

function showOnce(shown, title, key) {
  shown.replaceChildren(h('section', { 'aria-label': title },
    h('h2', {}, title),
    secretBox('New API key', key, 'Copy this key now. It is shown only once: AuthPlatform keeps only a hash of it.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => shown.replaceChildren() }, 'I have saved it')));
  shown.querySelector('input').focus();
}

function status(key) {
  if (key.revoked_at) return h('span', { class: 'tag bad' }, 'Revoked');
  if (key.expires_at && new Date(key.expires_at) < new Date()) return h('span', { class: 'tag bad' }, 'Expired');
  return h('span', { class: 'tag current' }, 'Active');
}

async function load(list, message, shown) {
  let keys;
  try {
    keys = await call('GET', '/api/v1/auth/api-keys');
  } catch (error) {
    message.show('error', describe(error));
    return;
  }
  if (keys.length === 0) {
    list.replaceChildren(empty(h('p', {}, 'You have no API keys yet.'), h('p', {}, 'Choose "Create API key" to make one for a script or a service.')));
    return;
  }
  const act = (label, key, verb, run, done) => h('button', {
    type: 'button', class: verb === 'Rotate' ? 'secondary' : 'danger', 'aria-label': `${verb} ${key.name}`,
    onclick: async (event) => {
      const ok = await confirmDialog(`${verb} "${key.name}"?`, label, 'Confirm', verb !== 'Rotate');
      if (!ok) return;
      await busy(event.target, async () => {
        try {
          const result = await run();
          message.show('ok', done);
          if (result?.key) showOnce(shown, `Key "${key.name}" rotated`, result.key);
          await load(list, message, shown);
        } catch (error) {
          message.show('error', describe(error));
        }
      });
    },
  }, verb);
  const rows = keys.map((key) => h('tr', {},
    h('td', {}, key.name),
    h('td', {}, h('code', {}, `${key.key_prefix}…`)),
    h('td', {}, key.permissions.map((p) => h('span', { class: 'tag' }, p))),
    h('td', {}, status(key)),
    h('td', {}, when(key.expires_at, 'Never')),
    h('td', {}, when(key.last_used_at, 'Never used')),
    h('td', {}, h('div', { class: 'actions' },
      key.revoked_at ? null : act('A new secret replaces the old one, which stops working at once.', key, 'Rotate',
        () => call('POST', `/api/v1/auth/api-keys/${key.id}/rotate`), `"${key.name}" was rotated.`),
      key.revoked_at ? null : act('Programs using this key will be refused from now on.', key, 'Revoke',
        () => call('POST', `/api/v1/auth/api-keys/${key.id}/revoke`), `"${key.name}" was revoked.`),
      act('The key and its history here are removed.', key, 'Delete',
        () => call('DELETE', `/api/v1/auth/api-keys/${key.id}`), `"${key.name}" was deleted.`)))));
  list.replaceChildren(table('Your API keys', ['Name', 'Prefix', 'Permissions', 'Status', 'Expires', 'Last used', 'Actions'], rows));
}
