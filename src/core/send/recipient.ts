// Where a send may go, checked once in the core for every origin (connectors,
// the API, the CLI) before anything is queued: a chat Messages knows, or a
// 1:1 chat with a real address. Anything else — empty, spaces, line breaks,
// `;;;`, a path, a 10 kB blob — is refused at once with a clear reason, rather
// than handed to AppleScript to fail (or worse, succeed) in a strange way.
import type { Chat } from '../../imessage/model.ts';
import { badRecipient } from '../errors.ts';
import { chatFromGuid, handleKey } from '../mirror/chatIdentity.ts';

/** Longer than any guid or address Messages uses (emails stop at 254). */
export const MAX_RECIPIENT_CHARS = 320;

const SERVICES = new Set(['iMessage', 'SMS', 'RCS', 'any']);
const GUID = /^([^;]+);([-+]);([^;]+)$/;
const EMAIL = /^[^\s@;/\\]+@[^\s@;/\\]+\.[^\s@;/\\]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** SMS short codes (e.g. 72345): digits only. */
const SHORT_CODE = /^\d{3,6}$/;

/** A short, safe rendering of what was given, for the error message. */
const shown = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A phone number (any common form, national ones in `region`), email or short code: its canonical form, or null. */
export function addressOf(handle: string, region = 'US'): string | null {
  if (EMAIL.test(handle)) return handle.toLowerCase();
  if (!/^[+\d\s().-]+$/.test(handle)) return null;
  const key = handleKey(handle, region);
  return E164.test(key) || SHORT_CODE.test(key) ? key : null;
}

/**
 * The chat a send targets: the one chat.db lists, else one derived from a
 * well-formed guid or address. Throws a `bad_recipient` refusal otherwise.
 */
export function resolveRecipient(target: string, known: (guidOrHandle: string) => Chat | null, region = 'US'): Chat {
  if (target.trim() === '') throw badRecipient('no recipient given');
  if (target.length > MAX_RECIPIENT_CHARS) throw badRecipient(`${target.length} characters is far longer than any chat guid or address`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f\u2028\u2029]/.test(target)) throw badRecipient(`${shown(target)} contains spaces or line breaks`);
  const chat = known(target);
  if (chat) return chat;
  const m = GUID.exec(target);
  if (m) {
    if (!SERVICES.has(m[1] ?? '')) throw badRecipient(`${shown(target)} names no Messages service (iMessage, SMS, RCS or any)`);
    if (m[2] === '+') throw badRecipient(`no group chat ${shown(target)} in Messages`);
    if (!addressOf(m[3] ?? '', region)) throw badRecipient(`${shown(m[3] ?? '')} is not a phone number or email address`);
    return chatFromGuid(target);
  }
  if (target.includes(';')) throw badRecipient(`${shown(target)} is not a chat guid (service;-;address)`);
  if (!addressOf(target, region)) throw badRecipient(`${shown(target)} is not a phone number or email address`);
  return chatFromGuid(target);
}
