// API keys (SPEC 3) through the load balancer, and the revocation of issue 12: a key revoked through one node is
// refused by every other node within one second, although each had just verified it and remembers it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lb, nodes, call, expect, newUser, login, within, codeOf } from './lib/cluster.mjs';

const refusedEverywhere = async (t, key, what, bases = nodes) => {
  await Promise.all(bases.map(async (base) => {
    const ms = await within(1000, `${base} still accepts the ${what} key`, async () => {
      const answer = await call(base, 'GET', '/api/v1/auth/verify', { apiKey: key });
      return answer.status === 401 && codeOf(answer) === 'invalid_api_key';
    });
    t.diagnostic(`${base} refuses the ${what} key after ${ms} ms`);
  }));
};

test('create with scopes, verify, scope refused, no key minted beyond its scopes, rotate, revoke', async (t) => {
  const user = await newUser('keys');
  const { token } = await login(user);

  const created = await expect(201, lb, 'POST', '/api/v1/auth/api-keys', { token, json: { name: 'reader', permissions: ['profile', 'api_keys:read'] } });
  assert.deepEqual([...created.permissions].sort(), ['api_keys:read', 'profile']);
  assert.ok(created.key.startsWith(created.key_prefix), 'key_prefix recognises the key');

  // Every node accepts it, in each of the three ways.
  for (const node of nodes) {
    const verified = await expect(200, node, 'GET', '/api/v1/auth/verify', { apiKey: created.key });
    assert.equal(verified.method, 'api_key');
    assert.equal(verified.api_key_id, created.id);
    assert.deepEqual([...verified.scopes].sort(), ['api_keys:read', 'profile']);
    await expect(200, node, 'GET', '/api/v1/auth/verify', { headers: { authorization: `Bearer ${created.key}` } });
    await expect(200, node, 'GET', '/api/v1/auth/verify', { headers: { authorization: created.key } });
  }
  const me = await expect(200, lb, 'GET', '/api/v1/auth/me', { apiKey: created.key });
  assert.equal(me.auth.method, 'api_key');
  const listed = await expect(200, lb, 'GET', '/api/v1/auth/api-keys', { apiKey: created.key });
  assert.ok(listed.some((k) => k.id === created.id && !('key' in k)), 'the list shows the key without its secret');

  // Without api_keys:write it can mint nothing, through any node.
  for (let i = 0; i < 3; i++) {
    const minted = await call(lb, 'POST', '/api/v1/auth/api-keys', { apiKey: created.key, json: { name: 'wider', permissions: ['profile'] } });
    assert.equal(minted.status, 403);
    assert.equal(codeOf(minted), 'insufficient_scope');
    const revoke = await call(lb, 'POST', `/api/v1/auth/api-keys/${created.id}/revoke`, { apiKey: created.key, json: {} });
    assert.equal(revoke.status, 403, 'revoking needs api_keys:write too');
  }

  // A key with api_keys:write still cannot mint a key with a scope it does not hold; what it mints is tied to it.
  const writer = await expect(201, lb, 'POST', '/api/v1/auth/api-keys', { token, json: { name: 'writer', permissions: ['profile', 'api_keys:write'] } });
  const beyond = await call(lb, 'POST', '/api/v1/auth/api-keys', { apiKey: writer.key, json: { name: 'beyond', permissions: ['audit:read'] } });
  assert.equal(beyond.status, 403);
  assert.equal(codeOf(beyond), 'insufficient_scope');
  const child = await expect(201, lb, 'POST', '/api/v1/auth/api-keys', { apiKey: writer.key, json: { name: 'child', permissions: ['profile'] } });
  for (const node of nodes) {
    await expect(200, node, 'GET', '/api/v1/auth/verify', { apiKey: child.key });
  }

  // Rotate through the load balancer: a new key, same name and permissions; the old one stops on every node.
  const rotated = await expect(201, lb, 'POST', `/api/v1/auth/api-keys/${created.id}/rotate`, { token, json: {} });
  assert.notEqual(rotated.key, created.key);
  assert.equal(rotated.name, created.name);
  assert.deepEqual([...rotated.permissions].sort(), ['api_keys:read', 'profile']);
  await refusedEverywhere(t, created.key, 'rotated');
  for (const node of nodes) {
    await expect(200, node, 'GET', '/api/v1/auth/verify', { apiKey: rotated.key });
  }

  // Revoke through the load balancer: 200 with revoked_at; the key and the key it minted stop on every node.
  const revoked = await expect(200, lb, 'POST', `/api/v1/auth/api-keys/${writer.id}/revoke`, { token, json: {} });
  assert.ok(revoked.revoked_at, 'revoked_at is set');
  await refusedEverywhere(t, writer.key, 'revoked');
  await refusedEverywhere(t, child.key, "revoked key's child");
  await expect(200, lb, 'GET', '/api/v1/auth/verify', { apiKey: rotated.key });
});

test('a key revoked through node 1 is refused by nodes 2 and 3 within one second', async (t) => {
  const user = await newUser('revoke');
  const { token } = await login(user);
  const created = await expect(201, lb, 'POST', '/api/v1/auth/api-keys', { token, json: { name: 'gateway', permissions: ['profile'] } });
  // Nodes 2 and 3 verify it (twice: the second answer comes from their memory).
  for (const node of nodes.slice(1)) {
    await expect(200, node, 'GET', '/api/v1/auth/verify', { apiKey: created.key });
    await expect(200, node, 'GET', '/api/v1/auth/verify', { apiKey: created.key });
  }
  await expect(200, nodes[0], 'POST', `/api/v1/auth/api-keys/${created.id}/revoke`, { token, json: {} });
  await refusedEverywhere(t, created.key, 'revoked', nodes.slice(1));
  const viaLb = await call(lb, 'GET', '/api/v1/auth/verify', { apiKey: created.key });
  assert.equal(viaLb.status, 401);
});
