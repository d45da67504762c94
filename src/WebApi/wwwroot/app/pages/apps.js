import { call } from '../api.js';
import { h, notice, busy, table, empty, when, confirmDialog } from '../dom.js';
import { describe } from '../errors.js';

export async function render(main) {
  const message = notice();
  const list = h('div');
  main.append(h('h1', {}, 'Authorised apps'),
    h('p', { class: 'muted' }, 'Apps you allowed to act for you. Revoking one signs it out at once; it must ask again to come back.'),
    message, list);
  await load(list, message);
}

async function load(list, message) {
  let grants;
  try {
    grants = await call('GET', '/api/v1/auth/grants');
  } catch (error) { message.show('error', describe(error)); return; }
  if (grants.length === 0) {
    list.replaceChildren(empty(h('p', {}, 'You have not authorised any apps.'), h('p', {}, 'When an app asks to sign you in with AuthPlatform and you allow it, it appears here.')));
    return;
  }
  const rows = grants.map((grant) => h('tr', {},
    h('td', {}, grant.client_name),
    h('td', {}, grant.scopes.map((s) => h('span', { class: 'tag' }, s))),
    h('td', {}, when(grant.granted_at)),
    h('td', {}, h('button', {
      type: 'button', class: 'danger', 'aria-label': `Revoke ${grant.client_name}`,
      onclick: async (event) => {
        if (!(await confirmDialog(`Revoke "${grant.client_name}"?`, 'Its access and refresh tokens stop at once.'))) return;
        await busy(event.target, async () => {
          try {
            await call('DELETE', `/api/v1/auth/grants/${encodeURIComponent(grant.client_id)}`);
            message.show('ok', `"${grant.client_name}" can no longer act for you.`);
            await load(list, message);
          } catch (error) { message.show('error', describe(error)); }
        });
      },
    }, 'Revoke'))));
  list.replaceChildren(table('Authorised apps', ['App', 'Permissions', 'Allowed', 'Actions'], rows));
}
