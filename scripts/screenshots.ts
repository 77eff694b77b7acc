// Screenshots of the web client's main views for docs/screenshots/, taken
// against `imessage-bridge demo` in headless Chromium (1280×800).
// Run: node --import tsx scripts/screenshots.ts [outDir]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../test/web/support/browser.ts';
import { ensureWebBuilt, REPO, startDemo } from '../test/web/support/demoProcess.ts';

const outDir = resolve(process.argv[2] ?? join(REPO, 'docs/screenshots'));
mkdirSync(outDir, { recursive: true });
await ensureWebBuilt();
const browser = await launchChromium();
// Slow chatter: a few live messages and unread markers, not a flood.
const demo = await startDemo({ chatterSeconds: 4 });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const shot = async (name: string): Promise<void> => {
    await page.waitForTimeout(300); // let images decode and scroll settle
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    console.log(join(outDir, `${name}.png`));
  };
  await page.goto(`${demo.url}/`);
  await page.locator('input[name=token]').fill(demo.token);
  await shot('sign-in');

  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('button.chat', { hasText: 'Ada Lovelace' }).click();
  await page.locator('.bubble', { hasText: 'Here is the plan' }).waitFor();
  await page.locator('button.chat.has-unread').first().waitFor({ timeout: 20_000 });
  await shot('conversation');

  await page.locator('input[name=message]').fill('On my way, the engine is warming up ⚙️');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.fates li[data-state=sent]').waitFor({ timeout: 20_000 });
  await page.locator('.bubble.me', { hasText: 'the engine is warming up' }).waitFor({ timeout: 20_000 });
  await shot('send-confirmed');

  await page.locator('input[name=q]').fill('moth');
  await page.locator('input[name=q]').press('Enter');
  await page.locator('.results button.result').first().click();
  await page.locator('.bubble.focused').waitFor();
  await shot('search');
} finally {
  await browser.close();
  await demo.stop();
}
