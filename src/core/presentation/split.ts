// Long texts cut to a network's size limit. Cuts fall on grapheme clusters
// (Intl.Segmenter), so a flag, a family emoji or a letter with its accents is
// never split across two messages; a line break, then a space, is preferred
// when one is in the second half of the piece.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const isAscii = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) < 0x80;
/** Between two ASCII characters other than CR LF there is always a grapheme boundary (UAX #29). */
const asciiBreak = (s: string, i: number): boolean => isAscii(s, i - 1) && isAscii(s, i) && !(s[i - 1] === '\r' && s[i] === '\n');

/**
 * The grapheme clusters of `s` with their offsets. Intl.Segmenter is slow (tens
 * of µs a grapheme on a busy machine), so plain ASCII is stepped through
 * directly and only the stretches around anything else go to the segmenter.
 */
function* segments(s: string): Generator<{ segment: string; index: number }> {
  let i = 0;
  while (i < s.length) {
    if (isAscii(s, i) && (i + 1 === s.length || asciiBreak(s, i + 1))) {
      yield { segment: s[i] as string, index: i };
      i++;
      continue;
    }
    let j = i + 1;
    while (j < s.length && !asciiBreak(s, j)) j++;
    for (const { segment, index } of graphemes.segment(s.slice(i, j))) yield { segment, index: i + index };
    i = j;
  }
}

/** What one grapheme costs against the limit: UTF-16 units by default; a network counting bytes passes its own. */
export type GraphemeCost = (grapheme: string) => number;
const utf16Units: GraphemeCost = (g) => g.length;

/**
 * Split `text` into pieces costing at most `limit` (UTF-16 units unless `cost`
 * says otherwise), losing nothing but the break a cut falls on.
 */
export function splitText(text: string, limit: number, cost: GraphemeCost = utf16Units): string[] {
  if (text.length <= limit && cost === utf16Units) return [text];
  const parts: string[] = [];
  let rest = text;
  for (;;) {
    const cut = cutAt(rest, limit, cost);
    if (cut === null) break;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Where to cut `s`, or null when it fits. Intl.Segmenter gets slower the
 * longer its input, so it sees a window just past the limit, widened only when
 * the window ran out before the limit did (cheap graphemes).
 */
function cutAt(s: string, limit: number, cost: GraphemeCost): number | null {
  for (let window = Math.min(s.length, limit + 64); ; window = Math.min(s.length, window * 2)) {
    const cut = cutInWindow(s.slice(0, window), limit, cost, window === s.length);
    if (cut !== undefined) return cut;
  }
}

/**
 * A break in the second half, else the last grapheme end that fits; null if
 * the whole of a complete `s` fits; undefined if a partial window fits (its
 * last grapheme may be cut short, so it says nothing yet).
 */
function cutInWindow(s: string, limit: number, cost: GraphemeCost, complete: boolean): number | null | undefined {
  let used = 0;
  let lastFit = 0;
  let lastLine = -1;
  let lastSpace = -1;
  let over = false;
  for (const { segment, index } of segments(s)) {
    used += cost(segment);
    if (used > limit) { over = true; break; }
    lastFit = index + segment.length;
    // A break counts when what comes before it fills at least half the piece.
    if (segment === '\n' && used > limit / 2) lastLine = index;
    else if (segment === ' ' && used > limit / 2) lastSpace = index;
  }
  if (!over) return complete ? null : undefined;
  if (lastLine > 0) return lastLine;
  if (lastSpace > 0) return lastSpace;
  // One grapheme costlier than the limit (absurd, but possible): cut it on a code point.
  if (lastFit === 0) return codePointsThatFit(s, limit, cost);
  return lastFit;
}

/** The end of the code points of `s` that fit in `limit` (at least one, so the split always moves on). */
function codePointsThatFit(s: string, limit: number, cost: GraphemeCost): number {
  let used = 0;
  let end = 0;
  for (const cp of s) {
    used += cost(cp);
    if (used > limit && end > 0) break;
    end += cp.length;
  }
  return end;
}
