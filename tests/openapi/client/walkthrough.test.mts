// The README's REST walk-throughs through a client that an independent generator made from the document the server
// serves (tests/openapi/run.sh: openapi-typescript writes generated/schema.ts from GET /openapi/v1.json, tsc checks
// this file against it, openapi-fetch sends the requests). Nothing here is hand-typed: every path, parameter, body
// and answer is the generated one, so a document that says something other than the wire fails to compile or here.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import createClient from "openapi-fetch";
import type { paths } from "./generated/schema.js";

const baseUrl = process.env.OPENAPI_CLIENT_BASE_URL ?? assert.fail("OPENAPI_CLIENT_BASE_URL is not set");
const api = createClient<paths>({ baseUrl });
const password = "correct horse battery staple";
const form = { "Content-Type": "application/x-www-form-urlencoded" } as const;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
let people = 0;

/** RFC 6238 (SHA-1, 6 digits, 30 s) of a base32 secret, for time step `step`. */
function totp(secret: string, step: number): string {
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** A code the server accepts now: each step once (a step after the last one used), one step of drift each way. */
function codes(secret: string) {
  let last = -Infinity;
  return async () => {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const late = Date.now() % 30_000 > 25_000; // the previous step may be gone by the time the server checks
      const step = Math.max(last + 1, late ? now : now - 1);
      if (step <= now + 1) {
        last = step;
        return totp(secret, step);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
}

async function register(name: string) {
  const email = `${name.toLowerCase()}-${process.pid}-${++people}@example.com`;
  const { data, response } = await api.POST("/api/v1/auth/register", { body: { email, password, name } });
  assert.equal(response.status, 201);
  assert.equal(data?.email, email);
  return email;
}

async function login(email: string) {
  const { data, response } = await api.POST("/api/v1/auth/login", { body: { email, password } });
  assert.equal(response.status, 200);
  assert.ok(data);
  return data;
}

async function session(email: string) {
  const answer = await login(email);
  assert.equal(answer.mfa_required, false);
  assert.ok(answer.token && answer.refresh_token);
  return { token: answer.token, refresh: answer.refresh_token };
}

test("sessions: register, login, me, verify, sessions, JWKS, refresh, logout, reuse detection", async () => {
  const email = await register("Alice");
  const answer = await login(email);
  assert.equal(answer.mfa_required, false);
  assert.equal(answer.token_type, "Bearer");
  assert.equal(answer.user?.email, email);
  assert.equal(answer.mfa_token, undefined);
  const token = answer.token!;

  const me = await api.GET("/api/v1/auth/me", { headers: bearer(token) });
  assert.equal(me.data?.auth.method, "jwt");
  assert.equal(me.data?.two_factor_enabled, false);
  const verify = await api.GET("/api/v1/auth/verify", { headers: bearer(token) });
  assert.equal(verify.data?.active, true);
  assert.equal(verify.data?.subject, me.data?.id);
  const sessions = await api.GET("/api/v1/auth/sessions", { headers: bearer(token) });
  assert.equal(sessions.data?.length, 1);
  assert.equal(sessions.data?.[0].current, true);
  const jwks = await api.GET("/.well-known/jwks.json");
  assert.ok((jwks.data?.keys.length ?? 0) >= 1);

  const refreshed = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: answer.refresh_token! } });
  assert.equal(refreshed.response.status, 200);
  assert.notEqual(refreshed.data?.refresh_token, answer.refresh_token);
  const logout = await api.POST("/api/v1/auth/logout", { body: { refresh_token: refreshed.data!.refresh_token } });
  assert.equal(logout.response.status, 204);
  const after = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: refreshed.data!.refresh_token } });
  assert.equal(after.response.status, 401);
  assert.equal(after.error?.code, "invalid_token");

  const { refresh } = await session(email);
  const newest = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } });
  assert.equal(newest.response.status, 200);
  const reused = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } });
  assert.equal(reused.error?.code, "refresh_token_reused");
  const ended = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: newest.data!.refresh_token } });
  assert.equal(ended.error?.code, "invalid_token");
});

