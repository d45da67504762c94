// Shared by the suite's files: the cluster's URLs (from run.sh), an HTTP client that can speak from a loopback
// address of its own, users, and polling.
//
// Why an address of its own: the nodes throttle per client address (SPEC 2), and with Redis that budget is the
// cluster's. Every file sends from a random address of 127.0.0.0/8 (Linux routes the whole block to loopback), so
// its calls count against a budget of its own: the throttling file can spend the whole limit without failing the
// others, and a second run against a running cluster starts afresh. haproxy passes the address on in
// X-Forwarded-For, which the nodes trust from 127.0.0.1 only (run-local.sh), so it is the address a node throttles.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite with tests/cluster/run.sh`);
  }
  return value.replace(/\/$/, '');
}

export const lb = required('CLUSTER_LB');
export const nodes = [required('CLUSTER_NODE1'), required('CLUSTER_NODE2'), required('CLUSTER_NODE3')];
export const admin = { email: required('CLUSTER_ADMIN_EMAIL'), password: process.env.CLUSTER_ADMIN_PASSWORD ?? '' };
/** The cluster's per-address limit (RateLimiting__PermitLimit per RateLimiting__WindowSeconds), as run.sh set it. */
export const permitLimit = Number(required('CLUSTER_PERMIT_LIMIT'));

/** A random loopback address, one per file (the process), not 127.0.0.1. */
export const source = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

// The load balancer ends TLS with a self-signed certificate (run-local.sh's CLUSTER_TLS=1, CLUSTER_CA); the nodes
// speak plain HTTP on loopback. Connections are kept alive (no TLS handshake per call); haproxy still balances each
// request of a connection to the next node (round robin, no prefer-last-server), and an idle socket does not keep
// the process alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true, ca: process.env.CLUSTER_CA ? readFileSync(process.env.CLUSTER_CA) : undefined }),
};

/**
 * One HTTP call: `base` is the load balancer or a node, `options.token` a Bearer token, `options.apiKey` an
 * X-API-Key, `options.json` a body. Answers { status, headers, body } with the body parsed when it is JSON.
 */
export function call(base, method, path, { token, apiKey, json, headers = {}, from = source } = {}) {
  const url = new URL(path, base + '/');
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const sent = { ...headers };
  if (token) sent.authorization = `Bearer ${token}`;
  if (apiKey) sent['x-api-key'] = apiKey;
  if (body) {
    sent['content-type'] = 'application/json';
    sent['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      { agent: agents[url.protocol], host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: sent, localAddress: from, timeout: 30_000 },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          if (/json/.test(response.headers['content-type'] ?? '') && text) {
            parsed = JSON.parse(text);
          }
          resolve({ status: response.statusCode, headers: response.headers, body: parsed, text });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Like call, but fails unless the status is `expected`; answers the body. */
export async function expect(expected, base, method, path, options) {
  const answer = await call(base, method, path, options);
  if (answer.status !== expected) {
    throw new Error(`${method} ${base}${path} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 400)}`);
  }
  return answer.body;
}

/** A password that passes the product's rules, unique to this run. */
export function password() {
  return `cluster ${randomBytes(9).toString('base64url')} horse`;
}

/** A new user registered through the load balancer: { email, password, id }. */
export async function newUser(label) {
  const email = `${label}-${Date.now()}-${randomBytes(4).toString('hex')}@cluster.test`;
  const secret = password();
  const created = await expect(201, lb, 'POST', '/api/v1/auth/register', { json: { email, password: secret, name: label } });
  return { email, password: secret, id: created.id };
}

/** A session of `user` through the load balancer (a user without 2FA). */
export function login(user, base = lb) {
  return expect(200, base, 'POST', '/api/v1/auth/login', { json: { email: user.email, password: user.password } });
}

/**
 * Polls `check` (an async function answering true when the wanted state is reached) every 20 ms until it is
 * true or `withinMs` passed; answers the milliseconds it took, or throws with `what`.
 */
export async function within(withinMs, what, check) {
  const start = performance.now();
  for (;;) {
    if (await check()) {
      return Math.round(performance.now() - start);
    }
    if (performance.now() - start > withinMs) {
      throw new Error(`${what}: not within ${withinMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The problem `code` of an answer (RFC 9457 body), or undefined. */
export const codeOf = (answer) => (typeof answer.body === 'object' && answer.body ? answer.body.code : undefined);

/** The claims of a JWT (not checked: the server checks it). */
export function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

export function header(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}
