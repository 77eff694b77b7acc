// `imessage-bridge demo`, the README's first command, as a user runs it: it
// prints a URL and a token that work, serves the sample chats, streams live
// messages, confirms a send from chat.db, and stops cleanly on SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureWebBuilt, groupAlive, startDemo, type DemoChild } from './support/demoProcess.ts';
import { waitFor } from '../support/waitFor.ts';

let demo: DemoChild;
const auth = (): Record<string, string> => ({ authorization: `Bearer ${demo.token}` });

before(async () => {
  await ensureWebBuilt();
  demo = await startDemo({ chatterSeconds: 1 });
});
after(async () => { await demo?.stop(); });

const until = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> => waitFor(what, probe, { timeoutMs, intervalMs: 150 });

test('prints a loopback URL serving the web client, and a working API token', async () => {
  assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(demo.url).port, '0', 'the printed URL carries the real port, not --port 0');
  assert.match(demo.token, /^imb_\S{20,}$/);
  const page = await fetch(`${demo.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
  assert.equal((await fetch(`${demo.url}/v1/chats`)).status, 401, 'the API needs the token');
  assert.equal((await fetch(`${demo.url}/v1/chats`, { headers: { authorization: 'Bearer imb_wrong' } })).status, 401);
});

test('lists the sample chats with their Contacts names, and prints them', async () => {
  const r = await fetch(`${demo.url}/v1/chats`, { headers: auth() });
  assert.equal(r.status, 200);
  const { chats } = await r.json() as { chats: { guid: string; display_name: string | null; name?: string; is_group: boolean }[] };
  const names = chats.map((c) => c.name ?? c.display_name).sort();
  assert.deepEqual(names, ['Ada Lovelace', 'Alan Turing', 'Compiler club', 'Katherine Johnson', "Tony's Pizza"]);
  const out = demo.output();
  for (const line of ['■ Ada Lovelace', '■ Compiler club', "■ Tony's Pizza", 'Grace Hopper: Found a bug. An actual moth.', 'Grace Hopper added Katherine Johnson to the conversation']) assert.ok(out.includes(line), `stdout lacks ${line}`);
});

test('demo content: real photos, a voice message, an unsent message, a group event, read receipts and several days of history', async () => {
  const chats = (await (await fetch(`${demo.url}/v1/chats`, { headers: auth() })).json() as { chats: { guid: string; name?: string }[] }).chats;
  const page = async (name: string) => {
    const guid = chats.find((c) => c.name === name)!.guid;
    const r = await fetch(`${demo.url}/v1/chats/${encodeURIComponent(guid)}/messages?limit=200`, { headers: auth() });
    return (await r.json() as { messages: { guid: string; date: string; from_me: boolean; unsent: boolean; is_read: boolean; event: { type: string } | null; attachments: { mime_type: string | null; transfer_name: string | null }[] }[] }).messages;
  };
  const alan = await page('Alan Turing');
  const days = new Set(alan.map((m) => m.date.slice(0, 10)));
  assert.ok(days.size >= 5, `Alan's conversation spans ${days.size} days`);
  assert.ok(alan.length >= 25);
  assert.ok(alan.some((m) => m.unsent), 'an unsent message');
  assert.ok(alan.some((m) => m.from_me && m.is_read), 'a sent message marked read');
  const voice = alan.flatMap((m) => m.attachments.map((a) => ({ m, a }))).find(({ a }) => a.transfer_name === 'Audio Message.m4a');
  assert.ok(voice, 'a voice message');
  const photo = alan.flatMap((m) => m.attachments.map((a) => ({ m, a }))).find(({ a }) => a.mime_type === 'image/jpeg');
  assert.ok(photo);
  // The photo's bytes are a real JPEG (SOI marker), not a placeholder.
  for (const [m, mime, magic] of [[photo.m, 'image/jpeg', 'ffd8ff'], [voice.m, 'audio', '00000018']] as const) {
    const r = await fetch(`${demo.url}/v1/attachments/${m.guid}/0`, { headers: auth() });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', new RegExp(mime === 'audio' ? '^audio/' : mime));
    const head = Buffer.from(await r.arrayBuffer()).subarray(0, 4).toString('hex');
    if (mime === 'image/jpeg') assert.ok(head.startsWith(magic), `JPEG bytes, got ${head}`);
  }
  const group = await page('Compiler club');
  assert.ok(group.some((m) => m.event?.type === 'member_added'), 'a group event');
  // A real HEIC from an iPhone, served converted to JPEG; and a PDF as a plain file.
  const katherine = (await page('Katherine Johnson')).flatMap((m) => m.attachments.map((a, part) => ({ m, a, part })));
  const heic = katherine.find(({ a }) => a.transfer_name === 'IMG_6001.HEIC');
  assert.ok(heic, 'a HEIC photo');
  const original = Buffer.from(await (await fetch(`${demo.url}/v1/attachments/${heic.m.guid}/${heic.part}?original=1`, { headers: auth() })).arrayBuffer());
  assert.equal(original.subarray(4, 12).toString('latin1'), 'ftypheic', 'the stored file is a real HEIC');
  const converted = await fetch(`${demo.url}/v1/attachments/${heic.m.guid}/${heic.part}`, { headers: auth() });
  assert.equal(converted.headers.get('content-type'), 'image/jpeg');
  assert.ok(Buffer.from(await converted.arrayBuffer()).subarray(0, 3).toString('hex') === 'ffd8ff', 'served as a JPEG');
  assert.ok(katherine.some(({ a }) => a.mime_type === 'application/pdf'), 'a PDF');
});

