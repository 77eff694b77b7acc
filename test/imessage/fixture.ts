// Builds chat.db files from the real per-version schemas in test/fixtures/chatdb,
// in WAL mode like Messages, and inserts rows through the columns that
// version really has (fields it lacks are dropped, as Messages would not write them).
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLE_EPOCH_MS } from '../../src/imessage/dates.ts';

export const FIXTURES = join(import.meta.dirname, '../fixtures');
/** @deprecated the old name of FIXTURES, kept so suites that import it need no edit. */
export const SHARED = FIXTURES;
const SCHEMAS = join(FIXTURES, 'chatdb/schema');

export const VERSIONS = ['el-capitan', 'high-sierra', 'catalina', 'big-sur', 'monterey', 'ventura', 'sonoma', 'sequoia', 'sequoia-26'] as const;
export type Version = typeof VERSIONS[number];
const TABLES = ['message', 'chat', 'handle', 'attachment', 'chat_message_join', 'chat_handle_join', 'message_attachment_join'];

/** CREATE TABLE statements of sequoia-full.sql by table name: the shape of tables a version's folder lacks. */
function fullSchemaTables(): Map<string, string> {
  const out = new Map<string, string>();
  for (const stmt of readFileSync(join(SCHEMAS, 'sequoia-full.sql'), 'utf8').split(/;\s*\n/)) {
    const m = /^CREATE TABLE (\w+)/.exec(stmt.trim());
    if (m) out.set(m[1]!, stmt.trim());
  }
  return out;
}

export function typedstreamBlob(name: string): Buffer {
  return readFileSync(join(FIXTURES, 'typedstream', name));
}
export function manifestText(name: string): string {
  const manifest = JSON.parse(readFileSync(join(FIXTURES, 'typedstream/manifest.json'), 'utf8')) as { file: string; text: string }[];
  const e = manifest.find((x) => x.file === name);
  if (!e) throw new Error(`no manifest entry ${name}`);
  return e.text;
}
export function summaryBlob(name: string): Buffer {
  return readFileSync(join(FIXTURES, 'edited_message', name));
}

export class FixtureDb {
  readonly db: Database.Database;
  readonly messageColumns: Set<string>;
  readonly nanoseconds: boolean;

  constructor(readonly path: string, readonly version: Version) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    const full = fullSchemaTables();
    const folder = join(SCHEMAS, version === 'sequoia-26' ? 'sequoia' : version);
    const have = new Set(readdirSync(folder).map((f) => f.replace(/\.sql$/, '')));
    for (const t of TABLES) this.db.exec(have.has(t) ? readFileSync(join(folder, `${t}.sql`), 'utf8') : full.get(t)!);
    // The indexes every real chat.db has on its join tables.
    this.db.exec(`CREATE INDEX IF NOT EXISTS cmj_message ON chat_message_join(message_id);
      CREATE INDEX IF NOT EXISTS maj_message ON message_attachment_join(message_id);`);
    if (version === 'sequoia-26') {
      this.db.exec(`ALTER TABLE message ADD COLUMN date_recovered INTEGER DEFAULT 0;
        ALTER TABLE message ADD COLUMN is_time_sensitive INTEGER DEFAULT 0;
        ALTER TABLE message ADD COLUMN ck_chat_id TEXT;
        ALTER TABLE chat ADD COLUMN is_pending_review INTEGER DEFAULT 0;`);
    }
    this.messageColumns = new Set(this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('message') as string[]);
    this.nanoseconds = version !== 'el-capitan';
  }

  /** Epoch ms → the value this version stores (seconds on El Capitan, nanoseconds after). */
  appleDate(epochMs: number): bigint {
    const appleMs = BigInt(epochMs - APPLE_EPOCH_MS);
    return this.nanoseconds ? appleMs * 1_000_000n : appleMs / 1000n;
  }

  private insert(table: string, fields: Record<string, unknown>): number {
    const cols = new Set(this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
    const keys = Object.keys(fields).filter((k) => cols.has(k) && fields[k] !== undefined);
    const sql = `INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`;
    return Number(this.db.prepare(sql).run(...keys.map((k) => fields[k])).lastInsertRowid);
  }

  handle(id: string, service = 'iMessage'): number {
    return this.insert('handle', { id, service, country: 'us', uncanonicalized_id: id });
  }

  chat(guid: string, o: { style?: number; identifier?: string; displayName?: string | null; handles?: number[]; service?: string } = {}): number {
    const isGroup = guid.includes(';+;');
    const rowid = this.insert('chat', {
      guid, style: o.style ?? (isGroup ? 43 : 45), state: 3, chat_identifier: o.identifier ?? guid.split(';').at(-1),
      service_name: o.service ?? guid.split(';')[0], display_name: o.displayName ?? '', account_login: 'E:me@example.com',
    });
    for (const h of o.handles ?? []) this.insert('chat_handle_join', { chat_id: rowid, handle_id: h });
    return rowid;
  }

  /** Inserts a message; `dateMs`-style keys are converted to this version's unit. */
  message(fields: Record<string, unknown> & { guid: string; dateMs?: number; dateReadMs?: number; dateDeliveredMs?: number; dateEditedMs?: number; dateRetractedMs?: number; chatId?: number | null }): number {
    const { dateMs, dateReadMs, dateDeliveredMs, dateEditedMs, dateRetractedMs, chatId, ...rest } = fields;
    const row: Record<string, unknown> = { service: 'iMessage', ...rest };
    if (dateMs !== undefined) row.date = this.appleDate(dateMs);
    if (dateReadMs !== undefined) row.date_read = this.appleDate(dateReadMs);
    if (dateDeliveredMs !== undefined) row.date_delivered = this.appleDate(dateDeliveredMs);
    if (dateEditedMs !== undefined) row.date_edited = this.appleDate(dateEditedMs);
    if (dateRetractedMs !== undefined) row.date_retracted = this.appleDate(dateRetractedMs);
    const rowid = this.insert('message', row);
    if (chatId != null) this.join(chatId, rowid, dateMs);
    return rowid;
  }

  join(chatId: number, messageId: number, dateMs?: number): void {
    this.insert('chat_message_join', { chat_id: chatId, message_id: messageId, message_date: dateMs === undefined ? 0 : this.appleDate(dateMs) });
  }

  attachment(messageId: number, fields: Record<string, unknown> & { guid: string }): number {
    const rowid = this.insert('attachment', { original_guid: fields.guid, transfer_state: 5, ...fields });
    this.insert('message_attachment_join', { message_id: messageId, attachment_id: rowid });
    return rowid;
  }

  close(): void { this.db.close(); }
}

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'chatdb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
