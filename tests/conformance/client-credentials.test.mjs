// RFC 6749 4.4, client credentials of a service account (SPEC section 5), with both client
// authentication methods of RFC 6749 2.3.1, through openid-client and oauth4webapi.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, configure, fixture, insecure, issuer, oauth } from './lib/helpers.mjs';

const sa = fixture.service_account;

for (const auth of ['basic', 'post']) {
  test(`openid-client clientCredentialsGrant with client_secret_${auth}`, async () => {
    const config = await configure('service_account', { auth });
    const tokens = await client.clientCredentialsGrant(config, { scope: 'profile' });

    assert.equal(tokens.token_type, 'bearer'); // the library lower-cases it
    assert.equal(typeof tokens.access_token, 'string');
    assert.ok(tokens.expiresIn() > 0 && tokens.expiresIn() <= 3600);
    assert.equal(tokens.scope, 'profile');
    assert.equal(tokens.refresh_token, undefined, 'no refresh token for client credentials (RFC 6749 4.4.3)');
  });
}

test('oauth4webapi client credentials: the access token is an RFC 9068 JWT access token', async () => {
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registration = { client_id: sa.client_id };
  const response = await oauth.clientCredentialsGrantRequest(as, registration, oauth.ClientSecretBasic(sa.client_secret), new URLSearchParams(), insecure);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const tokens = await oauth.processClientCredentialsResponse(as, registration, response);
  assert.deepEqual(tokens.scope.split(' ').sort(), [...sa.scopes].sort(), 'no scope asked: all of the account\'s scopes');

  // A resource server's check (RFC 9068 section 4): typ at+jwt, signature by a key of jwks_uri, iss, aud, exp, client_id.
  const request = new Request(new URL('/api/v1/auth/verify', issuer), { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const claims = await oauth.validateJwtAccessToken(as, request, 'authplatform', insecure);
  assert.equal(claims.iss, fixture.base_url);
  assert.equal(claims.sub, sa.client_id);
  assert.equal(claims.client_id, sa.client_id);
});

test('the client-credentials token is accepted by the API it was issued for', async () => {
  const config = await configure('service_account');
  const tokens = await client.clientCredentialsGrant(config);
  const response = await client.fetchProtectedResource(config, tokens.access_token, new URL('/api/v1/auth/verify', issuer), 'GET');
  assert.equal(response.status, 200);
  const verified = await response.json();
  assert.equal(verified.active, true);
  assert.equal(verified.method, 'oauth');
  assert.equal(verified.client_id, sa.client_id);
});

test('a scope the service account does not hold is refused with invalid_scope', async () => {
  const config = await configure('service_account');
  const error = await client.clientCredentialsGrant(config, { scope: 'admin' }).then(() => null, (e) => e);
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_scope');
  assert.equal(error.status, 400);
});
