// The API's JSON contract on top of the foundation's (src/imessage/json.ts):
// attachments carry the URL to fetch them from this API, so a client never
// builds one (or guesses what `part` means).
import type { JsonContract } from './json.ts';

export const attachmentUrl = (messageGuid: string, part: number): string =>
  `/v1/attachments/${encodeURIComponent(messageGuid)}/${part}`;

export function apiContract(base: JsonContract): JsonContract {
  return {
    chat: (c) => base.chat(c),
    message(m) {
      const j = base.message(m) as { attachments?: Record<string, unknown>[] };
      if (m.attachments.length > 0 && j.attachments) {
        j.attachments = j.attachments.map((a, i) => ({ ...a, url: attachmentUrl(m.guid, m.attachments[i]?.part ?? i) }));
      }
      return j;
    },
  };
}
