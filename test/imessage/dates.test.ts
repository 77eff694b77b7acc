import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { APPLE_EPOCH_MS, appleMsSql, appleMsToEpochMs, appleToEpochMs, epochMsToAppleThresholds } from '../../src/imessage/dates.ts';

test('seconds and nanoseconds are told apart per value; 0 and NULL are unset', () => {
  assert.equal(appleToEpochMs(0), null);
  assert.equal(appleToEpochMs(0n), null);
  assert.equal(appleToEpochMs(null), null);
  assert.equal(appleToEpochMs(undefined), null);
  // 2017-01-01T00:00:00Z = 504921600 s after the Apple epoch.
  assert.equal(new Date(appleToEpochMs(504_921_600)!).toISOString(), '2017-01-01T00:00:00.000Z');
  assert.equal(new Date(appleToEpochMs(504_921_600_000_000_000n)!).toISOString(), '2017-01-01T00:00:00.000Z');
  assert.equal(new Date(appleToEpochMs(504_921_600_123_456_789n)!).toISOString(), '2017-01-01T00:00:00.123Z');
  assert.equal(appleToEpochMs(1), APPLE_EPOCH_MS + 1000);
  assert.equal(appleToEpochMs(1_000_000_000_000n), APPLE_EPOCH_MS + 1_000_000);
});

test('the SQL expression gives the exact millisecond of real nanosecond values (beyond 2^53)', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER)');
  // Values from the real test.db (Sequoia) and a seconds-era value.
  const values = [760569924490443600n, 779490427786147100n, 504921600n, 0n, 999_999_999_999n, 1_000_000_000_000n];
  const ins = db.prepare('INSERT INTO t VALUES (?)');
  for (const v of values) ins.run(v);
  ins.run(null);
  const got = (db.prepare(`SELECT ${appleMsSql('v')} FROM t`).pluck().all() as (number | null)[]).map(appleMsToEpochMs);
  const want = [...values.map((v) => appleToEpochMs(v)), null];
  assert.deepEqual(got, want);
  assert.equal(new Date(got[0]!).toISOString(), '2025-02-06T21:25:24.490Z');
  db.close();
});

test('thresholds for WHERE clauses match both units', () => {
  const ms = Date.UTC(2024, 0, 1);
  const t = epochMsToAppleThresholds(ms);
  assert.equal(appleToEpochMs(t.ns), ms);
  assert.equal(appleToEpochMs(t.s), ms);
});
