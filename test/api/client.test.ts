// The typed client (imessage-bridge/client), driven as an integrator would:
// against a demo-like bridge (simulated Messages, fake osascript, real core
// and API), reading, paging, searching, sending, scheduling, and streaming
// live events over SSE and WebSocket through dropped connections.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { BridgeApiError, BridgeClient, type LiveEvent, type Message, type WebSocketFactory } from 'imessage-bridge/client';
import { startDemoGateway, type DemoGateway } from './support/demoGateway.ts';
import { waitFor } from './support/harness.ts';
import { OPERATOR_SCOPE } from '../../src/core/send/policy.ts';

/** Lets a test cut live connections and hold reconnects until it says so. */
class Cutter {
  private readonly live = new Set<() => void>();
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  connects = 0;
  /** Drops every open connection; reconnects wait until resume(). */
  cut(): void {
    this.gate = new Promise((r) => { this.open = r; });
    for (const drop of this.live) drop();
    this.live.clear();
  }
  resume(): void { this.open?.(); this.gate = null; }
  async admit(drop: () => void): Promise<void> {
    if (this.gate) await this.gate;
    this.connects++;
    this.live.add(drop);
  }
}

function cuttableFetch(c: Cutter): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    if (!url.endsWith('/v1/events')) return fetch(input, init);
    const ctrl = new AbortController();
    init?.signal?.addEventListener('abort', () => ctrl.abort(), { once: true });
    await c.admit(() => ctrl.abort());
    return fetch(input, { ...init, signal: ctrl.signal });
  };
}

function cuttableWs(c: Cutter): WebSocketFactory {
  return (url, headers) => {
    const ws = new WebSocket(url, { headers });
    void c.admit(() => ws.terminate());
    return ws;
  };
}

