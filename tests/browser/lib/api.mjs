// The REST API from Node (docs/api.md): test data for the scenarios that are not about the page that makes it,
// and checks of what the page did (an API key works, a refresh cookie no longer does).
import { randomBytes } from 'node:crypto';
import { baseUrl, password } from './env.mjs';

export async function call(method, path, { body, token, headers = {} } = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: response.status, json, text, headers: response.headers };
}

async function expectOk(method, path, options) {
  const answer = await call(method, path, options);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
  }
  return answer.json;
}

/** A fresh e-mail address for this run: every test gets its own account. */
export function uniqueEmail(label) {
  return `${label}-${randomBytes(4).toString('hex')}@browser.test`;
}

/** Registers an account through the API (for scenarios that are not about signing up). */
export async function registerUser(label, name = `Browser ${label}`) {
  const email = uniqueEmail(label);
  await expectOk('POST', '/api/v1/auth/register', { body: { email, password, name } });
  return { email, password, name };
}

export async function login(email, pass = password) {
  return expectOk('POST', '/api/v1/auth/login', { body: { email, password: pass } });
}
