import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResumeTracker } from '../../src/api/live/resume.ts';

const LIVE = (t: ResumeTracker, id: number, handled: number): number | null => (t.accept(id) ? t.advance(handled, id) : null);

describe('ResumeTracker: dedupe and a resume point that never skips a held row', () => {
  it('in order, the resume point is each event\'s own ROWID', () => {
    const t = new ResumeTracker(100);
    assert.deepEqual([101, 102, 103].map((id) => LIVE(t, id, id)), [101, 102, 103]);
    assert.equal(t.accept(102), false, 'a duplicate is dropped');
  });

  it('a held row (106 before 105) is delivered, and the resume point stays below it until it is', () => {
    const t = new ResumeTracker(104);
    assert.equal(LIVE(t, 106, 104), 104, 'the core still holds 105');
    assert.equal(LIVE(t, 105, 106), 106, 'once 105 is out, the point jumps past the already-delivered 106');
    assert.equal(t.accept(105), false);
    assert.equal(t.accept(106), false);
  });

  it('rows of the same batch above the event being delivered are not claimed yet', () => {
    const t = new ResumeTracker(100);
    // Batch saved with cursor 103, its events 101..103 emitted one by one.
    assert.equal(LIVE(t, 101, 103), 101);
    assert.equal(LIVE(t, 102, 103), 102);
  });

  it('a skipped row (never emitted) stops blocking once the core\'s cursor passes it', () => {
    const t = new ResumeTracker(104);
    assert.equal(LIVE(t, 106, 104), 104);
    assert.equal(LIVE(t, 107, 107), 107, '105 was skipped (orphan expired): the cursor passed it');
  });

  it('during a replay, rows seen without a chat block the point; the core\'s cursor above the replay does not count', () => {
    const t = new ResumeTracker(10);
    t.replayed(11, false);
    t.replayed(12, true);
    assert.ok(t.accept(12));
    assert.equal(t.advance(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), 10, 'orphan 11 may still come');
    t.replayed(13, true);
    assert.ok(t.accept(13));
    // Live 11 arrives (buffered while replaying) with the cursor at 13.
    assert.equal(LIVE(t, 11, 13), 13);
    const r = new ResumeTracker(10);
    r.replayed(11, true);
    assert.ok(r.accept(11));
    assert.equal(r.advance(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), 11, 'not the core cursor: rows 12.. may not be replayed yet');
  });
});
