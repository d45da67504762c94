import { call, session } from '../api.js';
import { h, field, notice, busy, table, empty, when } from '../dom.js';
import { describe } from '../errors.js';

const PAGE = 25;
const TYPES = ['login.succeeded', 'login.failed', 'account.locked', 'token.refreshed', 'refresh_token.reused', 'session.revoked', 'sessions.revoked_all',
  'password.changed', 'mfa.enabled', 'mfa.disabled', 'mfa.failed', 'mfa.recovery_code_used', 'mfa.recovery_codes_regenerated',
  'api_key.created', 'api_key.rotated', 'api_key.revoked', 'api_key.deleted', 'service_account.created', 'service_account.deleted',
  'service_account.secret_added', 'service_account.secret_deleted', 'oauth_client.created', 'oauth_client.updated', 'oauth_client.deleted',
  'oauth_client.secret_rotated', 'oauth.consent_granted', 'oauth.consent_revoked', 'oauth.token_issued', 'oauth.token_refused', 'oauth.token_revoked',
  'oauth.code_reused', 'oauth.client_authentication_failed', 'user.registered', 'account.disabled', 'account.enabled', 'account.unlocked',
  'account.role_changed', 'signing_key.rotated'];

/** The API pages by time: the next page is everything up to the oldest instant shown (inclusive, so ids already shown are skipped). */
export async function render(main) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const message = notice();
  const type = h('select', {}, h('option', { value: '' }, 'All events'), TYPES.map((t) => h('option', { value: t }, t)));
  const from = h('input', { type: 'datetime-local' });
  const to = h('input', { type: 'datetime-local' });
  const results = h('div');
  const previous = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const pageLabel = h('span', { class: 'muted', role: 'status' });
  const pages = []; // each page shown so far: its `to` bound and the ids at that instant already shown
  let current = null;

  const query = (upTo) => {
    const params = new URLSearchParams({ limit: String(PAGE + 10) });
    if (type.value) params.set('type', type.value);
    if (from.value) params.set('from', new Date(from.value).toISOString());
    const bound = upTo ?? (to.value ? new Date(to.value).toISOString() : null);
    if (bound) params.set('to', bound);
    return `/api/v1/audit-events?${params}`;
  };

  const load = async (button, upTo, seen) => busy(button, async () => {
    try {
      if (from.value && to.value && new Date(to.value) < new Date(from.value)) { message.show('error', '"To" must be after "From".'); return; }
      const events = (await call('GET', query(upTo))).filter((e) => !seen?.has(e.id)).slice(0, PAGE);
      message.clear();
      current = { upTo, events };
      show(events);
      previous.disabled = pages.length <= 1;
      next.disabled = events.length < PAGE;
      pageLabel.textContent = `Page ${pages.length}`;
    } catch (error) { message.show('error', describe(error)); }
  });

  const show = (events) => {
    if (events.length === 0) {
      results.replaceChildren(empty(h('p', {}, 'No events match.'), h('p', {}, 'Widen the time range or choose "All events".')));
      return;
    }
    const admin = session.isAdmin;
    const rows = events.map((e) => h('tr', {},
      h('td', {}, when(e.occurred_at)),
      h('td', {}, h('code', {}, e.type)),
      h('td', {}, outcome(e.type)),
      admin ? h('td', {}, e.user_id ? h('code', {}, e.user_id.slice(0, 8)) : '—') : null,
      h('td', {}, e.ip ?? '—'),
      h('td', {}, e.client_id ?? '—'),
      h('td', {}, details(e.details))));
    const headers = ['Time', 'Event', 'Outcome', ...(admin ? ['User'] : []), 'Address', 'Client', 'Details'];
    results.replaceChildren(table(`Audit events, times in ${zone}`, headers, rows));
  };

  const apply = h('button', { type: 'submit' }, 'Apply');
  const filters = h('form', {
    class: 'card',
    onsubmit: (event) => { event.preventDefault(); pages.length = 0; pages.push({}); load(apply, null); },
  }, h('div', { class: 'grid' }, field('Event type', type), field('From', from), field('To', to)), h('div', { class: 'actions' }, apply));
  next.addEventListener('click', () => {
    const events = current.events;
    const oldest = events[events.length - 1].occurred_at;
    const page = { upTo: oldest, seen: new Set(events.filter((e) => e.occurred_at === oldest).map((e) => e.id)) };
    pages.push(page);
    load(next, page.upTo, page.seen);
  });
  previous.addEventListener('click', () => { pages.pop(); const page = pages[pages.length - 1]; load(previous, page.upTo, page.seen); });
  main.append(
    h('h1', {}, 'Audit trail'),
    h('p', { class: 'muted' }, session.isAdmin ? `Everyone's security events, newest first. Times are in your time zone (${zone}).` : `Your security events, newest first. Times are in your time zone (${zone}).`),
    filters, message, results, h('div', { class: 'actions' }, previous, next, pageLabel));
  pages.push({});
  await load(apply, null);
}

function outcome(type) {
  const failed = /failed|reused|refused|locked|rejected/.test(type);
  return h('span', { class: failed ? 'tag bad' : 'tag' }, failed ? 'Failure' : 'Success');
}

function details(value) {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
  return h('span', { class: 'mono' }, text);
}
