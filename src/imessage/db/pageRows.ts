// Whole-table pages in a compact row shape. better-sqlite3 pays ~50 ns per
// column per row to create a JS value, NULLs included, and most messages are
// plain ones whose ~15 rarely-set columns (reactions, replies, edits, group
// events, app balloons…) hold only their defaults. So the page query fetches
// the common columns, with the 0/1 flags and the service packed into one
// integer, and a second query in the same read transaction fetches the rare
// columns only for the page's rows that have any of them set. Both expand back
// into the MessageRow shape the mapper reads, with exactly the values the full
// select (messageSelectItems) gives, except that the flags come back as 0/1
// (the mapper only ever compares them `=== 1`).
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
const SERVICE = at('service');
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
  /** MessageRow index of each compact column after ROWID, and of each rare one. */
  private readonly common: number[];
  private readonly rare: number[];
  private readonly rareDefaults: (number | null)[];
  private readonly chatIdAt: number;
  private readonly bodyLengthAt: number;

  constructor(db: Database.Database, present: TableColumns, o: CompactOptions) {
    const full = messageSelectItems(present, o.bodyLengths ? { attributedBody: BODY_VALUE_SQL } : {});
    const rareNames = MESSAGE_COLUMNS.map((c) => c.name)
      .filter((n) => n in RARE && (n !== 'attributedBody' || o.bodyLengths) && n !== 'service');
    rareNames.unshift('service');
    this.rare = rareNames.map(at);
    this.rareDefaults = rareNames.map((n) => RARE[n]!.value);
    this.common = MESSAGE_COLUMNS.map((_, i) => i + 1).filter((i) => !FLAGS.includes(i) && !this.rare.includes(i));

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
      FROM message m WHERE m.ROWID BETWEEN ? AND ? AND (${cond.join(' OR ')})`).raw();
  }

  /** Compact rows (every message with lo <= ROWID <= hi, in any order) → full MessageRows, in the same order. */
  expand(compact: unknown[][], lo: number, hi: number): MessageRow[] {
    const rows = compact.map((c) => this.toFull(c));
    if (!this.rareStmt || rows.length === 0) return rows;
    const extra = this.rareStmt.all(lo, hi) as unknown[][];
    if (extra.length === 0) return rows;
    const byRowid = new Map<number, unknown[]>();
    for (const r of rows) byRowid.set(r[0], r);
    for (const x of extra) {
      const r = byRowid.get(x[0] as number);
      if (!r) continue;
      for (let k = 0; k < this.rare.length; k++) r[this.rare[k]!] = x[k + 1];
    }
    return rows;
  }

  private toFull(c: unknown[]): MessageRow {
    const r = new Array<unknown>(BODY_LENGTH + 1);
    r[0] = c[0];
    const common = this.common;
    for (let k = 0; k < common.length; k++) r[common[k]!] = c[k + 1];
    const flags = c[common.length + 1] as number;
    for (let k = 0; k < FLAGS.length; k++) r[FLAGS[k]!] = (flags >> k) & 1;
    const rare = this.rare;
    for (let k = 0; k < rare.length; k++) r[rare[k]!] = this.rareDefaults[k];
    r[SERVICE] = SERVICE_OF[(flags >> 4) & 3];
    r[CHAT_ID] = this.chatIdAt < 0 ? null : c[this.chatIdAt];
    r[BODY_LENGTH] = this.bodyLengthAt < 0 ? undefined : c[this.bodyLengthAt];
    return r as MessageRow;
  }
}

/** `expr AS name` → `expr`. */
function unalias(item: string): string {
  return item.replace(/\s+AS\s+\w+$/i, '');
}
