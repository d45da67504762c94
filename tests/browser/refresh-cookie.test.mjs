// Scenario 5 (issue 11): the dashboard keeps its refresh token in the HttpOnly cookie `authplatform.refresh`
// (sign-in with `X-Refresh-Token-Transport: cookie`; the cookie is set for /api/v1/auth/refresh and for
// /api/v1/auth/logout alone, and using it takes `X-AuthPlatform-CSRF: 1`):
// a reload keeps the person signed in, no script can read the cookie, and signing out ends the session on the
// server, so the old cookie value no longer refreshes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, signIn, expectPage, finalChecks } from './lib/browser.mjs';
import { navigate, signOut } from './lib/dashboard.mjs';
import { call, registerUser } from './lib/api.mjs';
import { origin } from './lib/env.mjs';

const cookieName = 'authplatform.refresh';
let browser;
let context;
let page;
let user;

before(async () => {
  user = await registerUser('cookie');
  browser = await launch();
  context = await newContext(browser);
  page = await context.newPage();
});

const cookiePaths = ['/api/v1/auth/refresh', '/api/v1/auth/logout'];

/** The refresh cookie the context would send to `path`. */
async function refreshCookie(ctx, path = cookiePaths[0]) {
  return (await ctx.cookies(origin + path)).find((c) => c.name === cookieName);
}

/** POST /api/v1/auth/refresh from Node with a refresh cookie's value, as the page sends it (lib: app/api.js). */
function refreshWith(value) {
  return call('POST', '/api/v1/auth/refresh', {
    body: {},
    headers: { cookie: `${cookieName}=${value}`, 'x-authplatform-csrf': '1', origin },
  });
}

test('signing in sets the refresh token as an HttpOnly cookie for the refresh and logout paths only, out of scripts\' reach', async () => {
  await signIn(page, user);
  let cookie;
  for (const path of cookiePaths) {
    cookie = await refreshCookie(context, path);
    assert.ok(cookie, `a cookie ${cookieName} for ${path}; the context has: ${JSON.stringify(await context.cookies())}`);
    assert.equal(cookie.httpOnly, true, `HttpOnly (${path})`);
    assert.equal(cookie.sameSite, 'Strict', `SameSite (${path})`);
    assert.equal(cookie.secure, false, 'not Secure: plain HTTP on loopback in Development');
  }
  for (const path of ['/', '/api/v1/auth/me', '/api/v1/auth/sessions']) {
    const sent = (await context.cookies(origin + path)).find((c) => c.name === cookieName);
    assert.equal(sent, undefined, `the cookie is not sent to ${path}`);
  }
  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  assert.ok(!visible.cookie.includes(cookieName), `document.cookie shows it: ${visible.cookie}`);
  assert.ok(!visible.cookie.includes(cookie.value) && !visible.storage.includes(cookie.value),
    'the refresh token is nowhere a script can read it (document.cookie, localStorage, sessionStorage)');
});

test('a reload keeps the person signed in', async () => {
  await page.reload();
  await expectPage(page, 'Overview');
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).count(), 0);
  await navigate(page, 'API keys');
  await page.reload();
  await expectPage(page, 'API keys');
});

test('control: a live refresh cookie, sent from Node the way the browser sends it, refreshes (200)', async () => {
  // Another context of its own: using its cookie here spends it.
  const other = await newContext(browser);
  await signIn(await other.newPage(), user);
  const cookie = await refreshCookie(other);
  assert.ok(cookie, 'the other context has a refresh cookie');
  const answer = await refreshWith(cookie.value);
  assert.equal(answer.status, 200, answer.text);
  await other.close();
});

test('signing out ends the session on the server: the cookie is gone, and its old value no longer refreshes (401)', async () => {
  const before = await refreshCookie(context);
  assert.ok(before, 'signed in with a refresh cookie');
  await signOut(page);
  for (const path of cookiePaths) {
    const after = await refreshCookie(context, path);
    assert.ok(!after || after.value === '', `the cookie for ${path} is still there after sign-out: ${JSON.stringify(after)}`);
  }
  const answer = await refreshWith(before.value);
  assert.equal(answer.status, 401, `a refresh with the signed-out cookie answers ${answer.status}: ${answer.text}`);
  await page.reload();
  await expectPage(page, 'Sign in');
});

finalChecks();
