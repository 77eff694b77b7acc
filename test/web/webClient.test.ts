// The web client end to end: `imessage-bridge demo` in a child process,
// driven by headless Chromium. Reads a chat, sends a reply and watches it
// confirmed from chat.db, sees live messages, and searches.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { ensureWebBuilt, startDemo, type DemoChild } from './support/demoProcess.ts';

const WAIT = { timeout: 20_000 };
// Evaluated in the page (a string: this file is type-checked without the DOM lib).
const STORED_TOKEN = "sessionStorage.getItem('imb.token')";

let demo: DemoChild;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: Request[] = [];
const pageErrors: string[] = [];

before(async () => {
  await ensureWebBuilt();
  // Launch first: a missing Chromium fails the test with its install advice.
  browser = await launchChromium();
  demo = await startDemo({ chatterSeconds: 2 });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${demo.url}/`);
});

after(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await demo?.stop();
});

const chatButton = (name: string) => page.locator('button.chat', { has: page.locator('.title', { hasText: name }) });

test('a wrong token is refused with a clear message, and nothing is stored', async () => {
  await page.locator('input[name=token]').fill('imb_not_a_real_token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor(WAIT);
  assert.match(await alert.innerText(), /token was refused/);
  await page.locator('input[name=token]').waitFor(WAIT);
  assert.equal(await page.evaluate(STORED_TOKEN), null);
});

test('signs in with the token, kept in sessionStorage only', async () => {
  await page.locator('input[name=token]').fill(demo.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await chatButton('Ada Lovelace').waitFor(WAIT);
  await chatButton('Compiler club').waitFor(WAIT);
  await chatButton("Tony's Pizza").waitFor(WAIT);
  assert.equal(await page.evaluate(STORED_TOKEN), demo.token);
  assert.ok(!(await page.evaluate<string>('JSON.stringify({ ...localStorage })')).includes(demo.token), 'the token must not be in localStorage');
  assert.deepEqual(await context.cookies(), []);
});

test('a conversation renders its tapback, reply quote, edit and attachment', async () => {
  const attachmentLoaded = page.waitForResponse((r) => r.url().includes('/v1/attachments/') && r.status() === 200, WAIT);
  await chatButton('Ada Lovelace').click();
  const messages = page.locator('.messages');
  await messages.locator('.bubble', { hasText: 'Are we still on for the analytical engine demo?' }).first().waitFor(WAIT);
  const edited = page.locator('.row', { has: page.locator('.bubble', { hasText: 'Bringing the punch cards 🃏' }) });
  assert.match(await edited.locator('.tapbacks').innerText(), /❤️/);
  assert.match(await edited.locator('.meta').innerText(), /Edited/);
  const reply = messages.locator('.bubble', { hasText: 'Perfect, see you at 7' });
  assert.match(await reply.locator('.reply').innerText(), /Ada Lovelace.*Are we still on/s);
  await attachmentLoaded;
  const attachment = messages.locator('.bubble', { hasText: 'Here is the plan' }).locator('.attachment');
  await attachment.first().waitFor(WAIT);
  // A real image renders as <img>; the sample's placeholder bytes fall back to a named file chip.
  const shown = (await attachment.first().getAttribute('alt')) ?? (await attachment.first().innerText());
  assert.match(shown, /IMG_4021\.jpeg/);
});

test('a live message in a chat that is not open marks it unread', async () => {
  // Chatter arrives every 2 s, round-robin over the three sample chats; Ada's is open.
  const marked = page.locator('button.chat.has-unread .unread').first();
  await marked.waitFor(WAIT);
  assert.match(await marked.getAttribute('aria-label') ?? '', /^\d+ unread$/);
  assert.equal(await chatButton('Ada Lovelace').locator('.unread').count(), 0, 'the open chat gets no marker');
});

test('a reply is sent, confirmed from chat.db, and arrives over the live stream', async () => {
  const text = `Reply from Chromium ${Date.now()}`;
  const sendResponse = page.waitForResponse((r) => r.url().endsWith('/v1/send') && r.request().method() === 'POST', WAIT);
  await page.locator('textarea[name=message]').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const receipt = await (await sendResponse).json() as { id: string };
  assert.ok(receipt.id);
  const fate = page.locator('.fates li', { hasText: text });
  await fate.and(page.locator('[data-state=sent]')).waitFor(WAIT);
  assert.match(await fate.innerText(), /✅ Sent/);
  // The fate names the chat.db message guid; that row reached the page through /v1/events.
  const confirmed = await (await fetch(`${demo.url}/v1/outbox/${receipt.id}`, { headers: { authorization: `Bearer ${demo.token}` } })).json() as { fate: { state: string; messageGuid?: string } };
  assert.equal(confirmed.fate.state, 'sent');
  const bubble = page.locator(`.bubble.me[data-guid="${confirmed.fate.messageGuid}"]`);
  await bubble.waitFor(WAIT);
  assert.equal(await bubble.locator('.text').innerText(), text);
  assert.match(await page.locator('.row', { has: bubble }).locator('.fate-badge').innerText(), /Sent/);
  // The simulated contact answers; that too arrives live, below it in the open chat.
  await page.locator(`.row:has(.bubble[data-guid="${confirmed.fate.messageGuid}"]) ~ .row.them`).first().waitFor(WAIT);
});

test('search highlights a match and opens it in its conversation', async () => {
  await page.locator('input[name=q]').fill('moth');
  await page.locator('input[name=q]').press('Enter');
  const result = page.locator('.results button.result', { hasText: 'Compiler club' }).first();
  await result.waitFor(WAIT);
  assert.equal((await result.locator('mark').first().innerText()).toLowerCase(), 'moth');
  assert.match(await result.locator('.snippet').innerText(), /An actual moth/);
  const guid = await result.getAttribute('data-guid');
  await result.click();
  await page.locator('.chat-header h2', { hasText: 'Compiler club' }).waitFor(WAIT);
  const hit = page.locator(`.bubble.focused[data-guid="${guid}"]`);
  await hit.waitFor(WAIT);
  assert.match(await hit.innerText(), /Found a bug\. An actual moth/);
});

test('the token never appears in a URL, nothing leaves localhost, and the page threw nothing', () => {
  assert.ok(requests.length > 10, `expected the story to make requests, saw ${requests.length}`);
  for (const r of requests) {
    const url = r.url();
    assert.ok(!url.includes(demo.token) && !url.includes(encodeURIComponent(demo.token)), `token in URL: ${url}`);
    const origin = new URL(url.startsWith('blob:') ? url.slice(5) : url);
    if (origin.protocol === 'data:') continue;
    assert.ok(['127.0.0.1', 'localhost', '[::1]'].includes(origin.hostname), `request to a non-local origin: ${url}`);
  }
  const api = requests.filter((r) => new URL(r.url()).pathname.startsWith('/v1/'));
  assert.ok(api.some((r) => r.headers().authorization === `Bearer ${demo.token}`));
  assert.ok(api.every((r) => r.headers().authorization?.startsWith('Bearer imb_')), 'every API call carries a token, in its header');
  assert.deepEqual(pageErrors, []);
});