test('streams a live incoming message over /v1/events', async () => {
  const ctl = new AbortController();
  const r = await fetch(`${demo.url}/v1/events`, { headers: { ...auth(), accept: 'text/event-stream' }, signal: ctl.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    const event = await until('a live message event', async () => {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buf += decoder.decode(value, { stream: true });
      const frame = buf.split('\n\n').find((f) => /^event: message$/m.test(f));
      const data = frame?.split('\n').find((l) => l.startsWith('data: '));
      return data ? JSON.parse(data.slice(6)) as { type: string; key: string; chat: { guid: string }; message: { from_me: boolean; text: string; sender_name?: string } } : undefined;
    });
    assert.equal(event.type, 'message');
    assert.equal(event.message.from_me, false);
    assert.ok(event.message.text.length > 0);
    assert.ok(event.message.sender_name && !event.message.sender_name.startsWith('+'), `sender named from Contacts: ${event.message.sender_name}`);
    assert.match(event.key, /^msg:/);
  } finally {
    ctl.abort();
    await reader.cancel().catch(() => undefined);
  }
});

test('answers a send: confirmed from chat.db through the fake osascript', async () => {
  const chats = (await (await fetch(`${demo.url}/v1/chats`, { headers: auth() })).json() as { chats: { guid: string; name?: string }[] }).chats;
  const ada = chats.find((c) => c.name === 'Ada Lovelace');
  assert.ok(ada);
  const text = `demo test ${Date.now()}`;
  const r = await fetch(`${demo.url}/v1/send?wait=true`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ chat: ada.guid, text }) });
  const body = await r.json() as { id: string; fate: { state: string; messageGuid?: string } };
  assert.equal(r.status, 200, JSON.stringify(body));
  assert.equal(body.fate.state, 'sent');
  assert.match(body.fate.messageGuid ?? '', /^[0-9A-F-]{36}$/i);
  const row = await (await fetch(`${demo.url}/v1/messages/${body.fate.messageGuid}`, { headers: auth() })).json() as { message: { text: string; from_me: boolean; chat_guid: string } };
  assert.deepEqual([row.message.text, row.message.from_me, row.message.chat_guid], [text, true, ada.guid]);
  await demo.waitFor(new RegExp(`Me: ${text}`), 20_000);
});

test('stops cleanly on SIGTERM: exit 0 and nothing left running', async () => {
  const pgid = demo.child.pid!;
  const exited = new Promise<number | null>((resolve) => demo.child.once('exit', (code) => resolve(code)));
  demo.child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref())]);
  assert.equal(code, 0, `demo exit: ${String(code)}\n${demo.output().slice(-2000)}`);
  await until('the demo process group to be empty', () => (groupAlive(pgid) ? undefined : true), 5_000);
  assert.equal((await fetch(`${demo.url}/healthz`).catch(() => null))?.status, undefined, 'the API port is closed');
});
