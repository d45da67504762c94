import { call, session } from '../api.js';
import { h, field, notice, busy, table, empty, when, confirmDialog } from '../dom.js';
import { describe } from '../errors.js';

const PAGE_SIZE = 20;

export async function render(main) {
  const message = notice();
  const search = h('input', { type: 'search', autocomplete: 'off' });
  const results = h('div');
  const pager = h('div', { class: 'actions' });
  let page = 1;
  const load = async (button) => busy(button, async () => {
    try {
      const params = new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) });
      if (search.value.trim()) params.set('email', search.value.trim());
      const answer = await call('GET', `/api/v1/admin/users?${params}`);
      message.clear();
      showUsers(answer);
    } catch (error) { message.show('error', describe(error)); }
  });
  const find = h('button', { type: 'submit' }, 'Search');
  const rotate = h('button', { type: 'button', class: 'secondary' }, 'Rotate signing key');
  rotate.addEventListener('click', async () => {
    if (!(await confirmDialog('Rotate the signing key?', 'A new key signs new tokens; tokens signed by the old key stay valid until they expire.', 'Confirm', false))) return;
    await busy(rotate, async () => {
      try {
        const answer = await call('POST', '/api/v1/admin/signing-keys/rotate');
        message.show('ok', `New signing key ${answer.kid} is published.`);
      } catch (error) { message.show('error', describe(error)); }
    });
  });

  const act = (user, verb, request, text) => h('button', {
    type: 'button', class: verb === 'Disable' ? 'danger' : 'secondary', 'aria-label': `${verb} ${user.email}`,
    onclick: async (event) => {
      if (!(await confirmDialog(`${verb} ${user.email}?`, text, 'Confirm', verb === 'Disable'))) return;
      await busy(event.target, async () => {
        try {
          await request();
          message.show('ok', `${user.email}: done.`);
          await load(find);
        } catch (error) { message.show('error', describe(error)); }
      });
    },
  }, verb);

  const showUsers = (answer) => {
    if (answer.items.length === 0) {
      results.replaceChildren(empty(h('p', {}, 'No account matches.')));
      pager.replaceChildren();
      return;
    }
    const rows = answer.items.map((user) => h('tr', {},
      h('td', {}, user.name), h('td', {}, user.email), h('td', {}, user.role),
      h('td', {},
        user.disabled ? h('span', { class: 'tag bad' }, 'Disabled') : null,
        user.locked ? h('span', { class: 'tag bad' }, 'Locked') : null,
        user.two_factor_enabled ? h('span', { class: 'tag current' }, '2FA') : null),
      h('td', {}, when(user.created_at)),
      h('td', {}, user.id === session.user.id ? h('span', { class: 'muted' }, 'You') : h('div', { class: 'actions' },
        user.locked ? act(user, 'Unlock', () => call('POST', `/api/v1/admin/users/${user.id}/unlock`), 'The account can sign in again.') : null,
        user.disabled
          ? act(user, 'Enable', () => call('POST', `/api/v1/admin/users/${user.id}/enable`), 'The account can sign in again.')
          : act(user, 'Disable', () => call('POST', `/api/v1/admin/users/${user.id}/disable`), 'Its sessions, tokens and keys stop at once.'),
        act(user, user.role === 'admin' ? 'Make user' : 'Make admin',
          () => call('PUT', `/api/v1/admin/users/${user.id}/role`, { role: user.role === 'admin' ? 'user' : 'admin' }),
          user.role === 'admin' ? 'The account loses administration.' : 'The account can administer everyone.')))));
    results.replaceChildren(table('Accounts', ['Name', 'Email', 'Role', 'State', 'Created', 'Actions'], rows));
    const pages = Math.max(1, Math.ceil(answer.total / answer.page_size));
    const prev = h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: (e) => { page -= 1; load(e.target); } }, 'Previous page');
    const next = h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: (e) => { page += 1; load(e.target); } }, 'Next page');
    pager.replaceChildren(prev, next, h('span', { class: 'muted' }, `Page ${page} of ${pages} (${answer.total} accounts)`));
  };

  main.append(
    h('h1', {}, 'Administration'),
    message,
    h('section', { class: 'card', 'aria-labelledby': 'adm-keys' },
      h('h2', { id: 'adm-keys' }, 'Signing keys'),
      h('p', {}, 'Tokens are signed with a key published at ', h('a', { href: '/.well-known/jwks.json' }, '/.well-known/jwks.json'), '. Rotate it on a schedule or at once if you suspect it leaked.'),
      h('div', { class: 'actions' }, rotate)),
    h('section', { 'aria-labelledby': 'adm-users' },
      h('h2', { id: 'adm-users' }, 'Accounts'),
      h('form', { class: 'actions', role: 'search', onsubmit: (event) => { event.preventDefault(); page = 1; load(find); } },
        field('Search by email', search), find),
      results, pager),
    h('p', {}, "Everyone's security events are in the ", h('a', { href: '#/audit' }, 'audit trail'), '.'));
  await load(find);
}
