// What may be handed to Messages, decided before osascript ever runs. A bad
// recipient used to reach osascript and end, 20 s later, as "unconfirmed"; a
// text too long for argv made spawn throw E2BIG. These checks refuse at once
// with a sentence and advice. The core calls them from its one send path; the
// CLI `send` uses them too.

/** A refusal: what is wrong, and how to fix it. */
export interface SendProblem {
  code: 'bad_recipient' | 'unknown_chat' | 'empty_text' | 'text_too_long';
  message: string;
  advice: string;
}

/**
 * The largest text handed to one osascript run, in UTF-8 bytes (100 KiB).
 * It stays under Linux's 128 KiB limit for a single argument and well under
 * macOS's ARG_MAX (1 MiB for argv and the environment together). Longer texts
 * are split into parts of at most this size (splitText), each its own message.
 */
export const SEND_PART_BYTES = 100 * 1024;

/** The longest text accepted for one send at all (1 MiB, ten parts): beyond it, the caller should send a file. */
export const MAX_TEXT_BYTES = 1024 * 1024;

const MAX_RECIPIENT_CHARS = 320;
const E164 = /^\+[1-9]\d{6,14}$/;
// Deliberately narrow: what Apple IDs look like, no quotes, spaces, slashes or ';'.
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const CHAT_GUID = /^(iMessage|SMS|RCS|any);([-+]);([^;]+)$/;
// Group identifiers are `chat` + digits (or a bare UUID/hex on older macOS).
const GROUP_ID = /^[A-Za-z0-9-]{1,64}$/;

/** A recipient as the user typed it, shortened and escaped for an error message. */
export function shown(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return `${JSON.stringify(cut)}${value.length > 60 ? ` (${value.length} characters)` : ''}`;
}

export const isE164 = (s: string): boolean => E164.test(s);
export const isEmailHandle = (s: string): boolean => s.length <= 254 && EMAIL.test(s);
/** A handle Messages can address directly: a phone number in E.164 form or an email address. */
export const isHandle = (s: string): boolean => isE164(s) || isEmailHandle(s);

export interface RecipientContext {
  /** Whether chat.db has a chat with this guid (or handle: a short code like 12345 is only valid as a known chat). Without it, the shape decides. */
  isKnownChat?: (guid: string) => boolean;
}

/**
 * Why `target` can't be sent to, or null when it can: a phone number in E.164
 * form (+15551234567), an email address, or the guid of a chat in chat.db. A
 * one-to-one guid of a valid handle (`iMessage;-;+15551234567`) passes even
 * when unknown, because Messages creates that chat on the first send.
 */
