// The error answers of RFC 6749 5.2 and 4.1.2.1, and the checks a client makes on the redirect
// (state, RFC 9207 iss), each seen through the libraries' own error types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, client, codeRequest, explained, configure, fixture, issuer, rejection, signIn, users } from './lib/helpers.mjs';

const wrongSecret = 'wrong-secret-wrong-secret-wrong-secret-000';

for (const auth of ['basic', 'post']) {
  test(`wrong client secret (client_secret_${auth}) is invalid_client with 401 and a Basic challenge`, async () => {
    const config = await configure('service_account', { auth, secret: wrongSecret });
    const error = await rejection(() => client.clientCredentialsGrant(config));

    // RFC 6749 5.2: 401 with WWW-Authenticate; oauth4webapi surfaces the challenge as its own error type.
    assert.ok(error instanceof client.WWWAuthenticateChallengeError, `expected WWWAuthenticateChallengeError, got ${error}${error.detail}`);
    assert.equal(error.status, 401);
    assert.equal(error.cause[0].scheme, 'basic');
    const body = await error.response.json();
    assert.equal(body.error, 'invalid_client');
  });
}

test('wrong client secret at the code redemption is invalid_client', async () => {
  const good = await configure('confidential');
  const request = await codeRequest(good);
  const callback = await signIn(request.url, users.alice);
  const bad = await configure('confidential', { secret: wrongSecret });

  const error = await rejection(() => client.authorizationCodeGrant(bad, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.WWWAuthenticateChallengeError, `expected WWWAuthenticateChallengeError, got ${error}${error.detail}`);
  assert.equal(error.status, 401);
  assert.equal((await error.response.json()).error, 'invalid_client');
});

test('an unsupported grant type is unsupported_grant_type', async () => {
  const config = await configure('service_account');
  const error = await rejection(() => client.genericGrantRequest(config, 'urn:example:params:oauth:grant-type:unknown', {}));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'unsupported_grant_type');
  assert.equal(error.status, 400);
});

test('a PKCE verifier that does not match the challenge is invalid_grant', async () => {
  const config = await configure('public');
  const request = await codeRequest(config);
  const callback = await signIn(request.url, users.alice);

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');
});

test('a code is single-use: the replay is invalid_grant', async () => {
  const config = await configure('confidential');
  const request = await codeRequest(config);
  const callback = await signIn(request.url, users.alice);
  const checks = { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce };
  const first = await explained(client.authorizationCodeGrant(config, callback, checks));

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, checks));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');

  // SPEC section 6: a second use revokes what the first issued.
  const refresh = await rejection(() => client.refreshTokenGrant(config, first.refresh_token));
  assert.ok(refresh instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${refresh}${refresh.detail}`);
  assert.equal(refresh.error, 'invalid_grant');
});

test('a code redeemed by another client is invalid_grant', async () => {
  const confidential = await configure('confidential');
  const request = await codeRequest(confidential);
  const callback = await signIn(request.url, users.alice);
  const publicClient = await configure('public');

  const error = await rejection(() => client.authorizationCodeGrant(publicClient, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');
});

test('the client detects a state mismatch in the redirect (and never redeems the code)', async () => {
  const config = await configure('public');
  const request = await codeRequest(config);
  const callback = await signIn(request.url, users.alice);

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: client.randomState(), expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.ClientError, `expected ClientError, got ${error}${error.detail}`);
  assert.match(`${error.message}: ${error.cause?.message}`, /state/);
});

test('the client detects a wrong iss in the redirect (RFC 9207 mix-up defence)', async () => {
  const config = await configure('public');
  const request = await codeRequest(config);
  const callback = await signIn(request.url, users.alice);
  callback.searchParams.set('iss', 'https://attacker.example');

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.ClientError, `expected ClientError, got ${error}${error.detail}`);
  assert.match(`${error.message}: ${error.cause?.message}`, /"iss"/);
});

test('an unregistered redirect_uri gets an error page, never a redirect', async () => {
  const config = await configure('confidential');
  const { url } = await codeRequest(config);
  url.searchParams.set('redirect_uri', 'https://attacker.example/cb');

  const response = await new Browser().get(url);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(response.headers.get('content-type'), /^text\/html/);
});

test('a scope the client is not registered for comes back as invalid_scope, which the library raises', async () => {
  const config = await configure('public');
  const request = await codeRequest(config, 'openid admin');
  const response = await new Browser().get(request.url);
  assert.equal(response.status, 302);
  const callback = new URL(response.headers.get('location'));
  assert.equal(callback.searchParams.get('iss'), fixture.base_url);

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.AuthorizationResponseError, `expected AuthorizationResponseError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_scope');
});

test('a user who denies consent comes back with access_denied', async () => {
  const config = await configure('confidential');
  const request = await codeRequest(config, 'openid profile email', { prompt: 'consent' }); // asked even if granted before
  const callback = await signIn(request.url, users.alice, { decision: 'deny', browser: new Browser() });

  const error = await rejection(() => client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce,
  }));
  assert.ok(error instanceof client.AuthorizationResponseError, `expected AuthorizationResponseError, got ${error}${error.detail}`);
  assert.equal(error.error, 'access_denied');
});

test('a code request without PKCE from a public client is refused with invalid_request', async () => {
  const config = await configure('public');
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: fixture.redirect_uri, scope: 'openid', state: client.randomState(),
  });
  const response = await new Browser().get(url);
  assert.equal(response.status, 302);
  const callback = new URL(response.headers.get('location'));
  assert.equal(callback.searchParams.get('error'), 'invalid_request');
});

test('the token endpoint refuses a body that is not a form', async () => {
  const response = await fetch(new URL('/oauth/token', issuer), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}',
  });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error, 'invalid_request');
  assert.equal(response.headers.get('cache-control'), 'no-store');
});
