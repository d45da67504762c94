// Two-factor authentication (SPEC 7) through the load balancer: enrolment by the QR code's otpauth:// URI, codes
// computed as an authenticator app computes them (the otpauth package), the second login step, a code replayed on
// another node, a recovery code used twice, step-up, and turning 2FA off.
//
// A code is accepted once per time step and account, whichever node checks it (the last step is in the database),
// and the server tolerates one step of drift each way. So that the file needs no 30-second wait, 2FA is enabled
// with the code of the previous step and the login uses the current step's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as OTPAuth from 'otpauth';
import { lb, nodes, call, expect, newUser, login, within, codeOf, claims } from './lib/cluster.mjs';

const period = 30;
const stepNow = () => Math.floor(Date.now() / 1000 / period);

/** Waits until at least `ms` are left in the current step (a code must not cross into the next step on its way). */
async function roomInStep(ms) {
  const left = (stepNow() + 1) * period * 1000 - Date.now();
  if (left < ms) {
    await new Promise((resolve) => setTimeout(resolve, left + 100));
  }
}

const codeAt = (totp, step) => totp.generate({ timestamp: step * period * 1000 });

test('two-factor: enrol by QR code, login needs the code, no replay on another node, recovery code once, disable', async (t) => {
  const user = await newUser('totp');
  const session = await login(user);

  // Enrolment: the QR code (data: URI in the answer, and the PNG through another node) holds the otpauth:// URI.
  const setup = await expect(200, lb, 'POST', '/api/v1/auth/2fa/setup', { token: session.token, json: { current_password: user.password } });
  assert.match(setup.qr_code, /^data:image\/png;base64,/);
  assert.deepEqual([...Buffer.from(setup.qr_code.split(',')[1], 'base64').subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  for (let i = 0; i < 2; i++) {
    const png = await call(lb, 'GET', '/api/v1/auth/2fa/qr.png', { token: session.token });
    assert.equal(png.status, 200);
    assert.equal(png.headers['content-type'], 'image/png');
  }
  const totp = OTPAuth.URI.parse(setup.otpauth_uri);
  assert.ok(totp instanceof OTPAuth.TOTP, `a TOTP URI: ${setup.otpauth_uri}`);
  assert.equal(totp.secret.base32.replace(/=+$/, ''), setup.secret.replace(/=+$/, ''));
  assert.equal(totp.secret.bytes.length * 8, 160, 'a 160-bit secret');
  assert.equal(totp.digits, 6);
  assert.equal(totp.period, period);

  const wrongEnable = await call(lb, 'POST', '/api/v1/auth/2fa/enable', { token: session.token, json: { code: '000000', current_password: user.password } });
  assert.equal(wrongEnable.status, 401, 'a wrong code does not enable 2FA');
  assert.equal(codeOf(wrongEnable), 'invalid_mfa_code');

  await roomInStep(5000);
  const step = stepNow();
  const enabled = await expect(200, lb, 'POST', '/api/v1/auth/2fa/enable', { token: session.token, json: { code: codeAt(totp, step - 1), current_password: user.password } });
  assert.equal(enabled.recovery_codes.length, 10);

  // Enabling ends the account's access tokens: every node refuses the old one within a second.
  await Promise.all(nodes.map(async (node) => {
    const ms = await within(1000, `${node} still accepts the access token of before 2FA`, async () =>
      (await call(node, 'GET', '/api/v1/auth/verify', { token: session.token })).status === 401);
    t.diagnostic(`${node} refuses the token of before 2FA after ${ms} ms`);
  }));

  // Login now needs the second step; the TOTP code works once, through node 1, and is refused by node 2.
  const challenge = await login(user);
  assert.equal(challenge.mfa_required, true);
  assert.ok(challenge.mfa_token);
  assert.equal(challenge.token, undefined, 'no usable token before the second step');
  const code = codeAt(totp, step);
  const signedIn = await expect(200, nodes[0], 'POST', '/api/v1/auth/login/2fa', { json: { mfa_token: challenge.mfa_token, code } });
  assert.ok(claims(signedIn.token).amr.includes('otp'), 'amr holds otp');
  const me = await expect(200, lb, 'GET', '/api/v1/auth/me', { token: signedIn.token });
  assert.equal(me.two_factor_enabled, true);

  const again = await login(user);
  const replayed = await call(nodes[1], 'POST', '/api/v1/auth/login/2fa', { json: { mfa_token: again.mfa_token, code } });
  assert.equal(replayed.status, 401, 'a code accepted by node 1 is refused by node 2');
  assert.equal(codeOf(replayed), 'invalid_mfa_code');
  const stale = await call(nodes[2], 'POST', '/api/v1/auth/login/2fa', { json: { mfa_token: again.mfa_token, code: codeAt(totp, step - 1) } });
  assert.equal(stale.status, 401, 'nor is an older step accepted by node 3');

  // A recovery code works once (node 2), then not again (node 3).
  const [recovery, spare] = enabled.recovery_codes;
  const recovered = await expect(200, nodes[1], 'POST', '/api/v1/auth/login/2fa', { json: { mfa_token: again.mfa_token, recovery_code: recovery } });
  assert.ok(recovered.token);
  const third = await login(user);
  const reusedRecovery = await call(nodes[2], 'POST', '/api/v1/auth/login/2fa', { json: { mfa_token: third.mfa_token, recovery_code: recovery } });
  assert.equal(reusedRecovery.status, 401, 'a recovery code works once');
  const status = await expect(200, lb, 'GET', '/api/v1/auth/2fa', { token: signedIn.token });
  assert.deepEqual(status, { enabled: true, recovery_codes_left: 9 });

  // Step-up: a session whose login checked the code may create a key; one without that proof may not.
  const fresh = await call(lb, 'POST', '/api/v1/auth/api-keys', { token: signedIn.token, json: { name: 'stepped up', permissions: ['profile'] } });
  assert.equal(fresh.status, 201);
  const refreshed = await expect(200, lb, 'POST', '/api/v1/auth/refresh', { json: { refresh_token: session.refresh_token } });
  const unproven = await call(lb, 'POST', '/api/v1/auth/api-keys', { token: refreshed.token, json: { name: 'no proof', permissions: ['profile'] } });
  assert.equal(unproven.status, 403, 'the session of before 2FA has no proof of the second factor');
  assert.equal(codeOf(unproven), 'mfa_required');

  // Disable with the other recovery code; login is one step again.
  await expect(204, lb, 'POST', '/api/v1/auth/2fa/disable', { token: signedIn.token, json: { recovery_code: spare } });
  const plain = await login(user);
  assert.ok(plain.token, 'login answers a session at once');
  assert.notEqual(plain.mfa_required, true);
  const off = await expect(200, lb, 'GET', '/api/v1/auth/2fa', { token: plain.token });
  assert.equal(off.enabled, false);
});
