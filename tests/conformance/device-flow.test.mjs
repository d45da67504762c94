// RFC 8628, the device authorization grant, as a command-line tool uses it: openid-client's
// initiateDeviceAuthorization and pollDeviceAuthorizationGrant (which waits the interval, honours
// slow_down and validates the token response and the id_token), while a person approves on the
// verification page, driven like a browser (cookies, forms, the login and second-factor pages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, client, configure, explained, fixture, insecure, issuer, nextTotp, oauth, parseForm, rejection, users } from './lib/helpers.mjs';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

/**
 * Opens the verification link and answers every page (login, second factor, code entry, the
 * decision) as `user`; returns the text of the last page.
 */
async function verifyOnThePage(link, user, { decision = 'approve', pages = [], userCode } = {}) {
  const browser = new Browser();
  let response = await browser.get(link);
  for (let step = 0; step < 10; step++) {
    if (response.status >= 300 && response.status < 400) {
      response = await browser.get(new URL(response.headers.get('location'), issuer));
      continue;
    }

    const html = await response.text();
    const form = response.status === 200 ? parseForm(html) : null;
    if (!form) {
      if (response.status === 200) {
        return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
      }
      throw new Error(`the verification stopped at a ${response.status} page: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
    }

    const action = new URL(form.action, issuer);
    const fields = { ...form.inputs };
    if ('password' in fields) {
      pages.push('login');
      Object.assign(fields, { email: user.email, password: fixture.password });
    } else if ('code' in fields) {
      pages.push('second_factor');
      fields.code = nextTotp(user);
    } else if (action.pathname.endsWith('/decision')) {
      pages.push('decision');
      fields.decision = decision;
    } else if ('user_code' in fields) {
      pages.push('code');
      if (userCode) {
        fields.user_code = userCode;
      }
    } else {
      throw new Error(`unexpected form posting to ${action.pathname}`);
    }
    response = await browser.post(action, fields);
  }
  throw new Error('the verification did not end after 10 steps');
}

test('discovery lists the device authorization endpoint and grant', async () => {
  const config = await configure('device_public');
  const metadata = config.serverMetadata();
  assert.equal(metadata.device_authorization_endpoint, new URL('/oauth/device_authorization', issuer).href);
  assert.ok(metadata.grant_types_supported.includes('urn:ietf:params:oauth:grant-type:device_code'));
});

test('public CLI: device authorization, approval on the page, tokens with a valid id_token and a refresh token', async () => {
  const config = await configure('device_public');
  const started = await explained(client.initiateDeviceAuthorization(config, { scope: 'openid profile email' }));

  assert.match(started.user_code, USER_CODE);
  assert.equal(started.verification_uri, new URL('/oauth/device', issuer).href);
  assert.equal(started.verification_uri_complete, `${started.verification_uri}?user_code=${started.user_code}`);
  assert.equal(started.expires_in, 600);
  assert.equal(started.interval, 5);

  const polling = explained(client.pollDeviceAuthorizationGrant(config, started));
  const pages = [];
  const done = await verifyOnThePage(started.verification_uri_complete, users.alice, { pages });
  assert.deepEqual(pages, ['login', 'code', 'decision']);
  assert.match(done, /Device connected/);

  const tokens = await polling;
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(typeof tokens.refresh_token, 'string');
  assert.deepEqual(tokens.scope.split(' '), ['openid', 'profile', 'email']);
  const claims = tokens.claims();
  assert.equal(claims.iss, fixture.base_url);
  assert.equal(claims.sub, users.alice.id);
  assert.equal(claims.aud, fixture.clients.device_public.client_id);
  assert.ok(claims.amr.includes('pwd'), `amr: ${JSON.stringify(claims.amr)}`);
  assert.ok(Math.abs(claims.auth_time - Date.now() / 1000) < 300, 'auth_time is the login on the page');

  const refreshed = await explained(client.refreshTokenGrant(config, tokens.refresh_token));
  assert.equal(typeof refreshed.access_token, 'string');
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'the refresh token rotates');
  const replay = await rejection(() => client.pollDeviceAuthorizationGrant(config, { ...started, interval: 0 }));
  assert.equal(replay.error, 'invalid_grant', `a device code is redeemed once${replay.detail}`);
});

test('confidential device (client_secret_basic), a person with 2FA typing the code: amr holds otp', async () => {
  const config = await configure('device_confidential');
  const started = await explained(client.initiateDeviceAuthorization(config, { scope: 'openid' }));
  const polling = explained(client.pollDeviceAuthorizationGrant(config, started));

  const pages = [];
  await verifyOnThePage(started.verification_uri, users.carol, { pages, userCode: started.user_code.toLowerCase().replace('-', '') });
  assert.deepEqual(pages, ['login', 'second_factor', 'code', 'decision']);

  const tokens = await polling;
  assert.equal(tokens.refresh_token, undefined, 'the client has no refresh_token grant');
  assert.equal(tokens.claims().sub, users.carol.id);
  assert.ok(tokens.claims().amr.includes('otp'), `amr: ${JSON.stringify(tokens.claims().amr)}`);
});

test('a denial on the page ends the polling with access_denied', async () => {
  const config = await configure('device_public');
  const started = await explained(client.initiateDeviceAuthorization(config, { scope: 'openid' }));
  const polling = rejection(() => client.pollDeviceAuthorizationGrant(config, started));

  await verifyOnThePage(started.verification_uri_complete, users.alice, { decision: 'deny' });

  const refused = await polling;
  assert.equal(refused.error, 'access_denied', refused.detail);
});

test('oauth4webapi: authorization_pending, then slow_down when polled sooner than the interval', async () => {
  const config = await configure('device_public');
  const as = config.serverMetadata();
  const c = { client_id: fixture.clients.device_public.client_id };
  const started = await oauth.processDeviceAuthorizationResponse(
    as, c, await oauth.deviceAuthorizationRequest(as, c, oauth.None(), { scope: 'openid' }, insecure));

  const poll = async () => {
    const response = await oauth.deviceCodeGrantRequest(as, c, oauth.None(), started.device_code, insecure);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return rejection(() => oauth.processDeviceCodeResponse(as, c, response));
  };
  assert.equal((await poll()).error, 'authorization_pending');
  assert.equal((await poll()).error, 'slow_down');
});

test('a client not registered for the device grant is refused at the device authorization endpoint', async () => {
  const config = await configure('confidential');
  const refused = await rejection(() => client.initiateDeviceAuthorization(config, { scope: 'openid' }));
  assert.equal(refused.error, 'unauthorized_client', refused.detail);
});
