// Debian's Chromium driven by playwright-core (no browser download), and what every scenario shares:
// contexts that record each request (scenario 7: nothing may load from outside the server) and each
// uncaught script error, signing in through the page, and waiting for a page by its <h1>.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { baseUrl, origin, chromiumPath } from './env.mjs';

const foreignRequests = [];
const scriptErrors = [];
const browsers = [];

export async function launch() {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  browsers.push(browser);
  return browser;
}

after(async () => {
  await Promise.all(browsers.map((b) => b.close().catch(() => {})));
});

/** Whether the URL is fetched from this server; data: and blob: URLs load nothing from anywhere. */
export function isOwnOrigin(url) {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.href === 'about:blank') return true;
  return parsed.origin === origin;
}

/**
 * A browser context at the server: 1280x800 and the light scheme unless told otherwise; every request is
 * recorded, and every page's uncaught errors. `clipboard: true` grants clipboard reading and writing.
 */
export async function newContext(browser, { viewport = { width: 1280, height: 800 }, colorScheme = 'light', clipboard = false } = {}) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, colorScheme, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.on('request', (request) => {
    if (!isOwnOrigin(request.url())) foreignRequests.push(`${request.method()} ${request.url()} (from ${request.frame()?.url() ?? '?'})`);
  });
  // A load the page's Content-Security-Policy refused never becomes a request, but the page tried: record it too.
  await context.exposeBinding('__browserTestsCspViolation', ({ page }, uri, directive) => {
    foreignRequests.push(`refused by the Content-Security-Policy (${directive}): ${uri} (from ${page.url()})`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__browserTestsCspViolation(event.blockedURI, event.effectiveDirective);
    });
  });
  context.on('page', (page) => watchPage(page));
  return context;
}

function watchPage(page) {
  page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  page.on('websocket', (socket) => {
    if (!isOwnOrigin(socket.url().replace(/^ws/, 'http'))) foreignRequests.push(`WebSocket ${socket.url()}`);
  });
}

/** The <h1> of a page, by its accessible name (docs/dashboard.md, "What the browser tests rely on"). */
export function heading(page, name) {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

/** Waits until the page shows the <h1> named `name`. */
export async function expectPage(page, name, timeout = 10_000) {
  await heading(page, name).waitFor({ state: 'visible', timeout });
}

/** Opens a hash route (e.g. '#/keys') and waits for its <h1>. */
export async function openRoute(page, route, name) {
  await page.goto(`/${route}`);
  await expectPage(page, name);
}

/** Signs in through the sign-in page with the mouse: e-mail and password, then the button. */
export async function signIn(page, { email, password }, { expect = 'Overview' } = {}) {
  await page.goto('/#/signin');
  await expectPage(page, 'Sign in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (expect) await expectPage(page, expect);
}

/** Waits until the page has had no request in flight for `quietMs` (at most `timeout`): its data has loaded. */
export async function settle(page, { quietMs = 300, timeout = 10_000 } = {}) {
  let inFlight = 0;
  let lastChange = Date.now();
  const started = () => { inFlight++; lastChange = Date.now(); };
  const ended = () => { inFlight = Math.max(0, inFlight - 1); lastChange = Date.now(); };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastChange < quietMs)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

/** The alert (role="alert") whose text matches `pattern`, once shown. */
export async function expectAlert(page, pattern, timeout = 10_000) {
  const alert = page.getByRole('alert').filter({ hasText: pattern });
  await alert.first().waitFor({ state: 'visible', timeout });
  return (await alert.first().innerText()).trim();
}

/**
 * The last tests of each file: no page of the file's contexts loaded, or tried to load, anything from another
 * origin (scenario 7), and no page threw an uncaught error.
 */
export function finalChecks() {
  test('no page loaded anything from outside the server', () => {
    assert.deepEqual(foreignRequests, [], `requests to other origins than ${origin}:\n  ${foreignRequests.join('\n  ')}`);
  });
  test('no page threw an uncaught script error', () => {
    assert.deepEqual(scriptErrors, [], `uncaught errors:\n  ${scriptErrors.join('\n  ')}`);
  });
}
