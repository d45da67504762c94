// Screenshots of the main pages, 1280x800 in the light scheme, written on every run to BROWSER_SCREENSHOT_DIR;
// run.sh copies them to docs/images when UPDATE_SCREENSHOTS=1.
import { join } from 'node:path';
import { screenshotDir } from './env.mjs';

export async function screenshot(page, name) {
  const size = page.viewportSize();
  if (size?.width !== 1280 || size?.height !== 800) throw new Error(`screenshot ${name}: the viewport is ${size?.width}x${size?.height}, not 1280x800`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled', caret: 'hide' });
}
