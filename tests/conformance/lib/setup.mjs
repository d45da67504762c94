// Creates the suite's test data through the server's REST API (docs/api.md) and writes it as JSON
// to the file named by CONFORMANCE_FIXTURE. Run once by run.sh after the server is ready.
//
//   admin (bootstrap)      creates a service account, OAuth clients (code flow, device flow, password)
//   alice                  a user without 2FA
//   bob                    a user with 2FA (TOTP enrolled here)
//   carol                  a user with 2FA, for the device flow's file alone
import { writeFile } from 'node:fs/promises';
import { currentStep, totp } from './totp.mjs';

const base = process.env.CONFORMANCE_BASE_URL;
const fixturePath = process.env.CONFORMANCE_FIXTURE;
const redirectUri = process.env.CONFORMANCE_REDIRECT_URI;
const adminEmail = process.env.CONFORMANCE_ADMIN_EMAIL;
const adminPassword = process.env.CONFORMANCE_ADMIN_PASSWORD;
if (!base || !fixturePath || !redirectUri || !adminEmail || !adminPassword) {
  throw new Error('CONFORMANCE_BASE_URL, CONFORMANCE_FIXTURE, CONFORMANCE_REDIRECT_URI, CONFORMANCE_ADMIN_EMAIL and CONFORMANCE_ADMIN_PASSWORD must be set (run.sh sets them)');
}

async function call(method, path, body, token, headers = {}) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return json;
}

const password = 'conformance user passphrase 1';

async function register(email, name) {
  await call('POST', '/api/v1/auth/register', { email, password, name });
  const session = await call('POST', '/api/v1/auth/login', { email, password });
  return session;
}

const admin = await call('POST', '/api/v1/auth/login', { email: adminEmail, password: adminPassword });
const adminToken = admin.token;

const alice = await register('alice@conformance.test', 'Alice Conformance');
const bobSession = await register('bob@conformance.test', 'Bob Conformance');

// Bob turns 2FA on (docs/api.md "Two-factor authentication").
const setup = await call('POST', '/api/v1/auth/2fa/setup', { current_password: password }, bobSession.token);
const enabledStep = currentStep();
await call('POST', '/api/v1/auth/2fa/enable', { code: totp(setup.secret, enabledStep), current_password: password }, bobSession.token);

// Carol has 2FA too, for the device flow alone: a TOTP step is accepted once per user, and each
// test file runs in a process of its own, so two files must not share a 2FA user.
const carolSession = await register('carol@conformance.test', 'Carol Conformance');
const carolSetup = await call('POST', '/api/v1/auth/2fa/setup', { current_password: password }, carolSession.token);
const carolStep = currentStep();
await call('POST', '/api/v1/auth/2fa/enable', { code: totp(carolSetup.secret, carolStep), current_password: password }, carolSession.token);

const serviceAccount = await call('POST', '/api/v1/service-accounts', {
  name: 'conformance-service', description: 'client credentials conformance', scopes: ['profile', 'audit:read'],
}, adminToken);

const oidcScopes = ['openid', 'profile', 'email'];
const confidential = await call('POST', '/api/v1/oauth/clients', {
  name: 'Conformance confidential app', type: 'confidential', redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'], scopes: oidcScopes, require_consent: true,
}, adminToken);
const publicClient = await call('POST', '/api/v1/oauth/clients', {
  name: 'Conformance public app', type: 'public', redirect_uris: [redirectUri],
  grant_types: ['authorization_code', 'refresh_token'], scopes: oidcScopes, require_consent: false,
}, adminToken);

// Clients of the device authorization grant (RFC 8628), as a command-line tool registers: no redirect URI.
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const devicePublic = await call('POST', '/api/v1/oauth/clients', {
  name: 'Conformance CLI', type: 'public', redirect_uris: [],
  grant_types: [deviceGrant, 'refresh_token'], scopes: oidcScopes, require_consent: true,
}, adminToken);
const deviceConfidential = await call('POST', '/api/v1/oauth/clients', {
  name: 'Conformance device', type: 'confidential', redirect_uris: [],
  grant_types: [deviceGrant], scopes: oidcScopes, require_consent: true,
}, adminToken);

// A first-party client for the password grant (RFC 9700 2.4 allows it for first-party clients only).
let firstParty = null;
try {
  firstParty = await call('POST', '/api/v1/oauth/clients', {
    name: 'Conformance first-party app', type: 'confidential', redirect_uris: [],
    grant_types: ['password', 'refresh_token'], scopes: oidcScopes, require_consent: false, first_party: true,
  }, adminToken);
} catch (error) {
  console.error(`setup: no first-party password client (${error.message})`);
}

const fixture = {
  base_url: base,
  redirect_uri: redirectUri,
  password,
  users: {
    alice: { id: alice.user.id, email: 'alice@conformance.test', name: 'Alice Conformance' },
    bob: { id: bobSession.user.id, email: 'bob@conformance.test', name: 'Bob Conformance', totp_secret: setup.secret, totp_last_step: enabledStep },
    carol: { id: carolSession.user.id, email: 'carol@conformance.test', name: 'Carol Conformance', totp_secret: carolSetup.secret, totp_last_step: carolStep },
  },
  service_account: { client_id: serviceAccount.client_id, client_secret: serviceAccount.client_secret, scopes: serviceAccount.scopes },
  clients: {
    confidential: { client_id: confidential.client_id, client_secret: confidential.client_secret, scopes: oidcScopes },
    public: { client_id: publicClient.client_id, scopes: oidcScopes },
    device_public: { client_id: devicePublic.client_id, scopes: oidcScopes },
    device_confidential: { client_id: deviceConfidential.client_id, client_secret: deviceConfidential.client_secret, scopes: oidcScopes },
    first_party: firstParty && { client_id: firstParty.client_id, client_secret: firstParty.client_secret, scopes: oidcScopes },
  },
};
await writeFile(fixturePath, JSON.stringify(fixture, null, 2), { mode: 0o600 });
console.error(`setup: fixture written (${Object.keys(fixture.clients).length} clients, 3 users, 1 service account)`);
