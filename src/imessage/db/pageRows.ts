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
import type Database from 'better-sqlite3';
import { CHAT_ID_SUBQUERY, MESSAGE_COLUMNS, messageSelectItems, type MessageRow } from './message.ts';
import { BODY_LENGTH, BODY_LENGTH_SQL, BODY_VALUE_SQL } from './pageBodies.ts';
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

export class CompactPages {
  /** Select list for `SELECT … FROM message m`. */
  readonly selectList: string;
  private readonly rareStmt: Database.Statement | null;
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

/** `expr AS name` → `expr`. */
function unalias(item: string): string {
  return item.replace(/\s+AS\s+\w+$/i, '');
}
