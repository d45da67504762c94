// axe-core in the page: the WCAG 2.0/2.1/2.2 A and AA rules; serious and critical violations are failures.
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// The page's Content-Security-Policy refuses inline scripts, which is what addScriptTag({ path }) adds; rather
// than turning the policy off (bypassCSP would hide the page's own violations), axe.min.js is served at a
// same-origin URL that only this test browser knows (a route), and added with addScriptTag({ url }).
const axeUrlPath = '/__browser-tests/axe.min.js';
const routed = new WeakSet();
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The serious and critical violations on the page as it is now, as readable lines (empty: none). */
export async function seriousViolations(page) {
  if (!routed.has(page)) {
    await page.route(`**${axeUrlPath}`, (route) => route.fulfill({ path: axePath, contentType: 'text/javascript' }));
    routed.add(page);
  }
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: axeUrlPath });
  const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), wcagTags);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help})\n${v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')}`);
}

/**
 * Null when the page fits the window's width; else what is wider: the scroll width and the innermost elements
 * past the right edge (a short CSS path and the start of their text).
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const { scrollWidth } = document.documentElement;
    if (scrollWidth <= window.innerWidth) return null;
    const past = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
    const describe = (e) => {
      const parts = [];
      for (let n = e; n && n !== document.body && parts.length < 4; n = n.parentElement) {
        const classes = typeof n.className === 'string' && n.className.trim() ? `.${n.className.trim().split(/\s+/).join('.')}` : '';
        parts.unshift(`${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${classes}`);
      }
      const text = (e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `${parts.join(' > ')} "${text}" (right edge ${Math.round(e.getBoundingClientRect().right)} px)`;
    };
    const innermost = [...document.querySelectorAll('body *')].filter((e) => past(e) && ![...e.children].some(past));
    return `scrollWidth ${scrollWidth} > innerWidth ${window.innerWidth}; past the right edge: ${innermost.slice(0, 4).map(describe).join('; ')}`;
  });
}
