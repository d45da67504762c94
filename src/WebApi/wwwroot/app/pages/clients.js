import { call, session } from '../api.js';
import { h, field, notice, busy, empty, when, confirmDialog, secretBox } from '../dom.js';
import { describe, showFieldErrors } from '../errors.js';
import { scopePicker, lines } from './shared.js';

const GRANT_NAMES = {
  authorization_code: 'Authorization code (sign-in with a browser)',
  refresh_token: 'Refresh token',
  client_credentials: 'Client credentials (no user)',
  'urn:ietf:params:oauth:grant-type:device_code': 'Device code (TVs, command lines)',
  password: 'Password (first-party apps only)',
};

export async function render(main) {
  const message = notice();
  const shown = h('div');
  const list = h('div');
  const formSlot = h('div');
  main.append(h('h1', {}, 'OAuth clients'),
    h('p', { class: 'muted' }, 'Register the apps that sign people in with AuthPlatform (OAuth 2.0 and OpenID Connect).'),
    message, shown);
  let metadata;
  try {
    metadata = await (await fetch('/.well-known/openid-configuration')).json();
  } catch {
    message.show('error', describe(null));
    return;
  }
  const reload = () => load(list, message, shown, metadata);
  const create = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Register a client');
  create.addEventListener('click', () => {
    const open = create.getAttribute('aria-expanded') === 'true';
    create.setAttribute('aria-expanded', String(!open));
    formSlot.replaceChildren(open ? '' : clientForm(null, metadata, message, async (client) => {
      create.setAttribute('aria-expanded', 'false');
      formSlot.replaceChildren();
      shown.replaceChildren(h('section', { 'aria-label': 'New client credentials' },
        h('h2', {}, `"${client.name}" registered`),
        h('dl', { class: 'facts card' }, h('dt', {}, 'Client id'), h('dd', {}, h('code', {}, client.client_id))),
        client.client_secret ? secretBox('Client secret', client.client_secret, 'Copy the client secret now. It is shown only once.') : h('p', {}, 'A public client has no secret: it must use PKCE.'),
        h('button', { type: 'button', class: 'secondary', onclick: () => shown.replaceChildren() }, 'I have saved it')));
      await reload();
    }));
  });
  main.append(h('div', { class: 'actions' }, create), formSlot, list);
  await reload();
}

/** The register form (client null) or the edit form of a client. */
function clientForm(client, metadata, message, saved) {
  const name = h('input', { type: 'text', required: true, maxlength: '100', value: client?.name ?? '' });
  const type = h('select', {}, h('option', { value: 'confidential' }, 'Confidential (a server that keeps a secret)'), h('option', { value: 'public' }, 'Public (a browser or mobile app, PKCE)'));
  const redirects = h('textarea', { rows: '3', spellcheck: 'false' }, (client?.redirect_uris ?? []).join('\n'));
  const logouts = h('textarea', { rows: '2', spellcheck: 'false' }, (client?.post_logout_redirect_uris ?? []).join('\n'));
  const consent = h('input', { type: 'checkbox', id: `consent-${client?.id ?? 'new'}`, checked: client ? client.require_consent : true });
  const fields = {
    name: field('Name', name, 'Shown to people on the consent page.'),
    redirect_uris: field('Redirect URIs', redirects, 'One per line, matched exactly. https, or http only for localhost.'),
    post_logout_redirect_uris: field('Post-logout redirect URIs', logouts, 'Optional, one per line.'),
  };
  redirects.addEventListener('input', () => {
    const bad = lines(redirects.value).find((uri) => { try { return !new URL(uri).protocol; } catch { return true; } });
    fields.redirect_uris.setError(bad ? `"${bad}" is not an absolute URI.` : null);
  });
  const grants = scopePicker('Grant types', metadata.grant_types_supported.filter((g) => GRANT_NAMES[g]), null, client?.grant_types ?? ['authorization_code', 'refresh_token']);
  const scopes = scopePicker('Scopes', metadata.scopes_supported, 'What the app may ask people for.', client?.scopes ?? ['openid', 'profile', 'email']);
  const submit = h('button', { type: 'submit' }, client ? 'Save changes' : 'Register');
  return h('form', {
    class: 'card', novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      if (!name.value.trim()) { fields.name.setError('Give the client a name.'); return; }
      if (!grants.valid() || !scopes.valid()) return;
      const body = {
        name: name.value.trim(), redirect_uris: lines(redirects.value), post_logout_redirect_uris: lines(logouts.value),
        grant_types: grants.chosen(), scopes: scopes.chosen(), require_consent: consent.checked,
      };
      if (!client) body.type = type.value;
      busy(submit, async () => {
        try {
          const result = client ? await call('PATCH', `/api/v1/oauth/clients/${client.id}`, body) : await call('POST', '/api/v1/oauth/clients', body);
          message.show('ok', client ? `"${result.name}" was saved.` : `"${result.name}" was registered.`);
          await saved(result);
        } catch (error) {
          showFieldErrors(error, fields);
          message.show('error', describe(error));
        }
      });
    },
  },
  h('h2', {}, client ? `Edit "${client.name}"` : 'Register a client'),
  fields.name, client ? null : field('Type', type), fields.redirect_uris, fields.post_logout_redirect_uris, grants.element, scopes.element,
  h('label', { class: 'check', for: consent.id }, consent, 'Ask people for consent'),
  h('div', { class: 'actions' }, submit));
}