export function recipientProblem(target: string, ctx: RecipientContext = {}): SendProblem | null {
  const advice = 'Give a phone number in international form (+15551234567), an email address, or a chat guid from `imessage-bridge chats`.';
  if (target.trim() === '') return { code: 'bad_recipient', message: 'the recipient is empty', advice };
  if (target.length > MAX_RECIPIENT_CHARS) return { code: 'bad_recipient', message: `the recipient ${shown(target)} is too long to be a phone number, email address or chat guid`, advice };
  if (ctx.isKnownChat?.(target)) return null;
  if (isHandle(target)) return null;
  const guid = CHAT_GUID.exec(target);
  if (guid) {
    const [, , kind, id] = guid as unknown as [string, string, string, string];
    if (kind === '-' && isHandle(id)) return null;
    if (kind === '+' && GROUP_ID.test(id)) {
      // A group chat can't be created by sending; it must exist already.
      if (!ctx.isKnownChat) return null;
      return { code: 'unknown_chat', message: `there is no group chat ${shown(target)} in chat.db`, advice: 'List the chats with `imessage-bridge chats` and use one of their guids.' };
    }
    return { code: 'bad_recipient', message: `the chat guid ${shown(target)} does not name a valid recipient`, advice };
  }
  if (/^\+?[\d ().-]{7,}$/.test(target)) {
    return { code: 'bad_recipient', message: `the phone number ${shown(target)} is not in international form`, advice: 'Write it with the country code and digits only, e.g. +15551234567.' };
  }
  return { code: 'bad_recipient', message: `the recipient ${shown(target)} is not a phone number, an email address or a chat guid`, advice };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// What the sender itself accepts as its target (it only ever gets a chat guid):
// chat.db's own guids include short codes (SMS;-;12345) and business ids
// (iMessage;-;urn:biz:…), so only the shape is checked, no whitespace or paths.
const GUID_SHAPE = /^(iMessage|SMS|RCS|any);[-+];[^\s;/\\]{1,255}$/;

/** The sender's last guard: why `chatGuid` is not even shaped like a chat guid, or null. */
export function chatGuidProblem(chatGuid: string): SendProblem | null {
  if (GUID_SHAPE.test(chatGuid)) return null;
  return recipientProblem(chatGuid) ?? { code: 'bad_recipient', message: `${shown(chatGuid)} is not a chat guid`, advice: 'Give a chat guid from `imessage-bridge chats`.' };
}

/** Where the first unpaired UTF-16 surrogate sits, or -1. */
export function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/**
 * What sending `text` would change, one sentence each (empty when it arrives
 * as given): argv can carry neither NUL nor a lone surrogate, so NULs are
 * removed and lone surrogates become U+FFFD. These are reported, never silent.
 */
export function textWarnings(text: string): string[] {
  const out: string[] = [];
  if (text.includes('\0')) out.push('NUL characters removed from the text (argv cannot carry them)');
  const at = loneSurrogateAt(text);
  if (at >= 0) out.push(`lone surrogate U+${text.charCodeAt(at).toString(16).toUpperCase()} at character ${at} replaced by U+FFFD (it is not valid Unicode and cannot be encoded)`);
  return out;
}

/** The text as it will be passed to osascript: NULs removed, lone surrogates replaced, with what was changed. */
export function cleanText(text: string): { text: string; strippedNul: boolean; replacedSurrogates: boolean } {
  const noNul = text.includes('\0') ? text.replace(/\0/g, '') : text;
  const replacedSurrogates = loneSurrogateAt(noNul) >= 0;
  return { text: replacedSurrogates ? noNul.replace(LONE_SURROGATE, '\uFFFD') : noNul, strippedNul: noNul !== text, replacedSurrogates };
}

/** Why `text` can't be sent, or null. Lone surrogates and NULs are not refused: see textWarnings. */
export function textProblem(text: string): SendProblem | null {
  const clean = cleanText(text).text;
  if (clean.trim() === '') {
    return { code: 'empty_text', message: text === '' ? 'the text is empty' : 'the text holds nothing to send (only spaces, or characters that cannot be sent)', advice: 'Give some text, or send a file instead.' };
  }
  const bytes = Buffer.byteLength(clean, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    return { code: 'text_too_long', message: `the text is ${bytes} bytes; at most ${MAX_TEXT_BYTES} bytes (1 MiB) are sent as messages`, advice: 'Split it into several messages, or send it as a file (--file, or the API\'s file upload).' };
  }
  return null;
}

/**
 * `text` cut into parts of at most `maxBytes` UTF-8 bytes (SEND_PART_BYTES by
 * default), each sent as its own message. Cuts prefer a paragraph break, then
 * a line break, then a space, in the last quarter of a part; never inside a
 * surrogate pair. Nothing is lost or added: the parts join back to the text.
 */
export function splitText(text: string, maxBytes = SEND_PART_BYTES): string[] {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    // The longest prefix (in code points) that fits.
    let end = 0;
    let bytes = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch, 'utf8');
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += ch.length;
    }
    const window = rest.slice(0, end);
    const floor = Math.floor(end * 0.75);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const i = window.lastIndexOf(sep);
      if (i >= floor) { cut = i + sep.length; break; }
    }
    if (cut <= 0) cut = end;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
