// Scenario 3 (issue 11): a session revoked from another browser ends there too. Two browser contexts (two
// browsers, as far as the server knows) sign in as the same person; A ends B's session on the Sessions page, and
// B's next action shows the sign-in page with "Your session has ended". Then the same with "Sign out everywhere".
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, signIn, expectPage, finalChecks } from './lib/browser.mjs';
import { navigate, confirm } from './lib/dashboard.mjs';
import { registerUser } from './lib/api.mjs';

let browser;

before(async () => {
  browser = await launch();
});

async function twoSignedIn(user) {
  const a = await (await newContext(browser)).newPage();
  const b = await (await newContext(browser)).newPage();
  await signIn(a, user);
  await signIn(b, user);
  return { a, b };
}

/** Clicks `button` and then "Confirm" when the page asks for a confirmation. */
async function clickAndConfirm(page, button) {
  await button.click();
  const confirmButton = page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true });
  try {
    await confirmButton.waitFor({ state: 'visible', timeout: 1500 });
  } catch {
    return; // no confirmation asked
  }
  await confirm(page);
}

async function expectSessionEnded(page) {
  await expectPage(page, 'Sign in');
  await page.getByText('Your session has ended').first().waitFor({ state: 'visible' });
}

test('A revokes B\'s session on the Sessions page; B\'s next page shows "Your session has ended"', async () => {
  const user = await registerUser('sessions');
  const { a, b } = await twoSignedIn(user);
  await navigate(a, 'Sessions');
  const rows = a.getByRole('row');
  await rows.filter({ hasText: 'This session' }).first().waitFor({ state: 'visible' });
  const other = rows.filter({ hasNotText: 'This session' }).filter({ has: a.getByRole('button', { name: /^Revoke session/ }) });
  assert.equal(await other.count(), 1, 'one other session: B\'s');
  await clickAndConfirm(a, other.getByRole('button', { name: /^Revoke session/ }));
  await other.waitFor({ state: 'detached' });
  // A is still signed in.
  await a.getByRole('row').filter({ hasText: 'This session' }).first().waitFor({ state: 'visible' });

  // B's next action: another page, whose first call finds the session ended.
  await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys', exact: true }).click();
  await expectSessionEnded(b);
  await navigate(a, 'Overview');
});

test('"Sign out everywhere" in A ends B\'s session too; B\'s reload shows the sign-in page', async () => {
  const user = await registerUser('everywhere');
  const { a, b } = await twoSignedIn(user);
  await navigate(a, 'Sessions');
  await clickAndConfirm(a, a.getByRole('button', { name: 'Sign out everywhere', exact: true }));
  await expectPage(a, 'Sign in');
  // A reload starts the app anew: it finds no session (the refresh cookie is refused) and shows the sign-in
  // page; whether it also says the session ended is up to the page.
  await b.reload();
  await expectPage(b, 'Sign in');
});

finalChecks();
