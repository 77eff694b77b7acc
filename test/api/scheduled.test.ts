// Scheduled sends: POST /v1/send with send_at keeps the send durably, fires
// it within a second of its time (also after a restart), lists and cancels
// it for its own token only, and never arms a timer longer than a minute.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { MAX_TIMER_MS, ScheduledSends } from '../../src/core/outbox/scheduled.ts';
import type { SendIntent, SendReceipt } from '../../src/core/events.ts';
import { OutboxStore } from '../../src/core/store/outboxStore.ts';
import { chatGuid, outboxId } from '../../src/ids.ts';
import { bearer, http, startHarness, waitFor, type Harness } from './support/harness.ts';
import { pause } from '../support/waitFor.ts';

const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

describe('scheduled sends over HTTP', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => { h = await startHarness({ sends_per_minute: 1000 }, (f) => { chat = f.addChat(['+15550000001']); }); });
  after(async () => { await h.close(); });
  const post = (body: unknown, token = h.tokens.readSend) =>
    http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (path: string, token = h.tokens.readSend) => http(h.url + path, { headers: bearer(token) });
  const sentAt = new Map<string, number>();
  const watchSends = () => { for (const r of h.gateway.sent) if (r.intent.text && !sentAt.has(r.intent.text)) sentAt.set(r.intent.text, Date.now()); return true; };

  it('keeps a send for its time, lists it, and fires it within a second of it', async () => {
    // Far enough ahead that a slow POST on a loaded machine is not already late.
    const sendAt = Date.now() + 3000;
    const res = await post({ chat: chat.guid, text: 'later, on time', send_at: new Date(sendAt).toISOString() });
    assert.equal(res.status, 202, res.body);
    const item = res.json();
    assert.match(item.id, /^sch_/);
    assert.deepEqual(item.fate, { state: 'scheduled' });
    assert.equal(item.send_at, new Date(sendAt).toISOString());
    assert.equal(h.gateway.sent.length, 0, 'not sent yet');
    const list = (await get('/v1/scheduled')).json();
    assert.deepEqual(list.scheduled.map((s: { id: string }) => s.id), [item.id]);
    await waitFor('fired', () => watchSends() && sentAt.get('later, on time'), 5000);
    const fired = sentAt.get('later, on time')!;
    assert.ok(fired >= sendAt - 5, `not early (${fired - sendAt} ms)`);
    assert.ok(fired - sendAt < 1000, `within a second (${fired - sendAt} ms late)`);
    const r = h.gateway.sent.find((s) => s.intent.text === 'later, on time')!;
    assert.equal(r.intent.chatGuid, chat.guid);
    assert.equal(r.intent.from.connector, 'api');
    assert.deepEqual((await get(`/v1/outbox/${item.id}`)).json().fate, { state: 'queued' }, 'the outbox fate, by the scheduled id');
    assert.deepEqual((await get('/v1/scheduled')).json().scheduled, []);
  });

  it('cancels a waiting send for its own token only; a second cancel is a 409', async () => {
    const item = (await post({ to: '+15550000001', text: 'never mind', send_at: at(60_000) })).json();
    const other = await http(`${h.url}/v1/scheduled/${item.id}`, { method: 'DELETE', headers: bearer(h.tokens.send) });
    assert.equal(other.status, 404, 'another token cannot see it');
    assert.deepEqual((await get('/v1/scheduled', h.tokens.send)).json().scheduled, []);
    const del = await http(`${h.url}/v1/scheduled/${item.id}`, { method: 'DELETE', headers: bearer(h.tokens.readSend) });
    assert.equal(del.status, 200, del.body);
    assert.deepEqual(del.json().fate, { state: 'cancelled' });
    const again = await http(`${h.url}/v1/scheduled/${item.id}`, { method: 'DELETE', headers: bearer(h.tokens.readSend) });
    assert.equal(again.status, 409);
    assert.equal(again.json().error.code, 'not_cancellable');
    assert.deepEqual((await get('/v1/scheduled')).json().scheduled, []);
  });

  it('pages the list with next_cursor, soonest first', async () => {
    const ids: string[] = [];
    for (let i = 3; i >= 1; i--) ids.unshift((await post({ chat: chat.guid, text: `page ${i}`, send_at: at(i * 3600_000) })).json().id);
    const p1 = (await get('/v1/scheduled?limit=2')).json();
    const p2 = (await get(`/v1/scheduled?limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`)).json();
    assert.deepEqual([...p1.scheduled, ...p2.scheduled].map((s: { id: string }) => s.id), ids);
    assert.equal(p2.next_cursor, null);
    for (const id of ids) await http(`${h.url}/v1/scheduled/${id}`, { method: 'DELETE', headers: bearer(h.tokens.readSend) });
  });

  it('refuses a past time, a bad time, a file, and more than a year ahead, with advice', async () => {
    for (const send_at of [at(-60_000), 'tomorrow', '2030-01-01 09:00', at(400 * 24 * 3600_000)]) {
      const res = await post({ chat: chat.guid, text: 'x', send_at });
      assert.equal(res.status, 400, send_at);
      assert.equal(res.json().error.code, 'invalid_body');
      assert.match(res.json().error.message, /send_at/);
    }
    const form = new FormData();
    form.set('chat', chat.guid);
    form.set('send_at', at(60_000));
    form.set('file', new Blob([Buffer.from('x')]), 'a.txt');
    const file = await fetch(`${h.url}/v1/send`, { method: 'POST', headers: bearer(h.tokens.readSend), body: form });
    assert.equal(file.status, 400);
    assert.match(((await file.json()) as { error: { message: string } }).error.message, /text only/);
  });

  it('survives a restart: a send due while the API was down goes out on start, a later one on time', async () => {
    const soon = (await post({ chat: chat.guid, text: 'due while down', send_at: at(300) })).json();
    const later = Date.now() + 2500;
    await post({ chat: chat.guid, text: 'due after restart', send_at: new Date(later).toISOString() });
    await h.api.stop();
    await pause(400); // the first one's time passes while down (a condition of the test, not a wait for a result)
    assert.ok(!h.gateway.sent.some((s) => s.intent.text === 'due while down'));
    await h.restart();
    await waitFor('the overdue send', () => watchSends() && sentAt.get('due while down'), 3000);
    await waitFor('the later send', () => watchSends() && sentAt.get('due after restart'), 6000);
    assert.ok(sentAt.get('due after restart')! - later < 1000);
    assert.notEqual((await get(`/v1/outbox/${soon.id}`)).json().fate.state, 'scheduled');
  });
});

