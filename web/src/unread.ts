// Unread counts. chat.db's is_read says whether the Mac has seen a message;
// on top of that this browser remembers the newest row it showed per chat
// (localStorage: rowids only, never message content or the token).

const KEY = 'imb.seen';
export type Seen = Record<string, number>;

export function loadSeen(): Seen {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? v as Seen : {};
  } catch { return {}; }
}

export function saveSeen(s: Seen): void {
  try { localStorage.setItem(KEY, JSON.stringify(s)); } catch { /* private mode: counts reset on reload */ }
}
