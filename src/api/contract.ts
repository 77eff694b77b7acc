// The API's JSON contract on top of the foundation's (src/imessage/json.ts):
// attachments carry the URL to fetch them from this API, so a client never
// builds one (or guesses what `part` means); and on macOS 26, whose chat
// guids all say `any;…`, a chat's service is the one its messages use, so a
// chat and its messages agree (the guid itself is kept as chat.db has it).
import type { Chat, Service } from '../imessage/model.ts';
import type { JsonContract } from './json.ts';

export const attachmentUrl = (messageGuid: string, part: number): string =>
  `/v1/attachments/${encodeURIComponent(messageGuid)}/${part}`;

/** The service of a chat's newest message, or null when it has none. */
export type NewestService = (chat: Chat) => Service | null;

/**
 * NewestService, remembered a few seconds per chat: a page of 50 events or
 * a chat list would otherwise read the same newest message again and again.
 */
export function cachedNewestService(read: NewestService, ttlMs = 5_000): NewestService {
  const memo = new Map<number, { at: number; service: Service | null }>();
  return (chat) => {
    const now = Date.now();
    const hit = memo.get(chat.rowid);
    if (hit && now - hit.at < ttlMs) return hit.service;
    if (memo.size > 10_000) memo.clear();
    const service = read(chat);
    memo.set(chat.rowid, { at: now, service });
    return service;
  };
}

export function apiContract(base: JsonContract, newestService: NewestService = () => null): JsonContract {
  return {
    chat(c) {
      const j = base.chat(c) as { service?: Service };
      if (c.service === 'any') {
        const real = newestService(c);
        if (real && real !== 'any' && real !== 'unknown') j.service = real;
      }
      return j;
    },
    message(m) {
      const j = base.message(m) as { attachments?: Record<string, unknown>[] };
      if (m.attachments.length > 0 && j.attachments) {
        j.attachments = j.attachments.map((a, i) => ({ ...a, url: attachmentUrl(m.guid, m.attachments[i]?.part ?? i) }));
      }
      return j;
    },
  };
}
