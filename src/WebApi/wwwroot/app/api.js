// The dashboard's only way to the server: the public REST API (docs/openapi/v1.json).
// The access token lives in this module's memory only. The refresh token is an HttpOnly, SameSite=Strict
// cookie the server sets for /api/v1/auth/refresh and /api/v1/auth/logout (ADR 0020); scripts never see it.

import { ApiError } from './errors.js';

const CSRF = { 'X-AuthPlatform-CSRF': '1' };
const COOKIE_TRANSPORT = { 'X-Refresh-Token-Transport': 'cookie' };

let accessToken = null;
let expiresAt = 0;
let me = null;
let refreshing = null;
const endListeners = new Set();
let stepUpPrompt = async () => null;

export const session = {
  get user() { return me; },
  get signedIn() { return accessToken !== null; },
  get isAdmin() { return me?.role === 'admin'; },
  onEnded(listener) { endListeners.add(listener); },
  /** How a page asks the person for an authentication code when the API answers mfa_required. */
  useStepUp(prompt) { stepUpPrompt = prompt; },
};

async function send(method, path, { body, headers = {}, auth = true } = {}) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json', ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (auth && accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, null);
  }
  return response;
}

async function read(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    const data = await response.json();
    if (response.ok) return data;
    throw new ApiError(response.status, data, Number(response.headers.get('Retry-After')) || undefined);
  }
  if (response.ok) return response;
  throw new ApiError(response.status, null, Number(response.headers.get('Retry-After')) || undefined);
}

function adopt(tokens) {
  accessToken = tokens.token;
  expiresAt = Date.now() + tokens.expires_in * 1000;
}

function end(reason) {
  const wasSignedIn = accessToken !== null;
  accessToken = null;
  me = null;
  expiresAt = 0;
  if (wasSignedIn) for (const listener of endListeners) listener(reason);
}

/**
 * Trades the refresh cookie for a new access token. One at a time, in this tab (one promise) and across
 * tabs (a Web Lock): two tabs presenting the same cookie at once would look like reuse and end the session.
 */
export function refresh() {
  refreshing ??= (async () => {
    const run = async () => read(await send('POST', '/api/v1/auth/refresh', { body: {}, headers: CSRF, auth: false }));
    try {
      const tokens = navigator.locks ? await navigator.locks.request('authplatform-refresh', run) : await run();
      adopt(tokens);
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        end('ended');
        return false;
      }
      throw error;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** On load: a refresh cookie, if any, restores the session (a reload keeps the person signed in). */
export async function restore() {
  if (!(await refresh())) return false;
  await loadMe();
  return true;
}

export async function loadMe() {
  me = await call('GET', '/api/v1/auth/me');
  return me;
}

/**
 * An authenticated call. A 401 is answered by one refresh and one retry; when the refresh is refused the
 * session is over. A 403 mfa_required asks for a code and retries with X-2FA-Code.
 */
export async function call(method, path, body, headers = {}) {
  if (accessToken && Date.now() > expiresAt - 15_000) await refresh();
  let response = await send(method, path, { body, headers });
  if (response.status === 401 && accessToken) {
    if (!(await refresh())) throw new ApiError(401, { code: 'invalid_token' });
    response = await send(method, path, { body, headers });
  }
  if (response.status === 401) {
    end('ended');
    return read(response);
  }
  if (response.status === 403 && (response.headers.get('Content-Type') ?? '').includes('json')) {
    const problem = await response.clone().json();
    if (problem.code === 'mfa_required' && !headers['X-2FA-Code']) {
      const code = await stepUpPrompt();
      if (code === null) throw new ApiError(403, { ...problem, code: 'cancelled', detail: 'Cancelled: nothing was changed.' });
      return call(method, path, body, { ...headers, 'X-2FA-Code': code });
    }
  }
  return read(response);
}

/** The image answer of an authenticated GET, as a data: URL (the page's CSP allows data: images, not blob:). */
export async function image(path) {
  const response = await call('GET', path);
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new ApiError(0, null));
    reader.readAsDataURL(blob);
  });
}

export async function register(email, password, name) {
  return read(await send('POST', '/api/v1/auth/register', { body: { email, password, name }, auth: false }));
}

/** Step one of sign-in: the session (cookie set by the server) or the 2FA challenge. */
export async function login(email, password) {
  const answer = await read(await send('POST', '/api/v1/auth/login', { body: { email, password }, headers: COOKIE_TRANSPORT, auth: false }));
  if (answer.mfa_required) return { challenge: answer.mfa_token };
  adopt(answer);
  await loadMe();
  return { user: me };
}

export async function loginSecondFactor(mfaToken, { code, recoveryCode }) {
  const answer = await read(await send('POST', '/api/v1/auth/login/2fa', {
    body: { mfa_token: mfaToken, code: code || undefined, recovery_code: recoveryCode || undefined }, headers: COOKIE_TRANSPORT, auth: false,
  }));
  adopt(answer);
  await loadMe();
  return { user: me };
}

/** Ends the session on the server (the cookie names it) and forgets the access token. */
export async function logout() {
  try {
    await read(await send('POST', '/api/v1/auth/logout', { body: {}, headers: CSRF, auth: false }));
  } finally {
    end('signed-out');
  }
}

/** After "sign out everywhere" or a revoked current session: the server already ended it. */
export function forget(reason = 'ended') { end(reason); }
