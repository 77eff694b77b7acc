// The web client as people use it, in headless Chromium against
// `imessage-bridge demo`: the chat list, a conversation and its media, the
// actions (new chat, files, reply quotes, search filters, notifications), the
// honest states (read-only token, offline, reload) — at 1280×800 and at
// 390×844 with touch, light and dark, checked with axe-core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { ensureWebBuilt, startDemo, type DemoChild } from './support/demoProcess.ts';
import { axeSerious, chatButton, DESKTOP, openChat, overflow, PHONE, signedIn, until, WAIT } from './support/client.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import { waitFor } from '../support/waitFor.ts';

let demo: DemoChild;
let browser: Browser;
let desk: Page;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(o: Parameters<typeof signedIn>[3] = {}, token = demo.token): Promise<Page> {
  const s = await signedIn(browser, demo.url, token, o);
  contexts.push(s.context);
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  return s.page;
}

before(async () => {
  await ensureWebBuilt();
  browser = await launchChromium();
  // Chatter goes round Ada, the pizza place and the group; Alan's and
  // Katherine's chats stay as the demo wrote them.
  demo = await startDemo({ chatterSeconds: 3 });
  desk = await open();
});

after(async () => {
  // A demo that died mid-run explains every later failure: show why.
  if (demo && (demo.child.exitCode !== null || demo.child.signalCode !== null)) console.error(`the demo exited early:\n${demo.output().slice(-4000)}`);
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await demo?.stop();
});

test('chat list: previews, times, initials, unread badges and a total in the tab title', async () => {
  const alan = chatButton(desk, 'Alan Turing');
  const katherine = chatButton(desk, 'Katherine Johnson');
  await alan.locator('.preview', { hasText: 'Tapback ❤️' }).waitFor(WAIT);
  await katherine.locator('.preview', { hasText: '📷 Photo' }).waitFor(WAIT);
  assert.match(await alan.locator('.when').innerText(), /^\d\d:\d\d$/, 'today: a clock time');
  assert.match(await katherine.locator('.when').innerText(), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/, 'this week: a weekday');
  assert.equal(await katherine.locator('.avatar').innerText(), 'KJ');
  await katherine.locator('.unread').waitFor(WAIT);
  assert.match(await katherine.locator('.unread').getAttribute('aria-label') ?? '', /^\d+ unread$/);
  await until(desk, '/^\\(\\d+\\) iMessage bridge$/.test(document.title)');
  await openChat(desk, 'Katherine Johnson');
  assert.equal(await katherine.locator('.unread').count(), 0, 'opening a chat clears its badge');
  assert.equal(await katherine.getAttribute('aria-current'), 'true');
});

test('a conversation: day separators, grouping, Read on the last sent message, an unsent message, a photo viewer and a voice player', async () => {
  await openChat(desk, 'Alan Turing');
  const log = desk.locator('.messages');
  assert.equal(await log.getAttribute('role'), 'log', 'new messages are announced (a live region)');
  assert.equal(await log.getAttribute('aria-live'), 'polite');
  const days = await desk.locator('.day').allInnerTexts();
  assert.ok(days.length >= 5, `day separators: ${days.join(', ')}`);
  assert.ok(days.includes('Today') && days.includes('Yesterday'));
  const row = (text: string) => desk.locator('.row', { has: desk.locator('.bubble', { hasText: text }) });
  assert.match(await row('Exactly my point').getAttribute('class') ?? '', /\bfirst\b/);
  assert.doesNotMatch(await row('An interrogator').getAttribute('class') ?? '', /\bfirst\b/, 'a minute later, same sender: same group');
  assert.equal(await desk.locator('.receipt').count(), 1, 'one receipt, under the last sent message');
  assert.match(await row('Here is the right one').locator('.receipt').innerText(), /Read \d\d:\d\d/);
  await log.getByText('You unsent a message.').waitFor(WAIT);
  // The voice message plays in the page (AAC); the photo opens in a viewer.
  const voice = desk.locator('.player.voice');
  await voice.waitFor(WAIT);
  assert.match(await voice.innerText(), /Voice message/);
  assert.equal(await voice.locator('audio[controls]').count(), 1);
  await until(desk, "document.querySelector('.player.voice audio').duration > 0");
  const thumb = desk.locator('button.thumb', { has: desk.locator('img[alt="IMG_4021.jpeg"]') });
  await thumb.waitFor(WAIT);
  await thumb.click();
  const viewer = desk.locator('dialog.viewer[open]');
  await viewer.waitFor(WAIT);
  assert.ok(await desk.evaluate<boolean>("document.querySelector('dialog.viewer[open] img').naturalWidth > 0"), 'the full photo shows');
  await desk.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached', ...WAIT });
});

