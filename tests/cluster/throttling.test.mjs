// Throttling per client address (SPEC 2) holds for the cluster: with Redis the window is shared, so three nodes
// allow the limit once, not three times. Each test sends from a loopback address of its own (lib/cluster.mjs), so
// it starts with the whole budget, and sends the limit and 30 more failed logins (unknown emails: no account is
// locked, each one costs the server a password hash) within one window (RateLimiting__WindowSeconds, 60 s by
// run.sh). Exactly the limit must be answered 401 and the 30 others 429; three nodes counting alone (three times
// the limit) would let all of them through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { lb, nodes, call, codeOf, permitLimit } from './lib/cluster.mjs';

const OVER = 30;
const freshAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function burst(bases, from, count) {
  const answers = [];
  let next = 0;
  // Four at a time: quick, and the counts do not depend on the order.
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < count) {
      const i = next++;
      const email = `nobody-${randomBytes(6).toString('hex')}@cluster.test`;
      answers[i] = await call(bases[i % bases.length], 'POST', '/api/v1/auth/login', { from, json: { email, password: 'not a password of anyone' } });
    }
  }));
  return answers;
}

function assertClusterLimit(answers, where) {
  const statuses = answers.map((a) => a.status);
  const passed = statuses.filter((s) => s === 401).length;
  const throttled = answers.filter((a) => a.status === 429);
  assert.equal(passed + throttled.length, answers.length, `only 401 and 429 answers (${where}): ${[...new Set(statuses)]}`);
  assert.equal(passed, permitLimit, `${where}: the cluster let ${passed} failed logins through, its limit is ${permitLimit}`);
  for (const answer of throttled) {
    assert.equal(codeOf(answer), 'rate_limited');
    assert.match(answer.headers['retry-after'] ?? '', /^[1-9][0-9]*$/, 'Retry-After in seconds');
  }
}

test('a burst of failed logins through the load balancer is throttled at the cluster limit, not three times it', async () => {
  const from = freshAddress();
  const answers = await burst([lb], from, permitLimit + OVER);
  assertClusterLimit(answers, 'through the load balancer');
  // The address is refused on every node now, before any password is checked.
  for (const node of nodes) {
    const refused = await call(node, 'POST', '/api/v1/auth/login', { from, json: { email: 'admin@cluster.test', password: 'whatever it is' } });
    assert.equal(refused.status, 429, `${node} throttles the address too`);
  }
});

test('a burst spread over the three nodes directly is throttled at the cluster limit', async () => {
  const from = freshAddress();
  const answers = await burst(nodes, from, permitLimit + OVER);
  assertClusterLimit(answers, 'over the nodes directly');
  for (const [i, node] of nodes.entries()) {
    const mine = answers.filter((_, j) => j % nodes.length === i);
    assert.ok(mine.some((a) => a.status === 429), `${node} refused its share too`);
  }
});