describe('ScheduledSends', () => {
  const log = pino({ level: 'silent' });
  const intents: SendIntent[] = [];
  const enqueue = async (intent: SendIntent): Promise<SendReceipt> => { intents.push(intent); return { id: outboxId(`ob-${intents.length}`), intent, fate: { state: 'queued' } }; };
  const from = { connector: 'api', userId: 't1', displayName: 'tester' };

  it('never arms a timer longer than MAX_TIMER_MS, however far the send is', async () => {
    const db = openBridgeDb(':memory:');
    const s = new ScheduledSends({ db, enqueue, log });
    s.start();
    s.schedule('iMessage;-;+15550000001', 'in 200 days', from, Date.now() + 200 * 24 * 3600_000);
    assert.ok(s.armedFor !== null && s.armedFor - Date.now() <= MAX_TIMER_MS, `armed ${s.armedFor! - Date.now()} ms ahead`);
    assert.ok(MAX_TIMER_MS < 2 ** 31 - 1);
    await s.stop();
    db.close();
  });

  it('re-arms in bounded steps and still fires on time', async () => {
    const db = openBridgeDb(':memory:');
    const s = new ScheduledSends({ db, enqueue, log, maxTimerMs: 40 });
    s.start();
    const due = Date.now() + 400;
    s.schedule('iMessage;-;+15550000001', 'stepwise', from, due);
    await waitFor('fired', () => intents.some((i) => i.text === 'stepwise'), 3000);
    assert.ok(Date.now() - due < 1000);
    await s.stop();
    db.close();
  });

  it('after a crash mid-hand-over: re-sends only what never reached the outbox', async () => {
    const db = openBridgeDb(':memory:');
    const s1 = new ScheduledSends({ db, enqueue, log });
    const lost = s1.schedule('iMessage;-;+15550000001', 'never reached the outbox', from, Date.now() + 3600_000);
    const handed = s1.schedule('iMessage;-;+15550000001', 'reached the outbox', from, Date.now() + 3600_000);
    db.prepare("UPDATE scheduled_send SET state = 'firing', send_at = ?").run(Date.now() - 1000);
    const entry = new OutboxStore(db).insert({ chatGuid: chatGuid(handed.chatGuid), text: handed.text, from, origin: { connector: 'api', remoteId: handed.id } });
    const before = intents.length;
    const s2 = new ScheduledSends({ db, enqueue, log });
    s2.start();
    await waitFor('the lost one re-sent', () => intents.slice(before).some((i) => i.text === 'never reached the outbox'), 3000);
    assert.equal(intents.slice(before).filter((i) => i.text === 'reached the outbox').length, 0, 'no double send');
    assert.equal(s2.get(handed.id)!.outboxId, entry.id);
    assert.equal(s2.get(lost.id)!.state, 'queued');
    await s2.stop();
    db.close();
  });
});