test('media: a HEIC photo shows (converted to JPEG), a PDF is a file chip', async () => {
  await openChat(desk, 'Katherine Johnson');
  const heic = desk.locator('img.attachment[alt="IMG_6001.HEIC"]');
  await heic.waitFor(WAIT);
  await until(desk, 'document.querySelector(\'img[alt="IMG_6001.HEIC"]\').naturalWidth === 640');
  const pdf = desk.locator('a.attachment.file', { hasText: 'Trajectory notes.pdf' });
  await pdf.waitFor(WAIT);
  assert.equal(await pdf.getAttribute('download'), 'Trajectory notes.pdf');
});

test('a link preview card, group events with names, and an SMS chat in green', async () => {
  await openChat(desk, 'Compiler club');
  const card = desk.locator('a.link-card');
  await card.waitFor(WAIT);
  assert.equal(await card.locator('.host').innerText(), 'example.com');
  assert.equal(await card.getAttribute('rel'), 'noopener noreferrer');
  await desk.locator('.event', { hasText: 'Grace Hopper added Katherine Johnson' }).waitFor(WAIT);
  await openChat(desk, "Tony's Pizza");
  assert.equal(await desk.locator('.chat-header .sms-tag').innerText(), ' · SMS');
  assert.equal(await desk.locator('textarea[name=message]').getAttribute('placeholder'), 'SMS');
  await desk.locator('.bubble.me').first().waitFor(WAIT);
  assert.equal(await desk.evaluate<string>("getComputedStyle(document.querySelector('.bubble.me')).backgroundColor"), 'rgb(30, 123, 52)');
});

test('reply with a quote: the composer says it is not a threaded reply, and the quote goes as text', async () => {
  await openChat(desk, 'Ada Lovelace');
  const row = desk.locator('.row', { has: desk.locator('.bubble', { hasText: 'Are we still on' }) }).first();
  await row.hover();
  // The arrow as text (U+FE0E asks for the text form), not the escape's letters.
  assert.equal(await row.locator('.reply-btn').innerText(), '↩\uFE0E');
  await row.locator('.reply-btn').click();
  const replying = desk.locator('.replying');
  await replying.waitFor(WAIT);
  assert.match(await replying.innerText(), /Replying to Ada Lovelace/);
  assert.match(await replying.innerText(), /not a threaded reply/);
  const sent = desk.waitForRequest((r) => r.url().endsWith('/v1/send') && r.method() === 'POST', WAIT);
  await desk.locator('textarea[name=message]').fill('Yes, 7 sharp');
  await desk.locator('textarea[name=message]').press('Enter');
  const body = JSON.parse((await sent).postData() ?? '{}') as { text: string };
  assert.match(body.text, /^> Ada Lovelace: Are we still on for the analytical engine demo\?.*\nYes, 7 sharp$/s);
  await replying.waitFor({ state: 'detached', ...WAIT });
  await desk.locator('.fates li[data-state=sent]', { hasText: 'Yes, 7 sharp' }).waitFor(WAIT);
});

test('attach files, remove one before sending; each file goes as its own message', async () => {
  await openChat(desk, 'Ada Lovelace');
  await desk.locator('input[type=file]').setInputFiles([
    { name: 'wrong.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') },
    { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('the plan') },
  ]);
  const chips = desk.locator('.files .chip');
  await chips.nth(1).waitFor(WAIT);
  await desk.getByRole('button', { name: 'Remove wrong.txt' }).click();
  assert.deepEqual((await chips.locator('.name').allInnerTexts()), ['plan.txt']);
  const sent = desk.waitForResponse((r) => r.url().endsWith('/v1/send') && r.request().method() === 'POST', WAIT);
  await desk.getByRole('button', { name: 'Send', exact: true }).click();
  const receipt = await (await sent).json() as { id: string };
  await desk.locator('.fates li[data-state=sent]', { hasText: 'plan.txt' }).waitFor(WAIT);
  assert.equal(await chips.count(), 0, 'the composer is cleared');
  assert.equal(await desk.locator('.fates li', { hasText: 'wrong.txt' }).count(), 0, 'the removed file was not sent');
  // What reached Messages: one message with plan.txt.
  const auth = { authorization: `Bearer ${demo.token}` };
  const { fate } = await (await fetch(`${demo.url}/v1/outbox/${receipt.id}`, { headers: auth })).json() as { fate: { messageGuid: string } };
  const { message } = await (await fetch(`${demo.url}/v1/messages/${fate.messageGuid}`, { headers: auth })).json() as { message: { attachments: { transfer_name: string }[] } };
  assert.deepEqual(message.attachments.map((a) => a.transfer_name), ['plan.txt']);
});