/** A stream that lost an event would wait forever: fail instead. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); })]).finally(() => clearTimeout(t));
}

async function take(stream: AsyncIterable<LiveEvent>, n: number, pred: (e: LiveEvent) => boolean): Promise<LiveEvent[]> {
  const got: LiveEvent[] = [];
  for await (const ev of stream) {
    if (pred(ev)) got.push(ev);
    if (got.length >= n) break;
  }
  return got;
}

describe('the typed client against a running bridge', () => {
  let gw: DemoGateway;
  let api: BridgeClient;
  before(async () => {
    gw = await startDemoGateway();
    api = new BridgeClient({ baseUrl: gw.url, token: gw.tokens.readSend });
  });
  after(async () => { await gw.stop(); });

  it('reads chats and pages through a chat both ways with opaque cursors', async () => {
    const all = [];
    for await (const c of api.chats(2)) all.push(c);
    const first = await api.listChats({ limit: 200 });
    assert.deepEqual(all.map((c) => c.guid), first.chats.map((c) => c.guid), 'paging 2 at a time gives the same list');
    assert.ok(all.length >= 3);
    const chat = all.find((c) => c.name === 'Alan Turing') ?? all[0]!;
    const newest = await api.listMessages(chat.guid, { limit: 3 });
    assert.equal(newest.messages.length, 3);
    assert.ok(newest.next_cursor, 'older messages exist');
    const older = await api.listMessages(chat.guid, { limit: 3, cursor: newest.next_cursor! });
    assert.ok(older.messages.at(-1)!.rowid < newest.messages[0]!.rowid);
    const back = await api.listMessages(chat.guid, { limit: 3, cursor: older.prev_cursor! });
    assert.deepEqual(back.messages.map((m) => m.rowid), newest.messages.map((m) => m.rowid));
    const walked: Message[] = [];
    for await (const m of api.messages(chat.guid, 4)) walked.push(m);
    assert.deepEqual(walked.map((m) => m.rowid), walked.map((m) => m.rowid).sort((a, b) => b - a), 'newest back');
    const one = await api.getMessage(walked[0]!.guid);
    assert.equal(one.guid, walked[0]!.guid);
    assert.match(one.date!, /^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('searches, and downloads an attachment by the URL a message carries', async () => {
    const page = await api.search({ q: 'lunch', limit: 5 });
    assert.ok(page.results.length > 0);
    assert.match(page.results[0]!.snippet, /<mark>lunch<\/mark>/i);
    assert.match(page.results[0]!.message.text, /lunch/i);
    let withFile: Message | undefined;
    for await (const c of api.chats()) {
      for await (const m of api.messages(c.guid)) if (m.attachments.some((a) => a.path)) { withFile = m; break; }
      if (withFile) break;
    }
    assert.ok(withFile, 'the demo has an attachment');
    const res = await api.attachment(withFile.attachments.find((a) => a.path)!.url);
    assert.equal(res.status, 200);
    assert.ok((await res.arrayBuffer()).byteLength > 0);
  });

  it('sends and waits for the fate, schedules and cancels', async () => {
    const chat = (await api.listChats({ limit: 1 })).chats[0]!;
    const sent = await api.send({ chat: chat.guid, text: 'typed client says hi' }, { wait: true, timeoutMs: 20_000 });
    assert.equal(sent.fate.state, 'sent');
    assert.deepEqual((await api.outbox(sent.id)).fate, sent.fate);
    const later = await api.send({ to: '+15551230001', text: 'later', send_at: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(later.fate.state, 'scheduled');
    assert.ok((await api.listScheduled()).scheduled.some((s) => s.id === later.id));
    assert.equal((await api.cancelScheduled(later.id)).fate.state, 'cancelled');
    const file = await api.send({ chat: chat.guid, text: 'with a file' }, { file: { data: new Blob(['hello file']), name: 'note.txt' } });
    assert.ok(['queued', 'sending', 'sent'].includes(file.fate.state));
  });

  it('turns API errors into BridgeApiError with the code, and auth failures are marked', async () => {
    await assert.rejects(api.listMessages('iMessage;-;+10000000000'), (e: unknown) => e instanceof BridgeApiError && e.status === 404 && e.code === 'unknown_chat');
    const bad = new BridgeClient({ baseUrl: gw.url, token: 'imb_wrong' });
    await assert.rejects(bad.listChats(), (e: unknown) => e instanceof BridgeApiError && e.isAuth && e.code === 'unauthorized');
    const readOnly = new BridgeClient({ baseUrl: gw.url, token: gw.tokens.read });
    await assert.rejects(readOnly.send({ to: '+15551230001', text: 'x' }), (e: unknown) => e instanceof BridgeApiError && e.status === 403 && e.code === 'forbidden_scope');
    // A live stream with a refused token ends with the error instead of retrying forever.
    await assert.rejects(take(bad.events({ retryMs: 10 }), 1, () => true), (e: unknown) => e instanceof BridgeApiError && e.isAuth);
    await assert.rejects(take(bad.websocket({ retryMs: 10 }), 1, () => true), (e: unknown) => e instanceof BridgeApiError && e.status === 401);
  });

  for (const transport of ['events', 'websocket'] as const) {
    it(`${transport}: resumes after a dropped connection without losing or repeating events`, async () => {
      const cutter = new Cutter();
      const fates: string[] = [];
      const client = new BridgeClient({ baseUrl: gw.url, token: gw.tokens.readSend, fetch: cuttableFetch(cutter), webSocket: cuttableWs(cutter) });
      const stream = await client[transport]({ retryMs: 20, onFate: (f) => fates.push(f.state) }).ready;
      const chat = gw.sim.findChat('+15551230001')!;
      const tag = `${transport}-${Date.now()}`;
      const mine = (e: LiveEvent) => e.type === 'message' && e.message.text.startsWith(tag);
      const seen: LiveEvent[] = [];
      const reading = (async () => { for await (const ev of stream) { if (mine(ev)) seen.push(ev); if (seen.length >= 3) break; } })();
      gw.sim.receive(chat, { from: '+15551230001', text: `${tag} one` });
      await waitFor('the first event', () => seen.length === 1);
      const position = stream.lastEventId;
      assert.ok(position);
      cutter.cut();
      // Written while the client is away: it must come on reconnect.
      gw.sim.receive(chat, { from: '+15551230001', text: `${tag} two` });
      await waitFor('the bridge to see it', () => gw.bridge.core.gateway(OPERATOR_SCOPE).handledThrough() >= gw.sim.maxRowid());
      cutter.resume();
      gw.sim.receive(chat, { from: '+15551230001', text: `${tag} three` });
      await within(30_000, 'all three events, the missed one included', reading);
      assert.deepEqual(seen.map((e) => e.message.text), [`${tag} one`, `${tag} two`, `${tag} three`]);
      assert.ok(cutter.connects >= 2, 'it reconnected');
      assert.notEqual(stream.lastEventId, position, 'the position moved on');
      // Fates of this token's own sends arrive on the same stream.
      const again = await client[transport]({ onFate: (f) => fates.push(f.state) }).ready;
      await client.send({ chat: chat.guid, text: `${tag} fate` }, { wait: true, timeoutMs: 20_000 });
      await waitFor('a sent fate', () => fates.includes('sent'));
      again.close();
      stream.close();
    });
  }

  it('a stream resumes from a stored position in a new process, as after a restart', async () => {
    const chat = gw.sim.findChat('+15551230001')!;
    const tag = `stored-${Date.now()}`;
    const first = await api.events().ready;
    gw.sim.receive(chat, { from: '+15551230001', text: `${tag} a` });
    await take(first, 1, (e) => e.message.text === `${tag} a`);
    const stored = first.lastEventId!;
    first.close();
    gw.sim.receive(chat, { from: '+15551230001', text: `${tag} b` });
    const later = api.events({ lastEventId: stored });
    const [ev] = await within(30_000, 'the missed event', take(later, 1, (e) => e.message.text.startsWith(tag)));
    assert.equal(ev!.message.text, `${tag} b`, 'the one missed while away, and not the one already seen');
    later.close();
  });
});
