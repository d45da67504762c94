// The dashboard's pages as docs/dashboard.md ("What the browser tests rely on") names them (roles, labels, <h1>s), for the scenarios.
import { expectPage } from './browser.mjs';

export const routes = [
  // [route, <h1>, link in the main navigation]
  ['#/', 'Overview', 'Overview'],
  ['#/keys', 'API keys', 'API keys'],
  ['#/2fa', 'Two-factor authentication', 'Two-factor'],
  ['#/sessions', 'Sessions', 'Sessions'],
  ['#/password', 'Change password', 'Password'],
  ['#/service-accounts', 'Service accounts', 'Service accounts'],
  ['#/clients', 'OAuth clients', 'OAuth clients'],
  ['#/apps', 'Authorised apps', 'Authorised apps'],
  ['#/audit', 'Audit trail', 'Audit trail'],
];
export const adminRoute = ['#/admin', 'Administration', 'Administration'];
export const signedOutRoutes = [
  ['#/signin', 'Sign in'],
  ['#/signup', 'Create your account'],
];

/** Follows a link of the main navigation (<nav aria-label="Main">) and waits for the page's <h1>. */
export async function navigate(page, link, h1 = link) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await expectPage(page, h1);
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expectPage(page, 'Sign in');
}

/** The step-up dialog ("Confirm it's you"), as a locator. */
export function stepUpDialog(page) {
  return page.getByRole('dialog').filter({ has: page.getByRole('heading', { name: "Confirm it's you" }) });
}

/** Answers the step-up dialog with `code` and waits for it to close. */
export async function answerStepUp(page, code) {
  const dialog = stepUpDialog(page);
  await dialog.waitFor({ state: 'visible' });
  await dialog.getByLabel('Authentication code', { exact: true }).fill(code);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Clicks "Confirm" in the open confirmation <dialog>. */
export async function confirm(page) {
  const button = page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true });
  await button.click();
  await button.waitFor({ state: 'hidden' });
}