test('a new conversation by phone number: a clear error for a bad one, then the chat opens', async () => {
  await desk.getByRole('button', { name: 'New message', exact: true }).click();
  await desk.locator('input[name=to]').fill('tomorrow');
  await desk.locator('textarea[name=new-message]').fill('Hello from the bridge');
  await desk.locator('.new-chat button[type=submit]').click();
  assert.match(await desk.locator('.new-chat [role=alert]').innerText(), /phone number with its country code/);
  const sent = desk.waitForRequest((r) => r.url().endsWith('/v1/send') && r.method() === 'POST', WAIT);
  await desk.locator('input[name=to]').fill('+1 (555) 123-0099');
  await desk.locator('.new-chat button[type=submit]').click();
  assert.deepEqual(JSON.parse((await sent).postData() ?? '{}'), { to: '+15551230099', text: 'Hello from the bridge' });
  await desk.locator('.chat-header h2', { hasText: '+15551230099' }).waitFor(WAIT);
  await desk.locator('.bubble.me', { hasText: 'Hello from the bridge' }).waitFor(WAIT);
  assert.match(desk.url(), /#chat=iMessage%3B-%3B%2B15551230099$/);
});

test('search filters by chat and by date', async () => {
  const search = async (): Promise<string[]> => {
    const done = desk.waitForResponse((r) => r.url().includes('/v1/search?'), WAIT);
    await desk.locator('input[name=q]').press('Enter');
    // The previous search's results stay on screen until this response is rendered, so wait for
    // the status line to show this response's count (the counts below alternate, so it changes).
    const { results } = await (await done).json() as { results: unknown[] };
    const status = new RegExp(`^${results.length} results? for`);
    await desk.locator('.results [role=status]', { hasText: status }).waitFor(WAIT);
    return desk.locator('.results button.result .title').allInnerTexts();
  };
  await desk.locator('input[name=q]').fill('moth');
  assert.deepEqual(await search(), ['Compiler club']);
  await desk.locator('.filters summary').click();
  await desk.locator('select[name=chat]').selectOption({ label: 'Ada Lovelace' });
  assert.deepEqual(await search(), [], 'not in Ada’s chat');
  await desk.locator('select[name=chat]').selectOption({ label: 'Compiler club' });
  assert.deepEqual(await search(), ['Compiler club']);
  await desk.locator('input[name=to-day]').fill('2020-01-31');
  const req = desk.waitForRequest((r) => r.url().includes('/v1/search?'), WAIT);
  assert.deepEqual(await search(), [], 'nothing that old');
  const q = new URL((await req).url()).searchParams;
  assert.match(q.get('chat') ?? '', /^any;\+;|^iMessage;\+;|;\+;/);
  assert.match(q.get('to') ?? '', /^2020-0(1-31|2-01)T/);
  await desk.getByRole('button', { name: 'Done' }).click();
});

test('notifications are opt-in and only while the tab is hidden', async () => {
  const page = await open();
  // A stand-in Notification and visibility, observed by the test.
  await page.evaluate(`(() => {
    window.__notes = []; window.__hidden = false;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
    window.Notification = class { static permission = 'default';
      static requestPermission() { this.permission = 'granted'; return Promise.resolve('granted'); }
      constructor(title, o) { window.__notes.push(title + ': ' + o.body); } };
  })()`);
  await page.evaluate('window.__hidden = true');
  await page.locator('button.chat.has-unread').first().waitFor(WAIT);
  const before = await page.evaluate<number>('window.__notes.length');
  const bell = page.getByRole('button', { name: 'Notify me of new messages while this tab is hidden' });
  await bell.click();
  await until(page, 'document.querySelector(\'[aria-label^="Notify me"]\').getAttribute("aria-pressed") === "true"');
  await until(page, 'window.__notes.length > 0');
  assert.equal(before, 0, 'nothing before opting in');
  // Any chat's incoming message may be first (earlier stories' conversations can still get replies): "<who>: <text>".
  assert.match(await page.evaluate<string>('window.__notes[0]'), /^[^:]+: \S/);
  await page.evaluate('window.__hidden = false; window.__notes = []');
  await page.waitForTimeout(0);
  const seen = await page.evaluate<number>('window.__notes.length');
  await chatButton(page, 'Ada Lovelace').locator('.preview').waitFor(WAIT);
  assert.equal(seen, 0);
});

test('a reload keeps the open chat', async () => {
  const page = await open();
  await openChat(page, 'Katherine Johnson');
  await page.reload();
  await page.locator('.chat-header h2', { hasText: 'Katherine Johnson' }).waitFor(WAIT);
  await page.locator('.bubble', { hasText: 'The trajectory numbers check out.' }).waitFor(WAIT);
});

test('offline: the right chat’s saved messages, marked offline; never another chat’s history; human errors', async () => {
  const page = await open();
  const context = page.context();
  await openChat(page, 'Alan Turing');
  await openChat(page, 'Katherine Johnson');
  await context.setOffline(true);
  await chatButton(page, 'Alan Turing').click();
  await page.locator('.chat-header h2', { hasText: 'Alan Turing' }).waitFor(WAIT);
  await page.locator('.chat-header .offline-tag').waitFor(WAIT);
  await page.locator('.bubble', { hasText: 'Here is the right one' }).waitFor(WAIT);
  assert.equal(await page.locator('.bubble', { hasText: 'The trajectory numbers' }).count(), 0, 'not Katherine’s history under Alan’s header');
  assert.match(await page.locator('.banner.offline').innerText(), /can’t be reached/);
  // A chat never loaded in this tab: an offline state, not the last chat's messages.
  await page.evaluate(`location.hash = '#chat=' + encodeURIComponent('iMessage;-;+15550000000')`);
  await page.locator('.messages .empty, .empty.pick').first().waitFor(WAIT);
  assert.equal(await page.locator('.bubble').count(), 0);
  // A send while offline fails with a sentence, not "Failed to fetch".
  await openChat(page, 'Alan Turing').catch(() => undefined);
  await page.locator('textarea[name=message]').fill('Are you there?');
  await page.locator('textarea[name=message]').press('Enter');
  const fate = page.locator('.fates li[data-state=failed]');
  await fate.waitFor(WAIT);
  const text = await fate.innerText();
  assert.match(text, /can’t be reached/);
  assert.doesNotMatch(text, /Failed to fetch|`/);
  await context.setOffline(false);
  await page.locator('.status.on').waitFor({ timeout: 30_000 });
  await page.locator('.chat-header .offline-tag').waitFor({ state: 'detached', ...WAIT });
});

test('a read-only token reads, and the composer says it can read only; it is never signed out', async () => {
  const db = new Database(join(demo.dir, 'bridge', 'bridge.db'));
  let token: string;
  try { token = new TokenStore(db).create(['read'], 'read-only web test').token; } finally { db.close(); }
  // The gateway re-reads its tokens about once a second.
  await waitFor('the new read-only token to be accepted', async () => (await fetch(`${demo.url}/v1/chats?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status === 200, { intervalMs: 100 });
  const page = await open({}, token);
  await openChat(page, 'Ada Lovelace');
  const composer = page.locator('.composer.readonly');
  await composer.waitFor(WAIT);
  assert.match(await composer.innerText(), /can read only/);
  assert.match(await composer.innerText(), /--scope read,send/);
  assert.equal(await page.locator('textarea[name=message]').count(), 0);
  await page.getByRole('button', { name: 'New message', exact: true }).click();
  await page.locator('.new-chat .readonly').waitFor(WAIT);
  assert.equal(await page.evaluate("sessionStorage.getItem('imb.token')"), token, 'still signed in');
  await page.locator('input[name=token]').waitFor({ state: 'detached', timeout: 1000 });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`phone (${colorScheme}): the list, then a conversation with a back button, no sideways scrolling, no serious axe findings`, async () => {
    const page = await open({ device: PHONE, colorScheme });
    assert.equal(await page.locator('main').isVisible(), false, 'one pane at a time');
    assert.deepEqual(await overflow(page), []);
    assert.deepEqual(await axeSerious(page), [], 'chat list');
    await chatButton(page, 'Alan Turing').tap();
    await page.locator('.chat-header h2', { hasText: 'Alan Turing' }).waitFor(WAIT);
    await page.locator('img.attachment').first().waitFor(WAIT);
    await page.locator('.player.voice audio').waitFor(WAIT);
    await until(page, "document.querySelector('.player.voice audio').duration > 0");
    assert.equal(await page.locator('aside').isVisible(), false);
    assert.deepEqual(await overflow(page), []);
    assert.deepEqual(await axeSerious(page), [], 'conversation');
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, colorScheme === 'dark' ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)');
    await page.getByRole('button', { name: 'Back to chats' }).tap();
    await chatButton(page, 'Alan Turing').waitFor(WAIT);
    assert.equal(await page.locator('main').isVisible(), false);
    await page.locator('input[name=q]').fill('moth');
    await page.locator('input[name=q]').press('Enter');
    await page.locator('.results button.result').first().waitFor(WAIT);
    assert.deepEqual(await overflow(page), [], 'search results');
    await page.getByRole('button', { name: 'New message', exact: true }).tap();
    await page.locator('input[name=to]').waitFor(WAIT);
    assert.deepEqual(await overflow(page), [], 'new message');
    assert.deepEqual(await axeSerious(page), [], 'new message');
  });
}

