// What `--chat` names: a chat guid, a group's display name, or a 1:1 chat's
// phone number or email as a person would type it ("(555) 123-0001",
// "+1 555 123 0001", "07700 900123", "Bob@Example.com"). Phone numbers match by
// their digits, so no region has to be configured: a number typed without its
// country code matches a stored E.164 number that ends with it.
import type { Chat } from '../../imessage/model.ts';
import type { UserFacingError } from '../errors.ts';

/** Fewer digits than this never match by their tail (8: a full national number in the shortest plans, e.g. Denmark; a short code must match exactly). */
const MIN_TAIL_DIGITS = 8;

export class ChatArgError extends Error implements UserFacingError {
  override readonly name = 'ChatArgError';
  readonly exitCode = 1;
  constructor(message: string, readonly advice: string) { super(message); }
}

const fold = (s: string): string => s.normalize('NFC').trim().toLowerCase();

/** The digits of something that looks like a phone number, without a 00/0 prefix; null otherwise. */
function phoneDigits(s: string): { digits: string; international: boolean } | null {
  const t = s.trim().replace(/^(?:tel|sms):/i, '');
  if (!/^[+\d\s().\-/]+$/.test(t)) return null;
  let digits = t.replace(/\D/g, '');
  if (digits === '') return null;
  let international = t.startsWith('+');
  if (!international && digits.startsWith('00')) { digits = digits.slice(2); international = true; }
  return { digits, international };
}

function samePhone(arg: { digits: string; international: boolean }, identifier: string): boolean {
  const id = phoneDigits(identifier);
  if (!id) return false;
  if (id.digits === arg.digits) return true;
  if (arg.international) return false;
  // A national form: drop the trunk prefix 0 ("07700…") and match the tail of the full number.
  const national = arg.digits.replace(/^0+/, '');
  return national.length >= MIN_TAIL_DIGITS && id.digits.length > national.length && id.digits.endsWith(national);
}

const describe = (c: Chat): string => `${c.guid}${c.displayName ? ` ("${c.displayName}")` : ''}`;

/**
 * The chats `arg` names (several when a person has an iMessage and an SMS
 * chat). Throws ChatArgError when none does, or when it names different people.
 */
export function resolveChatArg(arg: string, chats: readonly Chat[]): Chat[] {
  const advice = 'Run `imessage-bridge chats` to list them; --chat takes a chat guid, a group name, or a phone number or email.';
  const exact = chats.filter((c) => c.guid === arg);
  if (exact.length) return exact;
  const name = fold(arg);
  if (name === '') throw new ChatArgError('--chat is empty.', advice);
  const named = chats.filter((c) => c.displayName !== null && fold(c.displayName) === name);
  if (named.length === 1) return named;
  if (named.length > 1) throw new ChatArgError(`${named.length} chats are named "${arg}": ${named.map(describe).join(', ')}.`, 'Pass the chat guid of the one you mean.');

  const phone = phoneDigits(arg);
  const byHandle = chats.filter((c) => !c.isGroup && (phone ? samePhone(phone, c.identifier) : fold(c.identifier) === name));
  const people = new Set(byHandle.map((c) => phoneDigits(c.identifier)?.digits ?? fold(c.identifier)));
  if (people.size > 1) {
    throw new ChatArgError(`"${arg}" matches chats with ${people.size} different people: ${byHandle.map((c) => c.identifier).join(', ')}.`,
      'Type the number with its country code (e.g. +44 7700 900123), or pass the chat guid.');
  }
  if (byHandle.length) return byHandle;
  throw new ChatArgError(`No chat in chat.db matches "${arg}".`, advice);
}
