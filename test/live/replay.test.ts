// How a resuming client's replay turns chat.db rows into the core's events
// (src/api/live/rows.ts): a logged row comes back as the core logged it, an
// update only a row's current state shows is re-derived once and not again
// when the core logs it, rows the core never relays stay out, and nothing
// the API did not get from the core (portal history) is streamed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IMessage } from '../../src/imessage/model.ts';
import { liveClients, readerFor, startHarness, waitFor, type Harness } from '../api/support/harness.ts';
import { sse } from '../api/support/sse.ts';

const APPLE_EPOCH_MS = 978_307_200_000;

describe('replayed rows are the core\'s events', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({}, (f) => { chat = f.addChat(['+15550000001']); }, { eventLog: true });
  });
  after(async () => { await h.close(); });

  const row = (rowid: number): { message: IMessage; chat: NonNullable<ReturnType<ReturnType<typeof readerFor>['chat']>> } => {
    const r = readerFor(h);
    try {
      const message = r.messagesByRowids([rowid])[0]!;
      return { message, chat: r.chat(message.chatGuid!)! };
    } finally { r.close(); }
  };
  const maxRowid = (): number => h.chatdb.db.prepare('SELECT coalesce(max(ROWID), 0) FROM message').pluck().get() as number;
  type Client = ReturnType<typeof sse>;
  /**
   * Sentinel instead of a quiet-period sleep: a row the core publishes now
   * reaches each client after anything its replay still had to send. Returns
   * the events each client got before it.
   */
  const sentinel = async (...clients: Client[]): Promise<Client['events'][]> => {
    const y = h.chatdb.addMessage(chat, 'sentinel');
    const ym = row(y.rowid);
    h.gateway.handled = y.rowid;
    const key = `msg:${y.guid}`;
    assert.ok(h.gateway.publish(key, { type: 'message', chat: ym.chat, message: ym.message, sentBy: null }));
    await waitFor('the sentinel on every client', () => clients.every((c) => c.events.some((e) => e.data.key === key)));
    return clients.map((c) => c.events.slice(0, c.events.findIndex((e) => e.data.key === key)));
  };

  it('a logged row is replayed as logged (its sender attribution included), under its logged key', async () => {
    const base = maxRowid();
    const sent = h.chatdb.addMessage(chat, 'sent through the API', { fromMe: true });
    const { message, chat: c } = row(sent.rowid);
    const sentBy = { connector: 'api', userId: 'tok-1', displayName: 'script' };
    assert.ok(h.gateway.publish(`msg:${sent.guid}`, { type: 'message', chat: c, message, sentBy }));
    h.gateway.handled = sent.rowid;
    const c1 = sse(`${h.url}/v1/events`, h.tokens.read, `${base}:${h.gateway.log!.lastSeq()}`);
    await waitFor('replayed', () => c1.events.length >= 1);
    c1.close();
    const data = c1.events[0]!.data as unknown as { key: string; sent_by?: { user_id?: string; userId?: string } };
    assert.equal(data.key, `msg:${sent.guid}`);
    assert.ok(data.sent_by, 'sent_by comes from the core\'s logged event, not from chat.db');
  });

  it('an edit only chat.db shows is re-derived once; the core logging it a moment later does not repeat it', async () => {
    const base = maxRowid();
    const x = h.chatdb.addMessage(chat, 'before the log');
    const editedAt = Date.now() - 1000;
    h.chatdb.db.prepare('UPDATE message SET text = ?, date_edited = ? WHERE ROWID = ?').run('after the edit', (BigInt(editedAt - APPLE_EPOCH_MS) * 1_000_000n).toString(), x.rowid);
    h.gateway.handled = x.rowid;
    const c1 = sse(`${h.url}/v1/events`, h.tokens.read, `${base}:${h.gateway.log!.lastSeq()}`);
    await waitFor('row and derived edit', () => c1.events.length >= 2);
    const { message, chat: c } = row(x.rowid);
    assert.equal(message.dateEdited, editedAt);
    const editKey = `edit:${x.guid}:${editedAt}`;
    assert.deepEqual(c1.events.map((e) => [e.event, e.data.key]), [['message', `msg:${x.guid}`], ['edit', editKey]], 'the core\'s keys, row first');
    // The core catches up and logs the same edit: same key, not sent again.
    assert.ok(h.gateway.publish(editKey, { type: 'edit', chat: c, message }));
    const y = h.chatdb.addMessage(chat, 'next');
    const ym = row(y.rowid);
    h.gateway.handled = y.rowid;
    assert.ok(h.gateway.publish(`msg:${y.guid}`, { type: 'message', chat: ym.chat, message: ym.message, sentBy: null }));
    await waitFor('the next row live', () => c1.events.some((e) => e.data.key === `msg:${y.guid}`));
    c1.close();
    assert.equal(c1.events.filter((e) => e.data.key === editKey).length, 1, 'the edit once');
  });

  it('a `<rowid>` position (new rows only) gets no re-derived updates, as documented', async () => {
    const base = maxRowid();
    const x = h.chatdb.addMessage(chat, 'edited long ago');
    h.chatdb.db.prepare('UPDATE message SET date_edited = ? WHERE ROWID = ?').run((BigInt(Date.now() - APPLE_EPOCH_MS) * 1_000_000n).toString(), x.rowid);
    h.gateway.handled = x.rowid;
    const c1 = sse(`${h.url}/v1/events`, h.tokens.read, String(base));
    await waitFor('row', () => c1.events.length >= 1);
    const [events] = await sentinel(c1);
    c1.close();
    assert.deepEqual(events!.map((e) => e.data.key), [`msg:${x.guid}`]);
  });

  it('a `<rowid>` position gets a logged row as chat.db reads now (it is never sent the edit), under the logged key and attribution', async () => {
    const base = maxRowid();
    const x = h.chatdb.addMessage(chat, 'first words', { fromMe: true });
    const logged = row(x.rowid);
    const sentBy = { connector: 'api', userId: 'tok-2', displayName: 'script' };
    assert.ok(h.gateway.publish(`msg:${x.guid}`, { type: 'message', chat: logged.chat, message: logged.message, sentBy }));
    h.gateway.handled = x.rowid;
    h.chatdb.db.prepare('UPDATE message SET text = ?, date_edited = ? WHERE ROWID = ?').run('second thoughts', (BigInt(Date.now() - APPLE_EPOCH_MS) * 1_000_000n).toString(), x.rowid);
    const withUpdates = sse(`${h.url}/v1/events`, h.tokens.read, `${base}:${h.gateway.log!.lastSeq()}`);
    const rowsOnly = sse(`${h.url}/v1/events`, h.tokens.read, String(base));
    await waitFor('both replays', () => withUpdates.events.length >= 2 && rowsOnly.events.length >= 1);
    const [updated, rows] = await sentinel(withUpdates, rowsOnly);
    withUpdates.close();
    rowsOnly.close();
    assert.deepEqual(updated!.map((e) => [e.event, e.data.message.text]), [['message', 'first words'], ['edit', 'second thoughts']], 'as it happened');
    assert.deepEqual(rows!.map((e) => [e.data.key, e.data.message.text]), [[`msg:${x.guid}`, 'second thoughts']], 'as it reads now');
    assert.ok((rows![0]!.data as unknown as { sent_by?: unknown }).sent_by);
  });

  it('rows the core never relays (SharePlay, location sharing) are not replayed', async () => {
    const base = maxRowid();
    const shareplay = h.chatdb.addMessage(chat, '');
    h.chatdb.db.prepare('UPDATE message SET item_type = 6 WHERE ROWID = ?').run(shareplay.rowid);
    const plain = h.chatdb.addMessage(chat, 'after SharePlay');
    h.gateway.handled = plain.rowid;
    const c1 = sse(`${h.url}/v1/events`, h.tokens.read, `${base}:${h.gateway.log!.lastSeq()}`);
    await waitFor('the plain row', () => c1.events.length >= 1);
    const [events] = await sentinel(c1);
    c1.close();
    assert.deepEqual(events!.map((e) => e.data.key), [`msg:${plain.guid}`]);
    assert.equal(events!.at(-1)!.id!.split(':')[0], String(plain.rowid), 'the skipped row does not hold the resume point back');
  });

  it('portal history lines (one connector\'s backfill) are not streamed', async () => {
    const subscribers = await liveClients(h);
    const live = sse(`${h.url}/v1/events`, h.tokens.read);
    await waitFor('connected', () => live.status() === 200);
    await waitFor('the SSE client subscribed to the hub', async () => (await liveClients(h)) > subscribers);
    const x = h.chatdb.addMessage(chat, 'old line');
    const { message, chat: c } = row(x.rowid);
    h.gateway.publish(`history:discord:1:${x.guid}`, { type: 'history', chat: c, message, history: { run: 1, index: 0, total: 1, into: 'portal', reactions: [], edited: false, unsent: false } });
    const y = h.chatdb.addMessage(chat, 'live line');
    const ym = row(y.rowid);
    h.gateway.handled = y.rowid;
    h.gateway.publish(`msg:${y.guid}`, { type: 'message', chat: ym.chat, message: ym.message, sentBy: null });
    // The live line, published after the history line, is the sentinel for it.
    await waitFor('live line', () => live.events.length >= 1);
    live.close();
    assert.deepEqual(live.events.map((e) => e.data.key), [`msg:${y.guid}`]);
  });
});
