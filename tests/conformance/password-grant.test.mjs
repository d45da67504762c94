// RFC 6749 4.3, the resource owner password grant: off unless discovery advertises it (SPEC section 6,
// RFC 9700 2.4: first-party clients only), and never a way around the second factor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, configure, explained, fixture, rejection, users } from './lib/helpers.mjs';

const config = await configure('confidential');
const advertised = config.serverMetadata().grant_types_supported?.includes('password') ?? false;
const skip = advertised ? false : 'discovery does not advertise the password grant';

test('password grant for a first-party client answers tokens', { skip }, async () => {
  const firstParty = await configure('first_party');
  const tokens = await explained(client.genericGrantRequest(firstParty, 'password', {
    username: users.alice.email, password: fixture.password, scope: 'openid profile',
  }));
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(typeof tokens.access_token, 'string');
  if (tokens.id_token) {
    assert.equal(tokens.claims().sub, users.alice.id);
  }
});

test('password grant with a wrong password is invalid_grant', { skip }, async () => {
  const firstParty = await configure('first_party');
  const error = await rejection(() => client.genericGrantRequest(firstParty, 'password', {
    username: users.alice.email, password: 'not the password of alice',
  }));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'invalid_grant');
});

test('password grant never skips the second factor of a 2FA user', { skip }, async () => {
  const firstParty = await configure('first_party');
  const error = await rejection(() => client.genericGrantRequest(firstParty, 'password', {
    username: users.bob.email, password: fixture.password,
  }));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.ok(['invalid_grant', 'mfa_required', 'interaction_required'].includes(error.error), error.error);
});

test('password grant for a client not registered for it is unauthorized_client', { skip }, async () => {
  const error = await rejection(() => client.genericGrantRequest(config, 'password', {
    username: users.alice.email, password: fixture.password,
  }));
  assert.ok(error instanceof client.ResponseBodyError, `expected ResponseBodyError, got ${error}${error.detail}`);
  assert.equal(error.error, 'unauthorized_client');
});
