// RFC 6749 4.1 with PKCE (RFC 7636), OpenID Connect's nonce and id_token, and RFC 9207's iss, through
// the server's HTML pages (login, second factor, consent) driven like a browser, redeemed with
// openid-client's authorizationCodeGrant, which validates the state, iss, id_token signature and
// claims (iss, aud, exp, iat, nonce) and the token response.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, client, codeFlow, configure, fixture, issuer, users } from './lib/helpers.mjs';

test('confidential client (client_secret_basic): login, consent, code, tokens and a valid id_token', async () => {
  const config = await configure('confidential', { auth: 'basic' });
  const pages = [];
  const { request, callback, tokens } = await codeFlow(config, users.alice, { pages });

  assert.deepEqual(pages, ['login', 'consent']);
  assert.equal(callback.searchParams.get('iss'), fixture.base_url, 'RFC 9207 iss in the redirect');
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(typeof tokens.access_token, 'string');
  assert.equal(typeof tokens.refresh_token, 'string', 'the client has the refresh_token grant');
  assert.ok(tokens.expiresIn() > 0);

  const claims = tokens.claims();
  assert.equal(claims.iss, fixture.base_url);
  assert.equal(claims.sub, users.alice.id);
  assert.equal(claims.aud, fixture.clients.confidential.client_id);
  assert.equal(claims.nonce, request.nonce);
  assert.equal(typeof claims.auth_time, 'number');
  assert.ok(Math.abs(claims.auth_time - Date.now() / 1000) < 300, 'auth_time is the login just made');
  assert.ok(Array.isArray(claims.amr) && claims.amr.includes('pwd'), `amr: ${JSON.stringify(claims.amr)}`);
});

test('confidential client (client_secret_post) redeems its code', async () => {
  const config = await configure('confidential', { auth: 'post' });
  const { tokens } = await codeFlow(config, users.alice);
  assert.equal(tokens.claims().sub, users.alice.id);
});

test('public client (PKCE, no secret, consent not required): login only, then tokens', async () => {
  const config = await configure('public');
  const pages = [];
  const { tokens } = await codeFlow(config, users.alice, { pages });

  assert.deepEqual(pages, ['login']);
  assert.equal(tokens.claims().aud, fixture.clients.public.client_id);
  assert.equal(typeof tokens.refresh_token, 'string');
});

test('a user with 2FA answers the second-factor page; amr holds otp', async () => {
  const config = await configure('confidential');
  const pages = [];
  const { tokens } = await codeFlow(config, users.bob, { pages });

  assert.deepEqual(pages, ['login', 'second_factor', 'consent']);
  const claims = tokens.claims();
  assert.equal(claims.sub, users.bob.id);
  assert.ok(claims.amr.includes('otp'), `amr: ${JSON.stringify(claims.amr)}`);
});

test('signed in and consented already: the next request comes straight back with a code', async () => {
  const config = await configure('confidential');
  const browser = new Browser();
  await codeFlow(config, users.alice, { browser });

  const pages = [];
  const { tokens } = await codeFlow(config, users.alice, { browser, pages });
  assert.deepEqual(pages, []);
  assert.equal(tokens.claims().sub, users.alice.id);
});

test('the scope granted is the scope asked; openid alone gives an id_token without profile claims', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice, { scope: 'openid' });
  assert.deepEqual(tokens.scope.split(' '), ['openid']);
  assert.equal(tokens.claims().email, undefined);
});

test('the access token of the code flow is accepted by the API', async () => {
  const config = await configure('public');
  const { tokens } = await codeFlow(config, users.alice);
  const response = await client.fetchProtectedResource(config, tokens.access_token, new URL('/api/v1/auth/verify', issuer), 'GET');
  assert.equal(response.status, 200);
  const verified = await response.json();
  assert.equal(verified.active, true);
  assert.equal(verified.subject, users.alice.id);
  assert.equal(verified.client_id, fixture.clients.public.client_id);
});
