// Opaque page cursors, one style for every list (chats, messages, search,
// scheduled sends): `next_cursor` goes on in the list's order, `prev_cursor`
// goes back. A cursor names its list and direction, so one from another list
// (or a hand-made one) is refused with bad_cursor instead of silently
// returning the wrong page.
import { ApiError } from './errors.ts';

export type CursorKind = 'chats' | 'messages' | 'search' | 'scheduled';
/** `next`: further in the list's order; `prev`: back toward its start. */
export type Direction = 'next' | 'prev';

export interface Cursor { dir: Direction; key: number[] }

export const encodeCursor = (kind: CursorKind, c: Cursor): string =>
  Buffer.from(JSON.stringify({ v: 2, k: kind, d: c.dir, key: c.key })).toString('base64url');

/** `keyLength`: how many numbers this list's cursors carry. */
export function decodeCursor(kind: CursorKind, s: string, keyLength: number): Cursor {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (o.v === 2 && o.k === kind && (o.d === 'next' || o.d === 'prev') && Array.isArray(o.key) && o.key.length === keyLength && o.key.every((n) => Number.isSafeInteger(n))) {
      return { dir: o.d, key: o.key as number[] };
    }
  } catch { /* reported below */ }
  throw new ApiError('bad_cursor', 'The cursor is not one this API returned for this list.', 'Pass back a `next_cursor` or `prev_cursor` value exactly, or omit it to start over.');
}
