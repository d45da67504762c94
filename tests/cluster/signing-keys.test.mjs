// A signing-key rotation through node 1 (the administrator's endpoint) reaches nodes 2 and 3 within a second: the
// new key is in their JWKS, and a token it signed (run.sh sets Jwt__KeyActivationDelay=0, so it signs at once)
// verifies on them; a token signed before the rotation still verifies everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodes, call, expect, admin, within, header, newUser, login } from './lib/cluster.mjs';

const kids = async (base) => (await expect(200, base, 'GET', '/.well-known/jwks.json')).keys.map((k) => k.kid);

test('a signing key rotated through node 1 is published and validates on nodes 2 and 3 within a second', async (t) => {
  assert.ok(admin.password, 'CLUSTER_ADMIN_PASSWORD is set');
  const before = await login(await newUser('rotation'));
  const oldKid = header(before.token).kid;
  const { token } = await expect(200, nodes[0], 'POST', '/api/v1/auth/login', { json: { email: admin.email, password: admin.password } });
  for (const node of nodes) {
    assert.ok((await kids(node)).includes(oldKid));
  }

  const { kid } = await expect(201, nodes[0], 'POST', '/api/v1/admin/signing-keys/rotate', { token, json: {} });
  assert.notEqual(kid, oldKid);
  await Promise.all(nodes.slice(1).map(async (node) => {
    const ms = await within(1000, `${node}'s JWKS lacks the new key ${kid}`, async () => (await kids(node)).includes(kid));
    t.diagnostic(`${node} publishes the new key after ${ms} ms`);
  }));

  // Node 1 signs with the new key now; nodes 2 and 3 validate its tokens.
  const signed = await expect(200, nodes[0], 'POST', '/api/v1/auth/login', { json: { email: admin.email, password: admin.password } });
  assert.equal(header(signed.token).kid, kid, 'node 1 signs with the new key');
  await Promise.all(nodes.slice(1).map(async (node) => {
    const ms = await within(1000, `${node} refuses a token of the new key`, async () =>
      (await call(node, 'GET', '/api/v1/auth/verify', { token: signed.token })).status === 200);
    t.diagnostic(`${node} validates a token of the new key after ${ms} ms`);
  }));
  // The old key is still published and its tokens still verify, on every node.
  for (const node of nodes) {
    assert.ok((await kids(node)).includes(oldKid), `${node} still publishes the old key`);
    await expect(200, node, 'GET', '/api/v1/auth/verify', { token: before.token });
  }
});
