// RFC 6749 section 6 with rotation (RFC 9700 4.14.2, SPEC section 6): every refresh answers a new
// refresh token; presenting a rotated one is refused and ends the whole family.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, codeFlow, configure, explained, rejection, users } from './lib/helpers.mjs';

for (const kind of ['confidential', 'public']) {
  test(`${kind} client: refreshTokenGrant rotates the refresh token`, async () => {
    const config = await configure(kind);
    const { tokens } = await codeFlow(config, users.alice);

    const refreshed = await explained(client.refreshTokenGrant(config, tokens.refresh_token));
    assert.equal(refreshed.token_type, 'bearer');
    assert.equal(typeof refreshed.access_token, 'string');
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(typeof refreshed.refresh_token, 'string', 'a new refresh token on every use');
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    if (refreshed.id_token) {
      // OpenID Connect Core 12.2: same iss and sub as the original id_token (checked by the library too).
      assert.equal(refreshed.claims().sub, tokens.claims().sub);
    }

    const again = await explained(client.refreshTokenGrant(config, refreshed.refresh_token));
    assert.notEqual(again.refresh_token, refreshed.refresh_token);
  });
}

test('a rotated refresh token is refused with invalid_grant, and its family ends (reuse detection)', async () => {
  const config = await configure('confidential');
  const { tokens } = await codeFlow(config, users.alice);
  const rotated = await explained(client.refreshTokenGrant(config, tokens.refresh_token));

  const reuse = await rejection(() => client.refreshTokenGrant(config, tokens.refresh_token));
  assert.ok(reuse instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${reuse}${reuse.detail}`);
  assert.equal(reuse.error, 'invalid_grant');
  assert.equal(reuse.status, 400);

  const successor = await rejection(() => client.refreshTokenGrant(config, rotated.refresh_token));
  assert.ok(successor instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${successor}${successor.detail}`);
  assert.equal(successor.error, 'invalid_grant', 'the newest token of a reused family stops too');
});

test('a refresh token is bound to its client: another client presenting it gets invalid_grant', async () => {
  const confidential = await configure('confidential');
  const { tokens } = await codeFlow(confidential, users.alice);
  const publicClient = await configure('public');

  const error = await rejection(() => client.refreshTokenGrant(publicClient, tokens.refresh_token));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');
});
