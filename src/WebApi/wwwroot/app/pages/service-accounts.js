import { call, session } from '../api.js';
import { h, field, notice, busy, table, empty, when, confirmDialog, secretBox } from '../dom.js';
import { describe, showFieldErrors } from '../errors.js';
import { scopePicker } from './shared.js';

export async function render(main) {
  const message = notice();
  const shown = h('div');
  const list = h('div');
  const formSlot = h('div');
  const create = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Create service account');
  const reload = () => load(list, message, shown);
  create.addEventListener('click', () => {
    const open = create.getAttribute('aria-expanded') === 'true';
    create.setAttribute('aria-expanded', String(!open));
    formSlot.replaceChildren(open ? '' : createForm(message, shown, reload, () => { create.setAttribute('aria-expanded', 'false'); formSlot.replaceChildren(); }));
  });
  main.append(
    h('h1', {}, 'Service accounts'),
    h('p', { class: 'muted' }, 'A service account is a backend that signs in by itself: it trades its client id and secret for short-lived tokens (client credentials) or holds API keys.'),
    message, shown, h('div', { class: 'actions' }, create), formSlot, list);
  await reload();
}

function createForm(message, shown, reload, closeForm) {
  const name = h('input', { type: 'text', required: true, maxlength: '100', autocomplete: 'off' });
  const description = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
  const fields = { name: field('Name', name), description: field('Description', description, 'Optional.') };
  const scopes = scopePicker('Scopes', session.user.auth.scopes.filter((s) => s !== 'admin'), 'What its tokens may do.');
  const submit = h('button', { type: 'submit' }, 'Create');
  return h('form', {
    class: 'card', novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      fields.name.setError(name.value.trim() ? null : 'Give it a name.');
      if (!name.value.trim() || !scopes.valid()) return;
      busy(submit, async () => {
        try {
          const account = await call('POST', '/api/v1/service-accounts', { name: name.value.trim(), description: description.value.trim() || undefined, scopes: scopes.chosen() });
          closeForm();
          shown.replaceChildren(h('section', { 'aria-label': 'New service account credentials' },
            h('h2', {}, `"${account.name}" created`),
            h('dl', { class: 'facts card' }, h('dt', {}, 'Client id'), h('dd', {}, h('code', {}, account.client_id))),
            secretBox('Client secret', account.client_secret, 'Copy the client secret now. It is shown only once.'),
            h('button', { type: 'button', class: 'secondary', onclick: () => shown.replaceChildren() }, 'I have saved it')));
          message.clear();
          await reload();
        } catch (error) {
          showFieldErrors(error, fields);
          message.show('error', describe(error));
        }
      });
    },
  }, h('h2', {}, 'New service account'), fields.name, fields.description, scopes.element, h('div', { class: 'actions' }, submit));
}

async function load(list, message, shown) {
  let accounts;
  try {
    accounts = await call('GET', '/api/v1/service-accounts');
  } catch (error) { message.show('error', describe(error)); return; }
  if (accounts.length === 0) {
    list.replaceChildren(empty(h('p', {}, 'No service accounts yet.'), h('p', {}, 'Create one for each backend that calls your APIs on its own.')));
    return;
  }
  list.replaceChildren(...accounts.map((account) => card(account, list, message, shown)));
}

function card(account, list, message, shown) {
  const reload = () => load(list, message, shown);
  const run = async (button, work, done) => busy(button, async () => {
    try {
      await work();
      if (done) message.show('ok', done);
      await reload();
    } catch (error) { message.show('error', describe(error)); }
  });
  const addSecret = h('button', { type: 'button', class: 'secondary', 'aria-label': `Add a secret to ${account.name}` }, 'Add secret');
  addSecret.addEventListener('click', () => busy(addSecret, async () => {
    try {
      const secret = await call('POST', `/api/v1/service-accounts/${account.id}/secrets`, {});
      shown.replaceChildren(secretBox('New client secret', secret.client_secret, `New secret for "${account.name}": copy it now, it is shown only once.`));
      await reload();
    } catch (error) { message.show('error', describe(error)); }
  }));
  const addKey = h('button', { type: 'button', class: 'secondary', 'aria-label': `Create an API key for ${account.name}` }, 'Create API key');
  addKey.addEventListener('click', () => busy(addKey, async () => {
    try {
      const key = await call('POST', `/api/v1/service-accounts/${account.id}/api-keys`, { name: `${account.name} key`, permissions: account.scopes });
      shown.replaceChildren(secretBox('New API key', key.key, `API key for "${account.name}": copy it now, it is shown only once.`));
      await reload();
    } catch (error) { message.show('error', describe(error)); }
  }));
  const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${account.name}` }, 'Delete');
  remove.addEventListener('click', async () => {
    if (await confirmDialog(`Delete "${account.name}"?`, 'Its tokens, refresh tokens and keys stop working at once.')) {
      await run(remove, () => call('DELETE', `/api/v1/service-accounts/${account.id}`), `"${account.name}" was deleted.`);
    }
  });
  const secrets = account.secrets.map((secret, index) => h('tr', {},
    h('td', {}, `Secret ${index + 1}`), h('td', {}, when(secret.created_at)), h('td', {}, when(secret.expires_at, 'Never')),
    h('td', {}, h('button', {
      type: 'button', class: 'danger', 'aria-label': `Delete secret ${index + 1} of ${account.name}`,
      onclick: async (event) => {
        if (await confirmDialog('Delete this secret?', 'Backends still using it will be refused.')) {
          await run(event.target, () => call('DELETE', `/api/v1/service-accounts/${account.id}/secrets/${secret.id}`), 'The secret was deleted.');
        }
      },
    }, 'Delete'))));
  const keys = h('div');
  call('GET', `/api/v1/service-accounts/${account.id}/api-keys`).then((list2) => {
    keys.replaceChildren(list2.length === 0 ? h('p', { class: 'muted' }, 'No API keys.') : table(`API keys of ${account.name}`, ['Name', 'Prefix', 'Permissions', 'Last used'],
      list2.map((k) => h('tr', {}, h('td', {}, k.name), h('td', {}, h('code', {}, `${k.key_prefix}…`)), h('td', {}, k.permissions.join(' ')), h('td', {}, when(k.last_used_at, 'Never used'))))));
  }).catch((error) => keys.replaceChildren(h('p', { class: 'field-error' }, describe(error))));
  return h('section', { class: 'card', 'aria-label': account.name },
    h('h2', {}, account.name),
    account.description ? h('p', {}, account.description) : null,
    h('dl', { class: 'facts' },
      h('dt', {}, 'Client id'), h('dd', {}, h('code', {}, account.client_id)),
      h('dt', {}, 'Scopes'), h('dd', {}, account.scopes.map((s) => h('span', { class: 'tag' }, s))),
      h('dt', {}, 'Created'), h('dd', {}, when(account.created_at))),
    h('h3', {}, 'Secrets'),
    table(`Secrets of ${account.name}`, ['Secret', 'Created', 'Expires', 'Actions'], secrets),
    h('h3', {}, 'API keys'),
    keys,
    h('div', { class: 'actions' }, addSecret, addKey, remove));
}
