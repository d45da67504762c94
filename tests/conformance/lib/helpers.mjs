// Shared by the suite's files: the fixture written by setup.mjs, the clients' configurations, and a
// small browser (cookie jar, forms, manual redirects) that signs a user in through the HTML pages of
// /oauth/authorize the way a person would.
//
// The only concession to the test environment is the libraries' own switch for plain HTTP on
// loopback (`allowInsecureRequests`): every response is still validated in full.
import { readFileSync } from 'node:fs';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { currentStep, totp } from './totp.mjs';

const fixturePath = process.env.CONFORMANCE_FIXTURE;
if (!fixturePath) {
  throw new Error('CONFORMANCE_FIXTURE is not set: run the suite with tests/conformance/run.sh');
}

export const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
export const issuer = new URL(fixture.base_url);
export const redirectUri = fixture.redirect_uri;
export const users = fixture.users;

/** oauth4webapi's option for plain HTTP (the server listens on loopback only). */
export const insecure = { [oauth.allowInsecureRequests]: true };

/** An openid-client Configuration for a client of the fixture, from discovery. */
export async function configure(kind, { auth = 'basic', secret } = {}) {
  if (kind === 'service_account') {
    const sa = fixture.service_account;
    return discover(sa.client_id, secret ?? sa.client_secret, auth);
  }

  const registered = fixture.clients[kind];
  if (!registered) {
    throw new Error(`the fixture has no ${kind} client (setup could not create it)`);
  }

  return discover(registered.client_id, secret ?? registered.client_secret, registered.client_secret ? auth : 'none');
}

function discover(clientId, clientSecret, auth) {
  const methods = {
    basic: () => client.ClientSecretBasic(clientSecret),
    post: () => client.ClientSecretPost(clientSecret),
    none: () => client.None(),
  };
  return client.discovery(issuer, clientId, clientSecret ? { client_secret: clientSecret } : undefined, methods[auth](), {
    execute: [client.allowInsecureRequests],
  });
}

/** The parameters of a code request with PKCE (S256), state and nonce, and the values to check the answer with. */
export async function codeRequest(config, scope = 'openid profile email', extra = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, codeVerifier, state, nonce };
}

/** A user's TOTP code for a step after the last one this process used (a code is accepted once). */
let lastStep = null;
export function nextTotp(user) {
  lastStep = Math.max(currentStep(), (lastStep ?? user.totp_last_step) + 1);
  return totp(user.totp_secret, lastStep);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      return String.fromCodePoint(name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag) {
  const found = {};
  for (const [, name, , double, single, bare] of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    found[name.toLowerCase()] = decode(double ?? single ?? bare ?? '');
  }
  return found;
}

/** The first form of a page: its action and its inputs (name -> value). */
export function parseForm(html) {
  const form = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  if (!form) {
    return null;
  }
  const inputs = {};
  for (const [tag] of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const { name, value } = attributes(tag.slice('<input'.length, -1));
    if (name) {
      inputs[name] = value ?? '';
    }
  }
  return { action: attributes(form[1]).action ?? '', inputs };
}

/** The Set-Cookie lines of an answer (Node.js 18's Headers has no getSetCookie: split the joined value). */
function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') {
    return headers.getSetCookie();
  }
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+=)/).map((line) => line.trim()) : [];
}

/** A minimal browser: keeps cookies, never follows a redirect by itself. */
export class Browser {
  cookies = new Map();

  async request(url, init = {}) {
    const target = new URL(url, issuer);
    const headers = new Headers(init.headers);
    const jar = [...this.cookies].filter(([, c]) => target.pathname.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`);
    if (jar.length > 0 && target.origin === issuer.origin) {
      headers.set('cookie', jar.join('; '));
    }
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of setCookies(response.headers)) {
      const [pair, ...rest] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const options = Object.fromEntries(rest.map((p) => p.trim().split('=')).map(([k, v]) => [k.toLowerCase(), v ?? '']));
      const expired = options['max-age'] === '0' || (options.expires && Date.parse(options.expires) <= Date.now());
      if (expired || value === '') {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, { value, path: options.path || '/' });
      }
    }
    return response;
  }

  get(url) {
    return this.request(url);
  }

  post(url, fields) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/**
 * Opens the authorization URL and answers every page (login, second factor, consent) until the
 * server redirects to the application's redirect URI; returns that URL (with code or error).
 * `decision` is the consent button to press.
 */
export async function signIn(url, user, { browser = new Browser(), decision = 'approve', pages = [] } = {}) {
  let response = await browser.get(url);
  for (let step = 0; step < 8; step++) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location'), issuer);
      if (location.href.startsWith(redirectUri)) {
        return location;
      }
      response = await browser.get(location);
      continue;
    }

    const html = await response.text();
    const form = response.status === 200 ? parseForm(html) : null;
    if (!form) {
      throw new Error(`the sign-in stopped at a ${response.status} page: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
    }

    const action = new URL(form.action, issuer);
    const fields = { ...form.inputs };
    if ('password' in fields) {
      pages.push('login');
      Object.assign(fields, { email: user.email, password: fixture.password });
    } else if ('code' in fields) {
      pages.push('second_factor');
      fields.code = nextTotp(user);
    } else if (action.pathname.endsWith('/consent')) {
      pages.push('consent');
      fields.decision = decision;
    } else {
      throw new Error(`unexpected form posting to ${action.pathname}`);
    }
    response = await browser.post(action, fields);
  }
  throw new Error('no redirect to the application after 8 steps');
}

/** Signs in and redeems the code with openid-client (which validates the id_token, nonce, state and iss). */
export async function codeFlow(config, user, { scope = 'openid profile email', browser, pages } = {}) {
  const request = await codeRequest(config, scope);
  const callback = await signIn(request.url, user, { browser, pages });
  const tokens = await explained(client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: scope.split(' ').includes('openid'),
  }));
  return { request, callback, tokens };
}

/**
 * Adds what the server answered to a library error's message (the error object is kept as the
 * cause), so a failing test shows `invalid_client: ...` rather than only the library's wording.
 */
export async function explained(promise) {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`${error.name}: ${error.message}${await answerOf(error)}`, { cause: error });
  }
}

async function answerOf(error) {
  if (error instanceof client.ResponseBodyError) {
    return ` (HTTP ${error.status}: ${error.error}: ${error.error_description ?? ''})`;
  }
  if (error instanceof client.WWWAuthenticateChallengeError && error.response) {
    const body = await error.response.clone().text().catch(() => '');
    return ` (HTTP ${error.status}, WWW-Authenticate ${error.cause?.[0]?.scheme}: ${body.slice(0, 300)})`;
  }
  if (error?.cause?.status) {
    return ` (HTTP ${error.cause.status})`;
  }
  return '';
}

/** Runs `action` and returns the error it throws (fails when it does not throw). */
export async function rejection(action) {
  try {
    await action();
  } catch (error) {
    error.detail = await answerOf(error); // for assertion messages: what the server answered
    return error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

export { client, oauth };
