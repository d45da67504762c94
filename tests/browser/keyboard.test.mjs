// Scenario 4 (issue 11): signing in with the keyboard alone (Tab, typing, Enter), from the sign-in page to the
// overview, with a visible focus indicator on every control focused on the way.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, expectPage, finalChecks } from './lib/browser.mjs';
import { registerUser } from './lib/api.mjs';

let page;
let user;

before(async () => {
  user = await registerUser('keyboard');
  const browser = await launch();
  page = await (await newContext(browser)).newPage();
});

/** What has the focus: its accessible label (label, aria-label or text), tag and focus indicator. */
function focused() {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const labelled = element.labels?.[0]?.textContent ?? element.getAttribute('aria-label') ?? element.textContent ?? '';
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    return {
      name: labelled.replace(/\s+/g, ' ').trim(),
      tag: element.tagName.toLowerCase(),
      type: element.getAttribute('type'),
      indicator: outline || shadow ? `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow ${style.boxShadow}` : null,
    };
  });
}

/** Presses Tab until the control named `name` has the focus (at most 25 times); checks its focus indicator. */
async function tabTo(name, kind) {
  const seen = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const now = await focused();
    seen.push(now ? `${now.tag}${now.type ? `[${now.type}]` : ''} "${now.name}"` : 'body');
    if (now && now.name.startsWith(name) && (!kind || now.tag === kind)) {
      assert.ok(now.indicator, `"${name}" has the focus but no visible focus indicator (outline and box-shadow are none)`);
      return;
    }
  }
  assert.fail(`Tab never reached "${name}"; the focus went: ${seen.join(' → ')}`);
}

test('Tab, typing and Enter alone sign in from the sign-in page to the overview, with a visible focus ring', async () => {
  await page.goto('/#/signin');
  await expectPage(page, 'Sign in');
  await tabTo('Email', 'input');
  await page.keyboard.type(user.email);
  await tabTo('Password', 'input');
  await page.keyboard.type(user.password);
  await tabTo('Sign in', 'button');
  await page.keyboard.press('Enter');
  await expectPage(page, 'Overview');
});

test('after signing in, Tab reaches the main navigation with a visible focus ring, and Enter follows a link', async () => {
  await tabTo('API keys', 'a');
  await page.keyboard.press('Enter');
  await expectPage(page, 'API keys');
});

finalChecks();
