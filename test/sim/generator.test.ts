import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import bplist from 'bplist-parser';
import { decodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { generate } from '../../src/sim/generator.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { readRows, tempDir } from './support.ts';

function digest(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    const h = createHash('sha256');
    for (const table of ['handle', 'chat', 'chat_handle_join', 'message', 'chat_message_join', 'attachment', 'message_attachment_join']) {
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().safeIntegers(true).iterate()) {
        h.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
      }
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}

test('same seed → identical database; another seed → a different one', (t) => {
  const a = generate({ dir: tempDir(t), messages: 3000, chats: 12, seed: 42 });
  const b = generate({ dir: tempDir(t), messages: 3000, chats: 12, seed: 42 });
  const c = generate({ dir: tempDir(t), messages: 3000, chats: 12, seed: 43 });
  assert.equal(digest(a.dbPath), digest(b.dbPath));
  assert.notEqual(digest(a.dbPath), digest(c.dbPath));
  assert.deepEqual(a.counts, b.counts);
});

test('the mix: every kind present in realistic shares, valid bodies, WAL at the end', (t) => {
  const res = generate({ dir: tempDir(t), messages: 20_000, chats: 40, seed: 'mix', version: 'sequoia' });
  const q = (sql: string) => Number(readRows<{ n: bigint }>(res.dbPath, sql)[0]!.n);
  assert.equal(q('SELECT COUNT(*) AS n FROM message'), 20_000);
  assert.equal(q('SELECT COUNT(*) AS n FROM chat_message_join'), 20_000);
  const share = (sql: string) => q(`SELECT COUNT(*) AS n FROM message WHERE ${sql}`) / 20_000;
  const between = (v: number, lo: number, hi: number, what: string) => assert.ok(v >= lo && v <= hi, `${what}: ${v}`);
  between(share('is_from_me = 1'), 0.35, 0.45, 'from me');
  between(share('associated_message_type BETWEEN 2000 AND 2007'), 0.05, 0.1, 'tapbacks');
  between(share('associated_message_type BETWEEN 3000 AND 3007'), 0.003, 0.02, 'tapback removals');
  assert.ok(q('SELECT COUNT(*) AS n FROM message WHERE associated_message_type = 2006 AND associated_message_emoji IS NOT NULL') > 0, 'emoji tapbacks');
  between(share('cache_has_attachments = 1'), 0.04, 0.08, 'attachments');
  between(share('thread_originator_guid IS NOT NULL'), 0.02, 0.04, 'replies');
  assert.ok(q('SELECT COUNT(*) AS n FROM message WHERE date_edited > 0') > 50, 'edits');
  assert.ok(q('SELECT COUNT(*) AS n FROM message WHERE date_retracted > 0 AND attributedBody IS NULL') > 20, 'unsends');
  assert.ok(q('SELECT COUNT(*) AS n FROM message WHERE item_type IN (1, 2, 3)') > 20, 'group events');
  assert.ok(q("SELECT COUNT(*) AS n FROM message WHERE balloon_bundle_id = 'com.apple.messages.URLBalloonProvider'") > 100, 'URL previews');
  assert.ok(q("SELECT COUNT(*) AS n FROM message WHERE balloon_bundle_id LIKE 'com.apple.messages.MSMessageExtensionBalloonPlugin:%'") > 10, 'app messages');
  assert.ok(q('SELECT COUNT(*) AS n FROM message WHERE error != 0') > 5, 'errors');
  assert.ok(q("SELECT COUNT(*) AS n FROM chat WHERE guid LIKE 'SMS;-;%'") > 0 && q('SELECT COUNT(*) AS n FROM chat WHERE style = 43') > 0, 'SMS and groups');
  assert.ok(q('SELECT COUNT(*) AS n FROM message m WHERE EXISTS (SELECT 1 FROM message p WHERE p.ROWID < m.ROWID AND p.date > m.date + 86400000000000)') > 0, 'iCloud backfill: older dates at higher ROWIDs');
  assert.equal(q('SELECT COUNT(*) AS n FROM message WHERE text IS NOT NULL'), 0, 'Sequoia keeps the body in attributedBody only');

  const texts = readRows<{ attributedBody: Buffer }>(res.dbPath, 'SELECT attributedBody FROM message WHERE attributedBody IS NOT NULL LIMIT 3000').map((r) => decodeAttributedBody(r.attributedBody).text);
  assert.ok(texts.some((s) => /[\u0590-\u05FF\u0600-\u06FF]/.test(s)), 'RTL text');
  assert.ok(texts.some((s) => /[\uD800-\uDBFF]/.test(s)), 'non-BMP');
  assert.ok(texts.some((s) => s.includes('\n')), 'newlines');
  const edited = readRows<{ message_summary_info: Buffer }>(res.dbPath, 'SELECT message_summary_info FROM message WHERE date_edited > 0 LIMIT 1')[0]!;
  const info = bplist.parseBuffer(edited.message_summary_info)[0] as { ec: Record<string, { t: Buffer }[]> };
  assert.equal(info.ec['0']!.length, 2);
  assert.equal(typeof decodeAttributedBody(info.ec['0']![0]!.t).text, 'string');
  assert.equal(readRows<{ journal_mode: string }>(res.dbPath, 'PRAGMA journal_mode')[0]!.journal_mode, 'wal');
  assert.ok(q("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'message_idx_date'") === 1, 'indexes created after the load');
  // The generated folder is a simulator folder.
  const sim = MessagesSimulator.open(res.dir);
  t.after(() => sim.close());
  assert.equal(sim.maxRowid(), 20_000);
});

test('old versions: seconds dates and a text column; files for attachments when asked', (t) => {
  const res = generate({ dir: tempDir(t), messages: 2000, chats: 5, seed: 7, version: 'el-capitan', attachmentFiles: true });
  const rows = readRows<{ text: string | null; date: bigint; item_type: bigint }>(res.dbPath, 'SELECT text, date, item_type FROM message');
  assert.ok(rows.every((r) => r.date < 1_000_000_000_000n && r.date > 500_000_000n), 'seconds since 2001');
  assert.ok(rows.every((r) => r.text !== null || r.item_type !== 0n), 'every message but group events has text');
  const files = readRows<{ filename: string }>(res.dbPath, 'SELECT filename FROM attachment');
  assert.ok(files.length > 0);
  for (const f of files) assert.ok(existsSync(join(res.home, f.filename.slice(2))), f.filename);
  assert.throws(() => generate({ dir: tempDir(t), messages: -1, chats: 1, seed: 1 }), /non-negative/);
  assert.throws(() => generate({ dir: tempDir(t), messages: 1, chats: 0, seed: 1 }), /positive/);
});
