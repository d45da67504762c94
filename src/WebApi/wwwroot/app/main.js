// The dashboard's shell: routes (#/path), the navigation, the account menu, the step-up dialog and
// what happens when the session ends. Each page is a module in pages/ exporting render(main).

import { session, restore, logout, loadMe } from './api.js';
import { h, modal, field, announce } from './dom.js';

const routes = {
  '/signin': { page: 'signin', title: 'Sign in', public: true },
  '/signup': { page: 'signup', title: 'Create your account', public: true },
  '/': { page: 'overview', title: 'Overview', nav: 'Overview' },
  '/keys': { page: 'keys', title: 'API keys', nav: 'API keys' },
  '/2fa': { page: 'twofactor', title: 'Two-factor authentication', nav: 'Two-factor' },
  '/sessions': { page: 'sessions', title: 'Sessions', nav: 'Sessions' },
  '/password': { page: 'password', title: 'Change password', nav: 'Password' },
  '/service-accounts': { page: 'service-accounts', title: 'Service accounts', nav: 'Service accounts' },
  '/clients': { page: 'clients', title: 'OAuth clients', nav: 'OAuth clients' },
  '/apps': { page: 'apps', title: 'Authorised apps', nav: 'Authorised apps' },
  '/audit': { page: 'audit', title: 'Audit trail', nav: 'Audit trail' },
  '/admin': { page: 'admin', title: 'Administration', nav: 'Administration', admin: true },
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const account = document.getElementById('account');
let endedNotice = null;
let afterSignIn = '#/';

export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

function path() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  return hash.split('?')[0];
}

/** A notice for the sign-in page, once (e.g. "Your session has ended"). */
export function takeEndedNotice() {
  const text = endedNotice;
  endedNotice = null;
  return text;
}

export function signedIn() {
  const target = afterSignIn;
  afterSignIn = '#/';
  go(target);
}

function renderChrome(current) {
  nav.replaceChildren();
  account.replaceChildren();
  nav.hidden = !session.signedIn;
  if (!session.signedIn) return;
  const links = Object.entries(routes)
    .filter(([, r]) => r.nav && (!r.admin || session.isAdmin))
    .map(([p, r]) => h('li', {}, h('a', { href: `#${p}`, 'aria-current': p === current ? 'page' : undefined }, r.nav)));
  nav.append(h('ul', {}, links));
  const user = session.user;
  account.append(
    h('span', { class: 'muted' }, user.name || user.email),
    h('button', { type: 'button', class: 'secondary', onclick: async () => { await logout().catch(() => {}); go('#/signin'); } }, 'Sign out'));
}

let rendering = 0;
async function route() {
  const p = path();
  const r = routes[p];
  if (!r) { go('#/'); return; }
  if (!r.public && !session.signedIn) { afterSignIn = location.hash || '#/'; go('#/signin'); return; }
  if (r.public && session.signedIn) { go('#/'); return; }
  if (r.admin && !session.isAdmin) { go('#/'); return; }
  const ticket = ++rendering;
  renderChrome(p);
  document.title = `${r.title} · AuthPlatform`;
  const module = await import(`./pages/${r.page}.js`);
  if (ticket !== rendering) return;
  main.replaceChildren();
  const rendered = module.render(main);
  // Focus moves to the new page at once (its heading is drawn before any data arrives), unless the page
  // put it on a field of its own; never later, so that what the person does meanwhile keeps the focus.
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  announce(r.title);
  await rendered;
}

function stepUp() {
  return modal("Confirm it's you", (close) => {
    const input = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*', maxlength: '8', required: true });
    const form = h('form', {
      onsubmit: (event) => { event.preventDefault(); if (input.value.trim()) close(input.value.trim()); },
    },
    h('p', {}, 'This change needs a code from your authenticator app (or a recovery code).'),
    field('Authentication code', input),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Continue'),
      h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel')));
    queueMicrotask(() => input.focus());
    return form;
  });
}

session.useStepUp(stepUp);
const endings = {
  ended: 'Your session has ended. Please sign in again.',
  everywhere: 'You were signed out everywhere, this browser too.',
  'this-session': 'You revoked this session, so you were signed out.',
};
session.onEnded((reason) => {
  endedNotice = endings[reason] ?? null;
  go('#/signin');
});

// While the tab is in use, notice a session ended elsewhere (revoked, signed out everywhere, disabled).
async function check() {
  if (session.signedIn && document.visibilityState === 'visible') await loadMe().catch(() => {});
}
setInterval(check, 30_000);
window.addEventListener('focus', check);

document.querySelector('.skip-link').addEventListener('click', (event) => { event.preventDefault(); main.focus(); });
window.addEventListener('hashchange', route);

(async () => {
  try {
    await restore();
  } catch {
    // The server is unreachable: the sign-in page will say so when used.
  }
  route();
})();
