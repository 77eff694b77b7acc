// The body of a message: attributedBody (typedstream) first, `text` as the
// fallback. A corrupt blob never throws: the row keeps its `text` and gets a
// warning instead.
import { decodeAttributedBodyText } from '../typedstream/index.ts';

export interface Body { rawText: string; text: string; warning: string | null }

const FFFC = '\uFFFC';
const LEADING_PLACEHOLDER = /^[\s\uFFFC]*\uFFFC/;
const TRAILING_PLACEHOLDER = /\uFFFC[\s\uFFFC]*$/;

/** Decode a typedstream blob to its string, or null with the reason. */
export function decodeTypedstreamText(buf: Uint8Array): { text: string } | { error: string } {
  try {
    // Only the text is kept: the runs are checked, not built (the same answer as decodeAttributedBody).
    return { text: decodeAttributedBodyText(buf) };
  } catch (e) {
    // A TypedstreamError (corrupt blob), or anything else the decoder should not have thrown.
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Remove U+FFFC attachment placeholders. Whitespace is trimmed only at an end
 * where a placeholder stood (the newline Messages puts between a photo and its
 * caption); a body without placeholders is returned untouched.
 */
export function stripPlaceholders(raw: string): string {
  const first = raw.indexOf(FFFC);
  if (first === -1) return raw;
  let out = raw.split(FFFC).join('');
  if (LEADING_PLACEHOLDER.test(raw)) out = out.trimStart();
  if (TRAILING_PLACEHOLDER.test(raw)) out = out.trimEnd();
  return out;
}

export function readBody(attributedBody: Uint8Array | null, textColumn: string | null): Body {
  if (attributedBody && attributedBody.length > 0) {
    const d = decodeTypedstreamText(attributedBody);
    if ('text' in d) return { rawText: d.text, text: stripPlaceholders(d.text), warning: null };
    const raw = textColumn ?? '';
    return { rawText: raw, text: stripPlaceholders(raw), warning: `attributedBody could not be decoded (${d.error}); used the text column` };
  }
  const raw = textColumn ?? '';
  return { rawText: raw, text: stripPlaceholders(raw), warning: null };
}
