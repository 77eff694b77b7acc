import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openReader } from '../../src/api/reader.ts';
import type { MessageReader } from '../../src/api/source.ts';
import { bearer, http, readerFor, startHarness, type Harness } from './support/harness.ts';

describe('search backfill across a restart', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  const ROWS = 100;
  let starts = 0;
  let newest = 0;
  before(async () => {
    h = await startHarness({}, (f) => {
      chat = f.addChat(['+15550000001']);
      for (let i = 0; i < ROWS; i++) newest = f.addMessage(chat, `needle number${i}`).rowid;
    }, {
      searchBatch: 10,
      // First start: during the backfill's second batch, a live event for the
      // newest row is indexed, and the bridge is told to stop.
      reader: (f) => {
        const inner = openReader(f.path, f.home);
        if (++starts > 1) return inner;
        let calls = 0;
        const spy = Object.create(inner) as MessageReader;
        spy.messagesAfter = (rowid, limit) => {
          if (++calls === 2) {
            const r = readerFor(h);
            const m = r.messagesByRowids([newest])[0]!;
            h.gateway.emit({ seq: 1, key: `msg:${m.guid}`, chatGuid: m.chatGuid!, event: { type: 'message', chat: r.chat(chat.guid)!, message: m, sentBy: null } });
            r.close();
            void h.api.stop();
          }
          return inner.messagesAfter(rowid, limit);
        };
        return spy;
      },
    });
  });
  after(async () => { await h.close(); });

  it('a live row beyond the backfill does not make a restart skip the rows in between', async () => {
    await h.api.searchReady;
    const indexed = () => h.bridgeDb.prepare('SELECT count(*) FROM search_fts').pluck().get() as number;
    assert.ok(indexed() < ROWS, `the first backfill stopped early (${indexed()} rows)`);
    assert.equal((h.bridgeDb.prepare('SELECT count(*) FROM search_fts WHERE rowid = ?').pluck().get(newest)), 1, 'the live row was indexed');
    await h.restart();
    await h.api.searchReady;
    assert.equal(indexed(), ROWS, 'every row is indexed after the restart');
    for (const i of [15, 50, 98]) {
      const res = (await http(`${h.url}/v1/search?q=number${i}`, { headers: bearer(h.tokens.read) })).json();
      assert.equal(res.results.length, 1, `row ${i} is searchable`);
    }
  });
});
