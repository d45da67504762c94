// OpenID Connect Core 5.3: the UserInfo endpoint, read with openid-client's fetchUserInfo (which
// checks that its sub is the id_token's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, codeFlow, configure, explained, issuer, rejection, users } from './lib/helpers.mjs';

test('userinfo answers sub, email, email_verified and name for openid profile email', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice, { scope: 'openid profile email' });

  const info = await explained(client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub));
  assert.equal(info.sub, users.alice.id);
  assert.equal(info.email, users.alice.email);
  assert.equal(typeof info.email_verified, 'boolean');
  assert.equal(info.name, users.alice.name);
});

test('userinfo with openid only answers sub without the profile and email claims', async () => {
  const config = await configure('public');
  const { tokens } = await codeFlow(config, users.alice, { scope: 'openid' });

  const info = await explained(client.fetchUserInfo(config, tokens.access_token, users.alice.id));
  assert.equal(info.sub, users.alice.id);
  assert.equal(info.email, undefined);
  assert.equal(info.name, undefined);
});

test('userinfo refuses a request without a valid access token (RFC 6750 challenge)', async () => {
  const config = await configure('public');
  const error = await rejection(() => client.fetchUserInfo(config, 'not-a-token', client.skipSubjectCheck));
  assert.ok(error instanceof client.WWWAuthenticateChallengeError, `expected WWWAuthenticateChallengeError, got ${error}${error.detail}`);
  assert.equal(error.status, 401);
  assert.equal(error.cause[0].scheme, 'bearer');
  assert.equal(error.cause[0].parameters.error, 'invalid_token');
});

test('userinfo refuses a client-credentials token: it names no user', async () => {
  const config = await configure('service_account');
  const { access_token: token } = await client.clientCredentialsGrant(config);
  const response = await fetch(new URL('/oauth/userinfo', issuer), { headers: { authorization: `Bearer ${token}` } });
  assert.ok([401, 403].includes(response.status), `status ${response.status}`);
});
