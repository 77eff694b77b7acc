// Screenshots of the web client for docs/screenshots/, taken against
// `imessage-bridge demo` in headless Chromium: desktop (1280×800) and phone
// (390×844, touch), each in light and dark mode.
// Run: node --import tsx scripts/screenshots.ts [outDir]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/web/support/browser.ts';
import { ensureWebBuilt, REPO, startDemo } from '../test/web/support/demoProcess.ts';

const outDir = resolve(process.argv[2] ?? join(REPO, 'docs/screenshots'));
mkdirSync(outDir, { recursive: true });
await ensureWebBuilt();
const browser = await launchChromium();
// No chatter: the same pictures every run.
const demo = await startDemo({ chatterSeconds: 0 });

const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function signedIn(b: Browser, device: typeof DESKTOP | typeof PHONE, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await b.newContext({ ...device, colorScheme });
  await context.addInitScript(`sessionStorage.setItem('imb.token', ${JSON.stringify(demo.token)})`);
  const page = await context.newPage();
  await page.goto(`${demo.url}/`);
  await page.locator('button.chat').first().waitFor();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  // Images decoded, fonts loaded, scrolling settled.
  await page.waitForFunction('[...document.images].every((i) => i.complete) && document.fonts.status === "loaded"');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `${name}.png`) });
  console.log(join(outDir, `${name}.png`));
}

async function openChat(page: Page, name: string, text: string): Promise<void> {
  await page.locator('button.chat', { has: page.locator('.title', { hasText: name }) }).click();
  await page.locator('.bubble', { hasText: text }).first().waitFor();
  await page.locator('img.attachment').last().waitFor().catch(() => undefined);
}

try {
  const login = await (await browser.newContext(DESKTOP)).newPage();
  await login.goto(`${demo.url}/`);
  await login.locator('input[name=token]').fill(demo.token);
  await shot(login, 'sign-in');

  for (const scheme of ['light', 'dark'] as const) {
    const desk = await signedIn(browser, DESKTOP, scheme);
    await openChat(desk, 'Alan Turing', 'Here is the right one');
    await shot(desk, `desktop-${scheme}`);

    const phone = await signedIn(browser, PHONE, scheme);
    await shot(phone, `phone-list-${scheme}`);
    await openChat(phone, 'Alan Turing', 'Here is the right one');
    await shot(phone, `phone-${scheme}`);
  }

  const page = await signedIn(browser, DESKTOP, 'light');
  await openChat(page, 'Compiler club', 'An actual moth');
  await shot(page, 'conversation');
  await page.locator('textarea[name=message]').fill('On my way, the engine is warming up ⚙️');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('.fates li[data-state=sent]').waitFor({ timeout: 20_000 });
  await page.locator('.bubble.me', { hasText: 'the engine is warming up' }).waitFor({ timeout: 20_000 });
  await shot(page, 'send-confirmed');

  await page.locator('input[name=q]').fill('moth');
  await page.locator('input[name=q]').press('Enter');
  await page.locator('.results button.result').first().click();
  await page.locator('.bubble.focused').waitFor();
  await shot(page, 'search');
} finally {
  await browser.close();
  await demo.stop();
}
