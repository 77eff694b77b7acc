// attachment (+ message_attachment_join): every file part of a message, looked
// up in one query per page of messages. `cache_has_attachments` is not trusted:
// the join table is the truth.
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Attachment } from '../model.ts';
import { selectList, type ColumnSpec, type Schema } from './schema.ts';

export const ATTACHMENT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'guid', fallback: "''" },
  { name: 'filename', fallback: 'NULL' },
  { name: 'mime_type', fallback: 'NULL' },
  { name: 'uti', fallback: 'NULL' },
  { name: 'transfer_name', fallback: 'NULL' },
  { name: 'total_bytes', fallback: '0' },
  { name: 'is_sticker', fallback: '0' },
];

type AttachmentRow = [messageId: number, guid: string, filename: string | null, mime: string | null, uti: string | null, transferName: string | null, totalBytes: number | null, isSticker: number | null];

/** Messages stores `~/Library/Messages/Attachments/…` literally; expand it against the configured home. */
export function expandHome(path: string | null, home: string): string | null {
  if (path === null || path === '') return null;
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

export class AttachmentTable {
  private readonly byIdsStmt: Database.Statement;
  private readonly byRangeStmt: Database.Statement;

  constructor(db: Database.Database, schema: Schema, private readonly home: string) {
    const cols = `j.message_id, ${selectList('a', ATTACHMENT_COLUMNS, schema.attachment)}`;
    const from = 'FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id';
    // Join-row order is the order Messages attached the parts in.
    this.byIdsStmt = db.prepare(`SELECT ${cols} ${from} WHERE j.message_id IN (SELECT value FROM json_each(?)) ORDER BY j.message_id, j.rowid`).raw();
    this.byRangeStmt = db.prepare(`SELECT ${cols} ${from} WHERE j.message_id BETWEEN ? AND ? ORDER BY j.message_id, j.rowid`).raw();
  }

  /** Attachments of the given messages, keyed by message ROWID. */
  forMessages(rowids: readonly number[]): Map<number, Attachment[]> {
    if (rowids.length === 0) return new Map();
    return this.collect(this.byIdsStmt.iterate(JSON.stringify(rowids)) as Iterable<AttachmentRow>);
  }

  /** Attachments of every message with lo <= ROWID <= hi (one index range scan). */
  forRange(lo: number, hi: number): Map<number, Attachment[]> {
    return this.collect(this.byRangeStmt.iterate(lo, hi) as Iterable<AttachmentRow>);
  }

  private collect(rows: Iterable<AttachmentRow>): Map<number, Attachment[]> {
    const out = new Map<number, Attachment[]>();
    for (const r of rows) {
      let list = out.get(r[0]);
      if (!list) { list = []; out.set(r[0], list); }
      list.push({
        guid: r[1], path: expandHome(r[2], this.home), mimeType: r[3], uti: r[4], transferName: r[5],
        size: r[6] ?? 0, isSticker: r[7] === 1, part: list.length,
      });
    }
    return out;
  }
}
