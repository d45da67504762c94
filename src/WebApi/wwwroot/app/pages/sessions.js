import { call, forget } from '../api.js';
import { h, notice, busy, table, when, confirmDialog } from '../dom.js';
import { describe } from '../errors.js';

export async function render(main) {
  const message = notice();
  const list = h('div');
  const everywhere = h('button', { type: 'button', class: 'danger' }, 'Sign out everywhere');
  everywhere.addEventListener('click', async () => {
    if (!(await confirmDialog('Sign out everywhere?', 'Every session ends, this one too, and every access token stops at once. API keys keep working.'))) return;
    await busy(everywhere, async () => {
      try {
        await call('DELETE', '/api/v1/auth/sessions');
        forget('everywhere');
      } catch (error) { message.show('error', describe(error)); }
    });
  });
  main.append(
    h('h1', {}, 'Sessions'),
    h('p', { class: 'muted' }, 'Everywhere you are signed in. If you do not recognise one, revoke it and change your password.'),
    message, list, h('div', { class: 'actions' }, everywhere));
  await load(list, message);
}

function device(agent) {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : null;
  const system = /Windows/.test(agent) ? 'Windows' : /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : null;
  return browser && system ? `${browser} on ${system}` : agent.slice(0, 60);
}

async function load(list, message) {
  let sessions;
  try {
    sessions = await call('GET', '/api/v1/auth/sessions');
  } catch (error) {
    message.show('error', describe(error));
    return;
  }
  const rows = sessions.map((s, index) => h('tr', {},
    h('td', {}, device(s.user_agent), s.current ? [' ', h('span', { class: 'tag current' }, 'This session')] : null),
    h('td', {}, s.ip ?? '—'),
    h('td', {}, when(s.created_at)),
    h('td', {}, when(s.last_used_at)),
    h('td', {}, h('button', {
      type: 'button', class: 'danger', 'aria-label': `Revoke session ${index + 1}${s.current ? ' (this session)' : ''}`,
      onclick: async (event) => {
        const text = s.current ? 'This is the session you are using: you will be signed out.' : 'That device will be signed out at once.';
        if (!(await confirmDialog('Revoke this session?', text))) return;
        await busy(event.target, async () => {
          try {
            await call('DELETE', `/api/v1/auth/sessions/${s.id}`);
            if (s.current) { forget('this-session'); return; }
            message.show('ok', 'The session was revoked.');
            await load(list, message);
          } catch (error) { message.show('error', describe(error)); }
        });
      },
    }, 'Revoke'))));
  list.replaceChildren(table('Your sessions', ['Device', 'Address', 'Started', 'Last used', 'Actions'], rows));
}
