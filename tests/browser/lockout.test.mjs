// Scenario 2 (issue 11): wrong passwords lock the account, and the sign-in page says so. The server runs with
// the default lockout (Lockout__MaxFailedAttempts 10 within Lockout__Window 15 minutes, per account and client
// address): this is the lockout production has, reached through the page.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, expectPage, expectAlert, finalChecks } from './lib/browser.mjs';
import { registerUser, login } from './lib/api.mjs';

const defaultMaxFailedAttempts = 10; // docs/operations.md, Lockout__MaxFailedAttempts
let page;
let user;

before(async () => {
  user = await registerUser('lockout');
  const browser = await launch();
  page = await (await newContext(browser)).newPage();
});

test('wrong passwords lock the account, and the sign-in page says it is locked', async () => {
  await page.goto('/#/signin');
  await expectPage(page, 'Sign in');
  const alerts = [];
  let lockedAfter = 0;
  for (let attempt = 1; attempt <= defaultMaxFailedAttempts + 1; attempt++) {
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(`wrong password number ${attempt}`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const status = (await answer).status();
    alerts.push(`${attempt}: ${status}`);
    if (status === 423) {
      lockedAfter = attempt;
      await expectAlert(page, /locked/i);
      break;
    }
    assert.equal(status, 401, `attempt ${attempt}: ${alerts.join(' | ')}`);
    const text = await expectAlert(page, /./);
    assert.doesNotMatch(text, /locked/i, `attempt ${attempt} is not locked yet: ${text}`);
  }
  assert.ok(lockedAfter > 0, `never locked: ${alerts.join(' | ')}`);
  assert.ok(lockedAfter <= defaultMaxFailedAttempts + 1, `locked after ${lockedAfter} attempts`);
});

test('the right password does not get in while the account is locked', async () => {
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  assert.equal((await answer).status(), 423);
  await expectAlert(page, /locked/i);
  await expectPage(page, 'Sign in');
  await assert.rejects(login(user.email, user.password), /423/, 'the API agrees: 423');
});

finalChecks();
