// Scenario 6 (issue 11): axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) finds no serious or critical violation on
// any page of the dashboard: signed out (sign-in, sign-up) and signed in as the bootstrap administrator (every
// route, #/admin included), each at 1440 and 375 px wide, in the light and the dark scheme. At 375 px no page is
// wider than the window (no horizontal scrolling). Every page has one <h1>.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, signIn, expectPage, settle, finalChecks } from './lib/browser.mjs';
import { routes, adminRoute, signedOutRoutes } from './lib/dashboard.mjs';
import { seriousViolations, horizontalOverflow } from './lib/axe.mjs';
import { admin } from './lib/env.mjs';

const variants = [];
for (const width of [1440, 375]) {
  for (const colorScheme of ['light', 'dark']) variants.push({ width, colorScheme });
}

let signedOut;
let signedIn;

before(async () => {
  const browser = await launch();
  signedOut = await (await newContext(browser)).newPage();
  signedIn = await (await newContext(browser)).newPage();
  await signIn(signedIn, admin);
});

/** Scans one route in every variant; fails with every problem found, readably. */
async function scan(page, route, h1) {
  const problems = [];
  for (const { width, colorScheme } of variants) {
    const where = `${route} at ${width} px, ${colorScheme}`;
    await page.setViewportSize({ width, height: width > 1000 ? 900 : 812 });
    await page.emulateMedia({ colorScheme });
    await page.goto(`/${route}`);
    await expectPage(page, h1);
    await settle(page);
    const h1s = await page.getByRole('heading', { level: 1 }).count();
    if (h1s !== 1) problems.push(`${where}: ${h1s} <h1> elements, not one`);
    for (const violation of await seriousViolations(page)) problems.push(`${where}: ${violation}`);
    if (width === 375) {
      const overflow = await horizontalOverflow(page);
      if (overflow) problems.push(`${where}: wider than the window: ${overflow}`);
    }
  }
  assert.equal(problems.length, 0, `\n  ${problems.join('\n  ')}`);
}

test('the dashboard is served at /, and signed out it opens on the sign-in page', async () => {
  const response = await signedOut.goto('/');
  assert.equal(response.status(), 200, `GET / answered ${response.status()}`);
  assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
  await expectPage(signedOut, 'Sign in');
});

for (const [route, h1] of signedOutRoutes) {
  test(`signed out: ${route} (${h1})`, () => scan(signedOut, route, h1));
}
for (const [route, h1] of [...routes, adminRoute]) {
  test(`signed in as an administrator: ${route} (${h1})`, () => scan(signedIn, route, h1));
}

finalChecks();
