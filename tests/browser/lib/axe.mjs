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

/** Whether the page is wider than the window (a horizontal scroll bar), with the widest elements when it is. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const { scrollWidth } = document.documentElement;
    if (scrollWidth <= window.innerWidth) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} (right edge ${Math.round(e.getBoundingClientRect().right)})`);
    return `scrollWidth ${scrollWidth} > innerWidth ${window.innerWidth}; past the edge: ${wide.join(', ')}`;
  });
}
