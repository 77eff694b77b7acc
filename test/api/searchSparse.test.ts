// A chat.db whose ROWIDs are sparse (restored, merged, or a real database's
// AUTOINCREMENT sequence far ahead of its rows) has few rows over a wide ROWID
// span. The search backfill decides on read processes by rows, not by span: two
// messages at ROWID ~500k are indexed on the API's thread, not by read processes
// walking hundreds of empty 5,000-ROWID ranges.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';
import { waitFor } from '../support/waitFor.ts';

describe('search backfill on a sparse chat.db', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({}, (f) => {
      const c = f.addChat(['+15550000011']);
      f.addMessage(c, 'sparse hello one', { from: '+15550000011' });
      f.addMessage(c, 'sparse hello two', { from: '+15550000011' });
    });
  });
  after(async () => { await h.close(); });

  it('indexes a few rows over a wide ROWID span without read processes, and finds them', async () => {
    const line = await waitFor('the search backfill to finish', () => h.logLines.map((l) => JSON.parse(l) as { msg: string; readers?: number; indexed?: number }).find((l) => l.msg === 'search index up to date'));
    const maxRowid = h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number;
    assert.ok(maxRowid > 50_000, `the fixture's ROWIDs are sparse (max ${maxRowid})`);
    assert.equal(line.readers, 0, 'two rows need no read processes');
    assert.equal(line.indexed, 2);
    const r = await http(`${h.url}/v1/search?q=sparse`, { headers: bearer(h.tokens.read) });
    assert.equal(r.status, 200, r.body);
    assert.equal((r.json().results as unknown[]).length, 2);
  });
});
