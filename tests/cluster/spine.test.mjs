// The spine (SPEC 2) through the load balancer: haproxy sends consecutive requests to different nodes, so each
// step below is served by another node than the one before; where it matters, each node is asked directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lb, nodes, call, expect, newUser, login, within, codeOf, header, claims } from './lib/cluster.mjs';

test('register, login, /verify and me through the load balancer; the token verifies on every node', async () => {
  const user = await newUser('spine');
  assert.match(user.id, /^[0-9a-f-]{36}$/);
  const taken = await call(lb, 'POST', '/api/v1/auth/register', { json: { email: user.email.toUpperCase(), password: user.password, name: 'again' } });
  assert.equal(taken.status, 409, 'the same email (another case) is taken, whichever node answers');
  assert.equal(codeOf(taken), 'conflict');

  const wrong = await call(lb, 'POST', '/api/v1/auth/login', { json: { email: user.email, password: 'not the password at all' } });
  assert.equal(wrong.status, 401);
  assert.equal(codeOf(wrong), 'invalid_credentials');

  const session = await login(user);
  assert.equal(session.token_type, 'Bearer');
  assert.equal(session.user.email, user.email);
  assert.equal(header(session.token).typ, 'at+jwt');
  assert.equal(claims(session.token).sub, user.id);

  for (let i = 0; i < 3; i++) {
    const verified = await expect(200, lb, 'GET', '/api/v1/auth/verify', { token: session.token });
    assert.equal(verified.active, true);
    assert.equal(verified.method, 'jwt');
    assert.equal(verified.subject, user.id);
  }
  for (const node of nodes) {
    const verified = await expect(200, node, 'GET', '/api/v1/auth/verify', { token: session.token });
    assert.equal(verified.subject, user.id, `${node} verifies a token another node signed`);
  }
  const me = await expect(200, lb, 'GET', '/api/v1/auth/me', { token: session.token });
  assert.equal(me.id, user.id);
  assert.equal(me.email, user.email);
  assert.equal(me.two_factor_enabled, false);
  assert.equal(me.auth.method, 'jwt');

  const nothing = await call(lb, 'GET', '/api/v1/auth/verify');
  assert.equal(nothing.status, 401);
});

test('refresh rotates; a rotated refresh token used again revokes the family, refused on every node within a second', async (t) => {
  const user = await newUser('refresh');
  const session = await login(user);
  const first = await expect(200, lb, 'POST', '/api/v1/auth/refresh', { json: { refresh_token: session.refresh_token } });
  assert.notEqual(first.refresh_token, session.refresh_token, 'a new refresh token');
  assert.notEqual(first.token, session.token, 'a new access token');
  const second = await expect(200, lb, 'POST', '/api/v1/auth/refresh', { json: { refresh_token: first.refresh_token } });
  for (const node of nodes) {
    await expect(200, node, 'GET', '/api/v1/auth/verify', { token: second.token }); // each node now remembers it as verified
  }

  // Replay the first refresh token (already rotated) through node 1.
  const reused = await call(nodes[0], 'POST', '/api/v1/auth/refresh', { json: { refresh_token: session.refresh_token } });
  assert.equal(reused.status, 401);
  assert.equal(codeOf(reused), 'refresh_token_reused');

  // The whole family is revoked: its newest refresh token, on another node, and its access tokens everywhere.
  const newest = await call(nodes[1], 'POST', '/api/v1/auth/refresh', { json: { refresh_token: second.refresh_token } });
  assert.equal(newest.status, 401, 'the newest refresh token of the family stops too');
  for (const node of nodes) {
    const ms = await within(1000, `${node} still accepts the revoked family's access token`, async () =>
      (await call(node, 'GET', '/api/v1/auth/verify', { token: second.token })).status === 401);
    t.diagnostic(`${node}: refused after ${ms} ms`);
  }
});

test('logout ends the session on every node: its refresh token and its access token on live-session calls', async () => {
  const user = await newUser('logout');
  const session = await login(user);
  const other = await login(user); // a second session of the same user, which must live on
  for (const node of nodes) {
    await expect(200, node, 'GET', '/api/v1/auth/sessions', { token: session.token });
  }
  await expect(204, lb, 'POST', '/api/v1/auth/logout', { json: { refresh_token: session.refresh_token } });

  for (const node of nodes) {
    const refreshed = await call(node, 'POST', '/api/v1/auth/refresh', { json: { refresh_token: session.refresh_token } });
    assert.equal(refreshed.status, 401, `${node} refuses the ended session's refresh token`);
    const sessions = await call(node, 'GET', '/api/v1/auth/sessions', { token: session.token });
    assert.equal(sessions.status, 401, `${node} refuses the ended session's access token where a live session is needed`);
    assert.match(sessions.headers['www-authenticate'] ?? '', /error="invalid_token"/);
    await expect(200, node, 'GET', '/api/v1/auth/sessions', { token: other.token });
  }
});
