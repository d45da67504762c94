// RFC 8414 and OpenID Connect Discovery 1.0: both well-known documents, read and checked by the clients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, fixture, insecure, issuer, oauth } from './lib/helpers.mjs';

for (const algorithm of ['oauth2', 'oidc']) {
  const path = algorithm === 'oidc' ? '/.well-known/openid-configuration' : '/.well-known/oauth-authorization-server';

  test(`oauth4webapi discovery (${path}) accepts the metadata and its issuer`, async () => {
    const response = await oauth.discoveryRequest(issuer, { algorithm, ...insecure });
    assert.equal(new URL(response.url).pathname, path);
    const as = await oauth.processDiscoveryResponse(issuer, response);

    assert.equal(as.issuer, fixture.base_url);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint']) {
      assert.equal(typeof as[endpoint], 'string', endpoint);
      assert.equal(new URL(as[endpoint]).origin, issuer.origin, endpoint);
    }
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(as.response_types_supported, ['code']);
    assert.ok(as.grant_types_supported.includes('authorization_code'));
    assert.ok(as.grant_types_supported.includes('client_credentials'));
    assert.ok(as.grant_types_supported.includes('refresh_token'));
    assert.ok(as.token_endpoint_auth_methods_supported.includes('client_secret_basic'));
    assert.ok(as.token_endpoint_auth_methods_supported.includes('client_secret_post'));
    assert.ok(as.token_endpoint_auth_methods_supported.includes('none'));
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    assert.ok(as.id_token_signing_alg_values_supported.every((alg) => /^(RS|ES|PS)\d+$/.test(alg)), 'asymmetric id_token algorithms only');
  });
}

test('both well-known documents are the same', async () => {
  const read = async (algorithm) => oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm, ...insecure }));
  assert.deepEqual(await read('oauth2'), await read('oidc'));
});

test('OpenID Connect Discovery: the openid scope is listed with the identity scopes', async () => {
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  for (const scope of ['openid', 'profile', 'email']) {
    assert.ok(as.scopes_supported.includes(scope), `scopes_supported lacks ${scope}: ${as.scopes_supported.join(' ')}`);
  }
  assert.deepEqual(as.subject_types_supported, ['public']);
});

test('openid-client discovery builds a configuration from the server metadata', async () => {
  const config = await client.discovery(issuer, fixture.clients.confidential.client_id, fixture.clients.confidential.client_secret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const metadata = config.serverMetadata();
  assert.equal(metadata.issuer, fixture.base_url);
  assert.equal(metadata.supportsPKCE(), true);
  assert.equal(config.clientMetadata().client_id, fixture.clients.confidential.client_id);
});

test('the JWKS at jwks_uri holds public signing keys only', async () => {
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const response = await fetch(as.jwks_uri);
  assert.equal(response.status, 200);
  const { keys } = await response.json();
  assert.ok(keys.length >= 1);
  for (const key of keys) {
    assert.ok(key.kid, 'every key has a kid');
    assert.ok(['EC', 'RSA'].includes(key.kty));
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
      assert.equal(key[secret], undefined, `private member ${secret} published`);
    }
  }
});
