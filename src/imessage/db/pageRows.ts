// Whole-table pages in a compact row shape. better-sqlite3 pays ~50 ns per
// column per row to create a JS value, NULLs included, and most messages are
// plain ones whose ~15 rarely-set columns (reactions, replies, edits, group
// events, app balloons…) hold only their defaults. So the page query fetches
// the common columns, with the 0/1 flags and the service packed into one
// integer, and a second query in the same read transaction fetches the rare
// columns only for the page's rows that have any of them set. Both expand back
// into the MessageRow shape the mapper reads, with exactly the values the full
// select (messageSelectItems) gives, except that the flags come back as 0/1
// (the mapper only ever compares them `=== 1`). Measured on the 1M-row
// simulated chat.db: ~1.1 µs/row for the page query instead of ~2.3, plus
// ~0.7 µs/row for the rare scan (its condition reads ~16 columns of every row).
//
// On the realistic database (wide ~90-column rows, typedstream bodies) even the
// compact row costs ~1.5 µs in value creation alone, so when the bodies and chat
// ids come from their own queries the page is read as ONE JSON text instead:
// json_array per row (the rare columns appended only to rows that set any),
// group_concat over the page, one JSON.parse in V8. That replaces both scans
// (page + rare) with one, ~30% less for the pair. JSON cannot hold blobs: the
// summary plist comes as a flag and is then read per flagged row (edits and
// unsends only), and a page where a foreign tool put a blob in a text column
// makes SQLite raise, which falls back to the compact form for that page.
import type Database from 'better-sqlite3';
import { CHAT_ID_SUBQUERY, MESSAGE_COLUMNS, messageSelectItems, type MessageRow } from './message.ts';
import { BODY_LENGTH, BODY_LENGTH_SQL, BODY_VALUE_SQL, rowidOrdered } from './pageBodies.ts';
import type { TableColumns } from './schema.ts';

const CHAT_ID = MESSAGE_COLUMNS.length + 1;
const INDEX = new Map(MESSAGE_COLUMNS.map((c, i) => [c.name, i + 1]));
const at = (name: string): number => INDEX.get(name)!;

/** 0/1 columns: bit i of the packed column is `column IS 1`. */
const FLAGS = ['is_from_me', 'is_sent', 'is_delivered', 'is_read'].map(at);
/** Service codes in bits 4–5 of the packed column; 0 = NULL or another name (then it comes with the rare columns). */
const SERVICES = ['iMessage', 'SMS', 'RCS'] as const;
const SERVICE_OF: (string | null)[] = [null, ...SERVICES];

/** The rare columns: their value when `rareCondition` is false, and the SQL saying it isn't (on the raw column). */
const RARE: Readonly<Record<string, { value: number | null; set: (c: string) => string }>> = {
  service: { value: null, set: (c) => `(${c} IS NOT NULL AND ${serviceCode(c)} = 0)` },
  attributedBody: { value: null, set: (c) => `typeof(${c}) NOT IN ('blob', 'null')` },
  // NULL and 0 both read as unset, and they also gate message_summary_info (see messageSelectItems).
  date_edited: { value: null, set: (c) => `coalesce(${c}, 0) != 0` },
  date_retracted: { value: null, set: (c) => `coalesce(${c}, 0) != 0` },
  payload_data: { value: 0, set: (c) => `${c} IS NOT NULL` },
  // Integers: NULL is a different value than 0 in the row, so it counts as set.
  ...Object.fromEntries(['error', 'item_type', 'group_action_type', 'other_handle', 'associated_message_type']
    .map((n) => [n, { value: 0, set: (c: string) => `${c} IS NOT 0` }])),
  ...Object.fromEntries(['group_title', 'associated_message_guid', 'associated_message_emoji', 'balloon_bundle_id',
    'thread_originator_guid', 'thread_originator_part'].map((n) => [n, { value: null, set: (c: string) => `${c} IS NOT NULL` }])),
  message_summary_info: { value: null, set: () => '0' },
};

