// Helpers for driving the web client in Chromium: devices, a signed-in page,
// axe-core, and overflow checks. Evaluated code is passed as strings: this
// folder is type-checked without the DOM lib.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../../support/waitFor.ts';

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export type Device = typeof DESKTOP | typeof PHONE;
// Generous: these are waits for a condition (a passing run never waits this
// long), and two demos + Chromium on a loaded 2-core machine took over 20 s.
export const WAIT = { timeout: 60_000 };

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A page signed in with `token` (kept in sessionStorage, as the login form does). */
export async function signedIn(browser: Browser, url: string, token: string, o: { device?: Device; colorScheme?: 'light' | 'dark'; hash?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // The page runs under the gateway's real CSP (axe-core comes in through the DevTools protocol, which CSP doesn't govern).
  const context = await browser.newContext({ ...(o.device ?? DESKTOP), colorScheme: o.colorScheme ?? 'light', locale: 'en-US' });
  await context.addInitScript(`sessionStorage.setItem('imb.token', ${JSON.stringify(token)})`);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/${o.hash ?? ''}`);
  await page.locator('button.chat').first().waitFor(WAIT);
  return { context, page, errors };
}

export const chatButton = (page: Page, name: string) => page.locator('button.chat', { has: page.locator('.title', { hasText: name }) });

export async function openChat(page: Page, name: string): Promise<void> {
  await chatButton(page, name).click();
  await page.locator('.chat-header h2', { hasText: name }).waitFor(WAIT);
  await page.locator('.messages .bubble').first().waitFor(WAIT);
}

/** axe-core's serious and critical WCAG A/AA violations on the page as it is now. */
export async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(`${AXE};0`);
  return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
}

/** Elements wider than the viewport, or a page that scrolls sideways. */
export function overflow(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > w) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.messages, .chats, .results') && r.bottom < 0) continue;
      if (r.right > w + 1 || r.left < -1) out.push(el.tagName.toLowerCase() + '.' + el.className + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    for (const b of document.querySelectorAll('.bubble')) {
      const outer = b.getBoundingClientRect();
      for (const el of b.querySelectorAll('*')) {
        if (el.closest('.tapbacks')) continue; // drawn on the bubble's edge on purpose
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > outer.right + 1 || r.left < outer.left - 1)) out.push(el.tagName.toLowerCase() + '.' + el.className + ' spills out of its bubble');
      }
    }
    return out.slice(0, 5);
  })()`);
}

/**
 * Waits until `expression` is truthy in the page. (page.waitForFunction
 * polls with eval inside the page, which the client's CSP rightly forbids.)
 */
export async function until(page: Page, expression: string, timeoutMs = WAIT.timeout): Promise<void> {
  await waitFor(expression, () => page.evaluate<boolean>(`!!(${expression})`), { timeoutMs, intervalMs: 100 });
}