test('desktop dark mode, and axe-core finds nothing serious in any view', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await open({ device: DESKTOP, colorScheme });
    assert.deepEqual(await axeSerious(page), [], `${colorScheme}: chat list`);
    for (const chat of ['Alan Turing', 'Compiler club', "Tony's Pizza", 'Katherine Johnson']) {
      await openChat(page, chat);
      await page.locator('.messages .row').last().waitFor(WAIT);
      // The pointer rests on some row after a click, and the list re-sorts as
      // messages arrive: check a hovered row's muted text, not just at rest.
      await page.locator('button.chat:not(.active)').first().hover();
      assert.deepEqual(await axeSerious(page), [], `${colorScheme}: ${chat}`);
    }
    const text = await page.evaluate<string>('getComputedStyle(document.body).color');
    if (colorScheme === 'dark') assert.equal(text, 'rgb(242, 242, 247)');
    assert.deepEqual(await overflow(page), []);
  }
});

test('the sign-in page: keyboard only, visible focus, a human error, no serious axe findings', async () => {
  const context = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${demo.url}/`);
  await page.locator('input[name=token]').waitFor(WAIT);
  assert.deepEqual(await axeSerious(page), []);
  await page.keyboard.type('imb_wrong');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
  assert.equal(outline, 'solid', 'focus is visible');
  await page.keyboard.press('Enter');
  const alert = await page.getByRole('alert').innerText();
  assert.match(alert, /token was refused/);
  assert.doesNotMatch(alert, /`/);
});

