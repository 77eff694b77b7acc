// message: the columns the model needs, selected by name in one fixed order so
// rows can be read as arrays (better-sqlite3 `raw()`, no per-row key objects).
// A column this database lacks is replaced by its default, so every schema
// from El Capitan to macOS 26 yields the same row shape.
import { appleMsSql } from '../dates.ts';
import type { ColumnSpec, TableColumns } from './schema.ts';

interface MessageColumn extends ColumnSpec { expr?: (col: string) => string }

/** In row order, after ROWID (index 0). The chat id comes last. */
export const MESSAGE_COLUMNS: readonly MessageColumn[] = [
  { name: 'guid', fallback: "''" },
  { name: 'text', fallback: 'NULL' },
  { name: 'attributedBody', fallback: 'NULL' },
  { name: 'handle_id', fallback: '0' },
  { name: 'service', fallback: 'NULL' },
  { name: 'is_from_me', fallback: '0' },
  { name: 'date', fallback: 'NULL', expr: appleMsSql },
  { name: 'date_read', fallback: 'NULL', expr: appleMsSql },
  { name: 'date_delivered', fallback: 'NULL', expr: appleMsSql },
  { name: 'date_edited', fallback: 'NULL', expr: appleMsSql },
  { name: 'date_retracted', fallback: 'NULL', expr: appleMsSql },
  { name: 'is_sent', fallback: '0' },
  { name: 'is_delivered', fallback: '0' },
  { name: 'is_read', fallback: '0' },
  { name: 'error', fallback: '0' },
  { name: 'item_type', fallback: '0' },
  { name: 'group_action_type', fallback: '0' },
  { name: 'group_title', fallback: 'NULL' },
  { name: 'other_handle', fallback: '0' },
  { name: 'associated_message_guid', fallback: 'NULL' },
  { name: 'associated_message_type', fallback: '0' },
  { name: 'associated_message_emoji', fallback: 'NULL' },
  { name: 'balloon_bundle_id', fallback: 'NULL' },
  // Only whether a payload exists matters (URL previews without a bundle id); never read the blob.
  { name: 'payload_data', fallback: '0', expr: (c) => `${c} IS NOT NULL` },
  { name: 'thread_originator_guid', fallback: 'NULL' },
  { name: 'thread_originator_part', fallback: 'NULL' },
  { name: 'message_summary_info', fallback: 'NULL' },
];

export type MessageRow = [
  rowid: number, guid: string, text: string | null, attributedBody: Buffer | null, handleId: number | null,
  service: string | null, isFromMe: number | null, date: number | null, dateRead: number | null,
  dateDelivered: number | null, dateEdited: number | null, dateRetracted: number | null, isSent: number | null,
  isDelivered: number | null, isRead: number | null, error: number | null, itemType: number | null,
  groupActionType: number | null, groupTitle: string | null, otherHandle: number | null,
  associatedGuid: string | null, associatedType: number | null, associatedEmoji: string | null,
  balloonBundleId: string | null, hasPayload: number | null, threadGuid: string | null, threadPart: string | null,
  summaryInfo: Buffer | null, chatId: number | null,
  /** Only in page queries: the attributedBody blob's byte length (see pageBodies.ts). */
  bodyLength?: number | null,
];

/** `replace` swaps a present column's expression (e.g. attributedBody's length instead of its bytes). */
export function messageSelectList(present: TableColumns, replace: Readonly<Record<string, string>> = {}): string {
  return messageSelectItems(present, replace).join(', ');
}

/** The select list's items, in row order (ROWID first), each `expr AS name` or `m.name`. */
export function messageSelectItems(present: TableColumns, replace: Readonly<Record<string, string>> = {}): string[] {
  const cols = MESSAGE_COLUMNS.map((c) => {
    if (!present.has(c.name)) return `${c.fallback} AS ${c.name}`;
    const replaced = replace[c.name];
    if (replaced !== undefined) return replaced;
    if (c.name === 'message_summary_info') {
      // The plist matters only for edited or unsent rows; skip reading the blob for the rest.
      const flags = ['date_edited', 'date_retracted'].filter((n) => present.has(n)).map((n) => `m.${n} != 0`);
      return flags.length ? `CASE WHEN ${flags.join(' OR ')} THEN m.message_summary_info END AS message_summary_info` : 'NULL AS message_summary_info';
    }
    return c.expr ? `${c.expr(`m.${c.name}`)} AS ${c.name}` : `m.${c.name}`;
  });
  return ['m.ROWID', ...cols];
}

/** The chat a message belongs to; a message committed before its join row has none yet. */
export const CHAT_ID_SUBQUERY = '(SELECT chat_id FROM chat_message_join WHERE message_id = m.ROWID ORDER BY chat_id LIMIT 1) AS chat_id';

/** The optional columns (absent on some schema) — those reported when missing. */
export const OPTIONAL_MESSAGE_COLUMNS = MESSAGE_COLUMNS.filter((c) => c.name !== 'guid');