test("sessions: list the account's sessions and revoke another one", async () => {
  const email = await register("Erin");
  const other = await session(email);
  const { token } = await session(email);
  const listed = await api.GET("/api/v1/auth/sessions", { headers: bearer(token) });
  assert.equal(listed.data?.length, 2);
  const target = listed.data!.find((s) => !s.current)!;
  const revoked = await api.DELETE("/api/v1/auth/sessions/{id}", { params: { path: { id: target.id } }, headers: bearer(token) });
  assert.equal(revoked.response.status, 204);
  const refused = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: other.refresh } });
  assert.equal(refused.response.status, 401);
  assert.equal((await api.GET("/api/v1/auth/sessions", { headers: bearer(token) })).data?.length, 1);
});

test("API keys: create, use with each header, scope refusal, list, revoke", async () => {
  const { token } = await session(await register("Bob"));
  const created = await api.POST("/api/v1/auth/api-keys", {
    headers: bearer(token),
    body: { name: "ci deploy", permissions: ["profile", "api_keys:read"] },
  });
  assert.equal(created.response.status, 201);
  const key = created.data!.key;
  assert.match(key, /^ap_/);

  assert.equal((await api.GET("/api/v1/auth/me", { headers: bearer(key) })).data?.auth.method, "api_key");
  assert.equal((await api.GET("/api/v1/auth/verify", { headers: { Authorization: key } })).data?.method, "api_key");
  const viaHeader = await api.GET("/api/v1/auth/verify", { headers: { "X-API-Key": key } });
  assert.equal(viaHeader.data?.api_key_id, created.data!.id);
  const wider = await api.POST("/api/v1/auth/api-keys", { headers: { "X-API-Key": key }, body: { name: "wider", permissions: ["profile"] } });
  assert.equal(wider.response.status, 403);
  assert.equal(wider.error?.code, "insufficient_scope");

  const listed = await api.GET("/api/v1/auth/api-keys", { headers: bearer(token) });
  assert.deepEqual(listed.data?.map((k) => k.key_prefix), [created.data!.key_prefix]);
  const revoked = await api.POST("/api/v1/auth/api-keys/{id}/revoke", { params: { path: { id: created.data!.id } }, headers: bearer(token) });
  assert.ok(revoked.data?.revoked_at);
  const refused = await api.GET("/api/v1/auth/verify", { headers: { "X-API-Key": key } });
  assert.equal(refused.response.status, 401);
  assert.equal(refused.error?.code, "invalid_api_key");
});