test('keyboard: chats, a message’s reply button and the composer are reachable, focus is visible', async () => {
  const page = await open();
  await page.locator('input[name=q]').focus();
  let found = false;
  for (let i = 0; i < 12 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate<boolean>("document.activeElement.matches('button.chat')");
  }
  assert.ok(found, 'Tab reaches the chat list');
  assert.equal(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle'), 'solid');
  await page.keyboard.press('Enter');
  await page.locator('.chat-header h2').waitFor(WAIT);
  await page.locator('.messages .reply-btn').last().focus();
  assert.equal(await page.evaluate<string>('getComputedStyle(document.activeElement).opacity'), '1', 'a focused reply button shows');
  await page.keyboard.press('Enter');
  await page.locator('.replying').waitFor(WAIT);
  // The composer takes focus once the quote has rendered.
  await until(page, "document.activeElement && document.activeElement.getAttribute('name') === 'message'");
  await page.getByRole('button', { name: 'Cancel reply' }).click();
});

test('an installable PWA: a manifest with PNG icons, and no service worker caching messages', async () => {
  const href = await desk.locator('link[rel=manifest]').getAttribute('href');
  const url = new URL(href!, `${demo.url}/`);
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/manifest+json');
  const manifest = await r.json() as { name: string; display: string; start_url: string; icons: { src: string; sizes: string; type: string }[] };
  assert.equal(manifest.display, 'standalone');
  assert.equal(new URL(manifest.start_url, url).pathname, '/');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
    assert.ok(icon, `a ${size} PNG icon`);
    const png = await fetch(new URL(icon.src, url));
    assert.equal(png.status, 200);
    assert.equal(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString('latin1'), 'PNG');
  }
  assert.match(await desk.locator('meta[name=viewport]').getAttribute('content') ?? '', /viewport-fit=cover/, 'content may reach under the notch; the CSS pads with safe-area insets');
  assert.equal(await desk.evaluate<number>('navigator.serviceWorker.getRegistrations().then((r) => r.length)'), 0);
  const css = await desk.evaluate<string>('[...document.styleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join("\\n")');
  for (const side of ['top', 'bottom', 'left', 'right']) assert.ok(css.includes(`safe-area-inset-${side}`), `safe-area-inset-${side} is used`);
});

test('the pages threw nothing', () => {
  assert.deepEqual(pageErrors, []);
});