async function load(list, message, shown, metadata) {
  let clients;
  try {
    clients = await call('GET', '/api/v1/oauth/clients');
  } catch (error) { message.show('error', describe(error)); return; }
  if (clients.length === 0) {
    list.replaceChildren(empty(h('p', {}, 'No OAuth clients yet.'), h('p', {}, 'Register one for each app that should sign people in with AuthPlatform.')));
    return;
  }
  const reload = () => load(list, message, shown, metadata);
  list.replaceChildren(...clients.map((client) => {
    const section = h('section', { class: 'card', 'aria-label': client.name });
    const builtIn = client.owner_id === null && !session.isAdmin;
    const edit = h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${client.name}` }, 'Edit');
    edit.addEventListener('click', () => section.append(clientForm(client, metadata, message, reload)));
    const rotate = h('button', { type: 'button', class: 'secondary', 'aria-label': `Rotate the secret of ${client.name}` }, 'Rotate secret');
    rotate.addEventListener('click', async () => {
      if (!(await confirmDialog(`Rotate the secret of "${client.name}"?`, 'A new secret is issued; the old one keeps working for a grace period so the app can switch.', 'Confirm', false))) return;
      await busy(rotate, async () => {
        try {
          const answer = await call('POST', `/api/v1/oauth/clients/${client.id}/rotate-secret`, {});
          shown.replaceChildren(secretBox('New client secret', answer.client_secret, `New secret for "${client.name}": copy it now. The previous one stops at ${new Date(answer.previous_secrets_expire_at).toLocaleString()}.`));
        } catch (error) { message.show('error', describe(error)); }
      });
    });
    const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${client.name}` }, 'Delete');
    remove.addEventListener('click', async () => {
      if (!(await confirmDialog(`Delete "${client.name}"?`, 'The app can no longer sign anyone in; its tokens stop at once.'))) return;
      await busy(remove, async () => {
        try {
          await call('DELETE', `/api/v1/oauth/clients/${client.id}`);
          message.show('ok', `"${client.name}" was deleted.`);
          await reload();
        } catch (error) { message.show('error', describe(error)); }
      });
    });
    section.append(
      h('h2', {}, client.name),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Client id'), h('dd', {}, h('code', {}, client.client_id)),
        h('dt', {}, 'Type'), h('dd', {}, client.type),
        h('dt', {}, 'Redirect URIs'), h('dd', {}, client.redirect_uris.length ? client.redirect_uris.map((u) => h('div', {}, h('code', {}, u))) : '—'),
        h('dt', {}, 'Grant types'), h('dd', {}, client.grant_types.map((g) => h('span', { class: 'tag' }, g))),
        h('dt', {}, 'Scopes'), h('dd', {}, client.scopes.map((s) => h('span', { class: 'tag' }, s))),
        h('dt', {}, 'Consent'), h('dd', {}, client.require_consent ? 'Asked' : 'Not asked'),
        h('dt', {}, 'Created'), h('dd', {}, when(client.created_at))),
      builtIn ? h('p', { class: 'muted' }, 'Built into AuthPlatform; it cannot be changed here.') : h('div', { class: 'actions' }, edit, client.type === 'confidential' ? rotate : null, remove));
    return section;
  }));
}
