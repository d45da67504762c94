// What run.sh hands the tests, by environment.
import { mkdirSync } from 'node:fs';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (tests/browser/run.sh sets it)`);
  return value;
}

export const baseUrl = required('BROWSER_BASE_URL').replace(/\/$/, '');
export const origin = new URL(baseUrl).origin;
export const admin = { email: required('BROWSER_ADMIN_EMAIL'), password: required('BROWSER_ADMIN_PASSWORD') };
export const chromiumPath = process.env.BROWSER_CHROMIUM || '/usr/bin/chromium';
// Screenshots go here on every run; run.sh copies them to docs/images when UPDATE_SCREENSHOTS=1.
export const screenshotDir = required('BROWSER_SCREENSHOT_DIR');
mkdirSync(screenshotDir, { recursive: true });
// A test password by the product's rules (12+ characters, not a common one).
export const password = 'browser suite passphrase 7';