test("two-factor authentication: enable, login with a code and a recovery code, step-up with X-2FA-Code", async () => {
  const email = await register("Carol");
  let { token, refresh } = await session(email);
  const setup = await api.POST("/api/v1/auth/2fa/setup", { headers: bearer(token), body: { current_password: password } });
  assert.equal(setup.response.status, 200);
  assert.match(setup.data!.otpauth_uri, /^otpauth:\/\/totp\//);
  const code = codes(setup.data!.secret);
  const qr = await api.GET("/api/v1/auth/2fa/qr.png", { headers: bearer(token), parseAs: "arrayBuffer" });
  assert.equal(qr.response.headers.get("content-type"), "image/png");
  assert.deepEqual([...new Uint8Array(qr.data!).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

  const enabled = await api.POST("/api/v1/auth/2fa/enable", { headers: bearer(token), body: { code: await code(), current_password: password } });
  assert.equal(enabled.data?.recovery_codes.length, 10);
  assert.equal((await api.GET("/api/v1/auth/2fa", { headers: bearer(token) })).response.status, 401); // enabling ended this token
  const renewed = await api.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } });
  token = renewed.data!.token;
  refresh = renewed.data!.refresh_token!;
  assert.equal((await api.GET("/api/v1/auth/2fa", { headers: bearer(token) })).data?.enabled, true);

  const challenge = await login(email);
  assert.equal(challenge.mfa_required, true);
  assert.equal(challenge.token, undefined);
  assert.ok(challenge.mfa_token);
  const spent = await code();
  const second = await api.POST("/api/v1/auth/login/2fa", { body: { mfa_token: challenge.mfa_token, code: spent } });
  assert.equal(second.response.status, 200);
  const token2fa = second.data!.token;
  const again = await api.POST("/api/v1/auth/login/2fa", { body: { mfa_token: challenge.mfa_token, code: spent } });
  assert.equal(again.response.status, 401);
  assert.equal(again.error?.code, "invalid_mfa_code");

  const withRecovery = await api.POST("/api/v1/auth/login/2fa", {
    body: { mfa_token: (await login(email)).mfa_token!, recovery_code: enabled.data!.recovery_codes[0] },
  });
  assert.equal(withRecovery.response.status, 200);
  assert.equal((await api.GET("/api/v1/auth/2fa", { headers: bearer(token2fa) })).data?.recovery_codes_left, 9);

  // Step-up: the fresh 2FA session may; the session from before enrolment needs a current code in X-2FA-Code.
  const created = await api.POST("/api/v1/auth/api-keys", { headers: bearer(token2fa), body: { name: "deploy", permissions: ["profile"] } });
  assert.equal(created.response.status, 201);
  const noProof = await api.POST("/api/v1/auth/api-keys", { headers: bearer(token), body: { name: "deploy 2", permissions: ["profile"] } });
  assert.equal(noProof.response.status, 403);
  assert.equal(noProof.error?.code, "mfa_required");
  const rotated = await api.POST("/api/v1/auth/api-keys/{id}/rotate", {
    headers: bearer(token),
    params: { path: { id: created.data!.id }, header: { "X-2FA-Code": await code() } },
  });
  assert.equal(rotated.response.status, 201);
  assert.notEqual(rotated.data!.key, created.data!.key);
  assert.equal((await api.GET("/api/v1/auth/verify", { headers: { "X-API-Key": rotated.data!.key } })).data?.active, true);
  assert.equal((await api.GET("/api/v1/auth/verify", { headers: { "X-API-Key": created.data!.key } })).response.status, 401);

  const failed = await api.GET("/api/v1/audit-events", { headers: bearer(token2fa), params: { query: { type: "mfa.failed" } } });
  assert.equal(failed.response.status, 200);
  assert.deepEqual(failed.data?.map((e) => e.type), ["mfa.failed"]);
});

test("service accounts: create, client credentials with Basic and in the form, errors", async () => {
  const { token } = await session(await register("Dave"));
  const account = await api.POST("/api/v1/service-accounts", {
    headers: bearer(token),
    body: { name: "billing-sync", description: "nightly invoice export", scopes: ["profile", "api_keys:read"] },
  });
  assert.equal(account.response.status, 201);
  const { id, client_id, client_secret } = account.data!;
  const basic = (secret: string) => ({ ...form, Authorization: `Basic ${Buffer.from(`${client_id}:${secret}`).toString("base64")}` });

  const viaBasic = await api.POST("/oauth/token", { headers: basic(client_secret), body: { grant_type: "client_credentials", scope: "profile" } });
  assert.equal(viaBasic.response.status, 200);
  assert.equal(viaBasic.data?.scope, "profile");
  const viaForm = await api.POST("/oauth/token", { headers: form, body: { grant_type: "client_credentials", client_id, client_secret } });
  const verified = await api.GET("/api/v1/auth/verify", { headers: bearer(viaForm.data!.access_token) });
  assert.equal(verified.data?.method, "oauth");
  assert.equal(verified.data?.client_id, client_id);

  const wrong = await api.POST("/oauth/token", { headers: basic("wrong"), body: { grant_type: "client_credentials" } });
  assert.equal(wrong.response.status, 401);
  assert.equal(wrong.error && "error" in wrong.error ? wrong.error.error : wrong.error, "invalid_client"); // RFC 6749 JSON, not a problem (503)
  const tooWide = await api.POST("/oauth/token", { headers: basic(client_secret), body: { grant_type: "client_credentials", scope: "admin" } });
  assert.equal(tooWide.error && "error" in tooWide.error ? tooWide.error.error : tooWide.error, "invalid_scope");

  const secret = await api.POST("/api/v1/service-accounts/{id}/secrets", { headers: bearer(token), params: { path: { id } }, body: {} });
  assert.equal(secret.response.status, 201);
  const listed = await api.GET("/api/v1/service-accounts/{id}", { headers: bearer(token), params: { path: { id } } });
  assert.equal(listed.data?.client_id, client_id);
});
