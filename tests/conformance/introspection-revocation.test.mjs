// RFC 7662 (introspection) and RFC 7009 (revocation), called by an authenticated client through
// openid-client's tokenIntrospection and tokenRevocation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, codeFlow, configure, explained, fixture, rejection, users } from './lib/helpers.mjs';

test('introspection of a live access token: active, with sub, client_id, scope and exp', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice);

  const info = await explained(client.tokenIntrospection(config, tokens.access_token));
  assert.equal(info.active, true);
  assert.equal(info.sub, users.alice.id);
  assert.equal(info.client_id, fixture.clients.confidential.client_id);
  assert.deepEqual(info.scope.split(' ').sort(), tokens.scope.split(' ').sort());
  assert.ok(info.exp > Date.now() / 1000);
});

test('introspection of a live refresh token: active', async () => {
  const config = await configure('confidential', { auth: 'post' });
  const { tokens } = await codeFlow(config, users.alice);

  const info = await explained(client.tokenIntrospection(config, tokens.refresh_token, { token_type_hint: 'refresh_token' }));
  assert.equal(info.active, true);
  assert.equal(info.client_id, fixture.clients.confidential.client_id);
});

test('introspection of an unknown token answers active: false and nothing else', async () => {
  const config = await configure('confidential');
  const info = await explained(client.tokenIntrospection(config, 'this-token-was-never-issued'));
  assert.deepEqual({ ...info }, { active: false });
});

test('introspection needs client authentication: a wrong secret is invalid_client', async () => {
  const config = await configure('confidential', { secret: 'wrong-secret-wrong-secret-wrong-secret-00' });
  const error = await rejection(() => client.tokenIntrospection(config, 'anything'));
  assert.ok(error instanceof client.WWWAuthenticateChallengeError || error instanceof client.ResponseBodyError, `got ${error}${error.detail}`);
  assert.equal(error.status, 401);
});

test('revoking a refresh token: introspection says inactive and the refresh grant fails', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice);

  await explained(client.tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' }));

  const info = await explained(client.tokenIntrospection(config, tokens.refresh_token));
  assert.equal(info.active, false);
  const error = await rejection(() => client.refreshTokenGrant(config, tokens.refresh_token));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');
});

test('revoking an access token: introspection says inactive', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice);

  await explained(client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' }));

  const info = await explained(client.tokenIntrospection(config, tokens.access_token));
  assert.equal(info.active, false);
});

test('revoking an unknown token succeeds (RFC 7009 2.2)', async () => {
  const config = await configure('confidential');
  await explained(client.tokenRevocation(config, 'this-token-was-never-issued'));
});