/** toFull writes MESSAGE_COLUMNS' order and RARE's defaults literally: fail at load, not with shifted values. */
function assertLayout(): void {
  const expected = ['guid', 'text', 'attributedBody', 'handle_id', 'service', 'is_from_me', 'date', 'date_read', 'date_delivered',
    'date_edited', 'date_retracted', 'is_sent', 'is_delivered', 'is_read', 'error', 'item_type', 'group_action_type', 'group_title',
    'other_handle', 'associated_message_guid', 'associated_message_type', 'associated_message_emoji', 'balloon_bundle_id',
    'payload_data', 'thread_originator_guid', 'thread_originator_part', 'message_summary_info'];
  const defaults = [10, 11, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
  const names = MESSAGE_COLUMNS.map((c) => c.name);
  const literal = [null, null, 0, 0, 0, null, 0, null, 0, null, null, 0, null, null, null];
  if (names.join() !== expected.join() || CHAT_ID !== 28 || BODY_LENGTH !== 29
    || defaults.some((i, k) => RARE[names[i - 1]!]?.value !== literal[k])) {
    throw new Error('pageRows.ts: MESSAGE_COLUMNS changed; update toFull to the new layout');
  }
}
assertLayout();

function serviceCode(col: string): string {
  // COLLATE BINARY: a column declared NOCASE must not turn 'imessage' into 'iMessage'.
  return `CASE ${col} COLLATE BINARY ${SERVICES.map((s, i) => `WHEN '${s}' THEN ${i + 1}`).join(' ')} ELSE 0 END`;
}

export interface CompactOptions {
  /** attributedBody comes as its length at BODY_LENGTH (PageBodies fills the bytes in). */
  bodyLengths: boolean;
  /** The chat id is left null for ChatJoins to fill in per page. */
  chatIdsLater: boolean;
}

/** The JSON form's statements (see the header): the nearest ROWID, the page, a flagged row's summary plist. */
interface JsonStatements { edge: { ASC: Database.Statement; DESC: Database.Statement }; page: Database.Statement; summary: Database.Statement }

/** A page's rows (in the order asked), and where the next page starts: null when no row is left in the range. */
export interface PageRead { rows: MessageRow[]; next: number | null }

const SUMMARY = at('message_summary_info');

export class CompactPages {
  /** Select list for `SELECT … FROM message m`. */
  readonly selectList: string;
  private readonly rareStmt: Database.Statement | null;
  private readonly pageStmts: { ASC: Database.Statement; DESC: Database.Statement };
  /** Null when a page column would be a blob (no PageBodies) or the chat id a subquery (no ChatJoins). */
  private readonly json: JsonStatements | null;
  /** MessageRow index of each page column after ROWID, and of each rare one. */
  private readonly common: number[];
  private readonly rare: number[];
  /** 1 when attributedBody is a page column (no PageBodies), shifting the later ones. */
  private readonly bodyInPage: 0 | 1;
  private readonly chatIdAt: number;
  private readonly bodyLengthAt: number;

  constructor(db: Database.Database, present: TableColumns, o: CompactOptions) {
    const full = messageSelectItems(present, o.bodyLengths ? { attributedBody: BODY_VALUE_SQL } : {});
    const rareNames = MESSAGE_COLUMNS.map((c) => c.name).filter((n) => n in RARE && (n !== 'attributedBody' || o.bodyLengths));
    this.rare = rareNames.map(at);
    this.common = MESSAGE_COLUMNS.map((_, i) => i + 1).filter((i) => !FLAGS.includes(i) && !this.rare.includes(i));
    this.bodyInPage = o.bodyLengths ? 0 : 1;

    // `<<` and `|` share one precedence level in SQLite: each term gets its own parentheses.
    const flagTerms = FLAGS.map((i, bit) => `(((${unalias(full[i]!)}) IS 1) << ${bit})`);
    const service = present.has('service') ? [`(${serviceCode('m.service')} << 4)`] : [];
    const items = [full[0]!, ...this.common.map((i) => full[i]!), `(${[...flagTerms, ...service].join(' | ')}) AS flags`];
    if (!o.chatIdsLater) items.push(CHAT_ID_SUBQUERY);
    if (o.bodyLengths) items.push(BODY_LENGTH_SQL);
    this.selectList = items.join(', ');
    this.chatIdAt = o.chatIdsLater ? -1 : this.common.length + 2;
    this.bodyLengthAt = o.bodyLengths ? items.length - 1 : -1;

    const cond = rareNames.filter((n) => present.has(n)).map((n) => RARE[n]!.set(`m.${n}`)).filter((s) => s !== '0');
    this.rareStmt = cond.length === 0 ? null : db.prepare(`SELECT m.ROWID, ${this.rare.map((i) => full[i]!).join(', ')}
      FROM message m WHERE m.ROWID BETWEEN ? AND ? AND (${cond.join(' OR ')}) ORDER BY m.ROWID`).raw();
    const page = (dir: string): Database.Statement =>
      db.prepare(`SELECT ${this.selectList} FROM message m WHERE m.ROWID > ? AND m.ROWID < ? ORDER BY m.ROWID ${dir} LIMIT ?`).raw();
    this.pageStmts = { ASC: page('ASC'), DESC: page('DESC') };
    // fromJson reads the page columns by position: ROWID, guid, text, handle_id, the three dates, flags, body length.
    const jsonLayout = this.common.join() === '1,2,4,7,8,9' && this.rare.includes(SUMMARY) && items.length === 9;
    this.json = o.bodyLengths && o.chatIdsLater && jsonLayout ? this.jsonStatements(db, items, full, cond) : null;
  }

  private jsonStatements(db: Database.Database, items: string[], full: string[], cond: string[]): JsonStatements {
    const common = items.map((item) => noBlob(unalias(item))).join(', ');
    // The summary plist is a blob: the row carries whether it has one, and `summary` reads it.
    const rare = this.rare.map((i) => (i === SUMMARY ? `(${unalias(full[i]!)}) IS NOT NULL` : noBlob(unalias(full[i]!)))).join(', ');
    const row = cond.length === 0 ? `json_array(${common})` : `CASE WHEN ${cond.join(' OR ')} THEN json_array(${common}, ${rare}) ELSE json_array(${common}) END`;
    const sql = (order: string): string => `SELECT '[' || group_concat(${row}, ','${order}) || ']' FROM message m WHERE m.ROWID BETWEEN ? AND ?`;
    // One seek, not a count: a page is the next `n` ROWIDs from the nearest row, which holds at most
    // `n` rows (exactly `n` where ROWIDs are dense, as Messages writes them). Counting `n` rows to find
    // the page's far edge stepped through every cell of the ~1 GB table a second time (~7% of a full read).
    const edge = (fn: string): Database.Statement => db.prepare(`SELECT ${fn}(ROWID) FROM message WHERE ROWID > ? AND ROWID < ?`).pluck();
    return {
      edge: { ASC: edge('min'), DESC: edge('max') },
      page: db.prepare(sql(rowidOrdered(db, sql('')) ? '' : ' ORDER BY m.ROWID')).pluck(),
      summary: db.prepare(`SELECT ${unalias(full[SUMMARY]!)} FROM message m WHERE m.ROWID = ?`).pluck(),
    };
  }

  /**
   * Up to `n` messages with lo < ROWID < hi, nearest `lo` first (asc) or nearest `hi` first (desc), as
   * MessageRows; run it inside one read transaction with the fills that follow (joins, bodies).
   * The page may hold fewer than `n` rows with more to come (sparse ROWIDs): `next` says whether.
   */
  read(lo: number, hi: number, n: number, desc: boolean): PageRead {
    const dir = desc ? 'DESC' : 'ASC';
    if (this.json) {
      const nearest = this.json.edge[dir].get(lo, hi) as number | null;
      if (nearest === null) return { rows: [], next: null };
      const from = desc ? Math.max(lo + 1, nearest - n + 1) : nearest;
      const to = desc ? nearest : Math.min(hi - 1, nearest + n - 1);
      const rows = this.readJson(this.json, from, to);
      if (rows) return { rows: desc ? rows.reverse() : rows, next: desc ? from : to };
    }
    const compact = this.pageStmts[dir].all(lo, hi, n) as unknown[][];
    if (compact.length === 0) return { rows: [], next: null };
    const a = compact[0]![0] as number;
    const b = compact[compact.length - 1]![0] as number;
    return { rows: this.expand(compact, Math.min(a, b), Math.max(a, b)), next: compact.length < n ? null : b };
  }

  /** Every message with lo <= ROWID <= hi, ascending; null when SQLite refuses the JSON (a blob where text belongs). */
  private readJson(s: JsonStatements, lo: number, hi: number): MessageRow[] | null {
    let text: string | null;
    try {
      text = s.page.get(lo, hi) as string | null;
    } catch {
      return null;
    }
    if (text === null) return [];
    const parsed = JSON.parse(text) as unknown[][];
    const rows = new Array<MessageRow>(parsed.length);
    for (let k = 0; k < parsed.length; k++) rows[k] = this.fromJson(parsed[k]!, s);
    return rows;
  }

  private fromJson(j: unknown[], s: JsonStatements): MessageRow {
    // The compact row's layout (ROWID, guid, text, handle_id, 3 dates, flags, body length), as in toFull.
    const flags = j[7] as number;
    const r: MessageRow = [
      j[0] as number, j[1] as string, j[2] as string | null, null, j[3] as number | null,
      SERVICE_OF[(flags >> 4) & 3]!, flags & 1, j[4] as number | null, j[5] as number | null, j[6] as number | null,
      null, null, (flags >> 1) & 1, (flags >> 2) & 1, (flags >> 3) & 1, 0, 0, 0, null, 0, null, 0, null, null, 0, null, null, null,
      null, j[8] as number | null,
    ];
    if (j.length > 9) {
      const w = r as unknown[];
      for (let k = 0; k < this.rare.length; k++) w[this.rare[k]!] = j[9 + k];
      w[SUMMARY] = w[SUMMARY] === 1 ? (s.summary.get(r[0]) ?? null) : null;
    }
    return r;
  }

  /** Compact rows (every message with lo <= ROWID <= hi, in ROWID order either way) → full MessageRows, in the same order. */
  expand(compact: unknown[][], lo: number, hi: number): MessageRow[] {
    const rows = compact.map((c) => this.toFull(c));
    if (!this.rareStmt || rows.length === 0) return rows;
    const extra = this.rareStmt.all(lo, hi) as [number, ...unknown[]][];
    // Both lists are in ROWID order (rows possibly descending): merge them instead of building a Map.
    const ascending = rows.length < 2 || rows[0]![0] < rows[rows.length - 1]![0];
    const last = rows.length - 1;
    let j = 0;
    for (const x of extra) {
      while (j <= last && rows[ascending ? j : last - j]![0] < x[0]) j++;
      const r = rows[ascending ? j : last - j] as unknown[] | undefined;
      if (!r || r[0] !== x[0]) continue;
      for (let k = 0; k < this.rare.length; k++) r[this.rare[k]!] = x[k + 1];
    }
    return rows;
  }

  private toFull(c: unknown[]): MessageRow {
    // One array literal in MESSAGE_COLUMNS order (checked by assertLayout): the rare columns hold
    // their RARE defaults until `expand` overwrites them, the flags and service come unpacked.
    const o = this.bodyInPage;
    const flags = c[7 + o] as number;
    return [
      c[0] as number, c[1] as string, c[2] as string | null, o ? (c[3] as Buffer | null) : null, c[3 + o] as number | null,
      SERVICE_OF[(flags >> 4) & 3]!, flags & 1, c[4 + o] as number | null, c[5 + o] as number | null, c[6 + o] as number | null,
      null, null, (flags >> 1) & 1, (flags >> 2) & 1, (flags >> 3) & 1, 0, 0, 0, null, 0, null, 0, null, null, 0, null, null, null,
      this.chatIdAt < 0 ? null : (c[this.chatIdAt] as number | null),
      this.bodyLengthAt < 0 ? undefined : (c[this.bodyLengthAt] as number | null),
    ];
  }
}

/**
 * A bare column as a JSON value. json_array silently reads a blob that happens to be valid JSONB
 * (x'1337' is the number 7) and rejects the rest; a foreign tool's blob in a text or integer column
 * must instead reach the caller as bytes, so any blob raises ('blob' is malformed JSON) and the
 * page falls back to the compact form. typeof() reads only the record header. Expressions
 * (dates, flags, lengths) never yield a blob.
 */
function noBlob(expr: string): string {
  return /^m\.\w+$/.test(expr) ? `CASE WHEN typeof(${expr}) = 'blob' THEN json(typeof(${expr})) ELSE ${expr} END` : expr;
}

/** `expr AS name` → `expr`. */
function unalias(item: string): string {
  return item.replace(/\s+AS\s+\w+$/i, '');
}
