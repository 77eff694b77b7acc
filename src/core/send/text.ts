// Text that argv (and so AppleScript) cannot carry as given. NUL is cut by the
// sender; a lone UTF-16 surrogate (half an emoji, from a bad client or a split
// string) becomes U+FFFD on its way to UTF-8. Either way the recipient reads
// something other than what was written, so the core says so, in one wording
// for every origin (API answers, connector notices, the audit log).
export const NUL_WARNING = 'NUL characters cannot be sent through Messages; they were removed from the text.';
export const SURROGATE_WARNING = 'The text contained broken characters (lone UTF-16 surrogates); each was replaced by \uFFFD.';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** What will change about this text on its way into Messages (empty: nothing). */
export function textWarnings(text: string | undefined): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  if (text.includes('\u0000')) out.push(NUL_WARNING);
  if (hasLoneSurrogate(text)) out.push(SURROGATE_WARNING);
  return out;
}

/** The text as Messages will store it: lone surrogates as U+FFFD (so the confirming row matches it). */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\uFFFD');
