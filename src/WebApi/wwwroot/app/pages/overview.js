import { call, session } from '../api.js';
import { h, notice, when } from '../dom.js';
import { describe } from '../errors.js';

export async function render(main) {
  const user = session.user;
  const message = notice();
  main.append(h('h1', {}, 'Overview'), message);
  try {
    const [twoFactor, keys, sessions] = await Promise.all([
      call('GET', '/api/v1/auth/2fa'),
      call('GET', '/api/v1/auth/api-keys'),
      call('GET', '/api/v1/auth/sessions'),
    ]);
    const liveKeys = keys.filter((k) => !k.revoked_at && !(k.expires_at && new Date(k.expires_at) < new Date()));
    main.append(
      h('p', {}, `Welcome, ${user.name}.`),
      twoFactor.enabled ? null : h('div', { class: 'notice warn' },
        'Two-factor authentication is off. ', h('a', { href: '#/2fa' }, 'Turn it on'), ' so that a stolen password is not enough to get in.'),
      h('div', { class: 'grid' },
        h('section', { class: 'card', 'aria-labelledby': 'ov-account' },
          h('h2', { id: 'ov-account' }, 'Your account'),
          h('dl', { class: 'facts' },
            h('dt', {}, 'Email'), h('dd', {}, user.email ?? '—'),
            h('dt', {}, 'Role'), h('dd', {}, user.role),
            h('dt', {}, 'Since'), h('dd', {}, when(user.created_at)))),
        h('section', { class: 'card', 'aria-labelledby': 'ov-2fa' },
          h('h2', { id: 'ov-2fa' }, 'Two-factor'),
          h('p', {}, twoFactor.enabled ? `On, ${twoFactor.recovery_codes_left} recovery codes left.` : 'Off.'),
          h('a', { href: '#/2fa' }, twoFactor.enabled ? 'Manage two-factor' : 'Set up two-factor')),
        h('section', { class: 'card', 'aria-labelledby': 'ov-keys' },
          h('h2', { id: 'ov-keys' }, 'API keys'),
          h('p', {}, liveKeys.length === 0 ? 'No active keys yet.' : `${liveKeys.length} active key${liveKeys.length === 1 ? '' : 's'}.`),
          h('a', { href: '#/keys' }, liveKeys.length === 0 ? 'Create your first key' : 'Manage keys')),
        h('section', { class: 'card', 'aria-labelledby': 'ov-sessions' },
          h('h2', { id: 'ov-sessions' }, 'Sessions'),
          h('p', {}, `${sessions.length} signed-in session${sessions.length === 1 ? '' : 's'}.`),
          h('a', { href: '#/sessions' }, 'Review sessions'))));
  } catch (error) {
    message.show('error', describe(error));
  }
}
