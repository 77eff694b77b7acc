// Long texts cut to a network's size limit. Cuts fall on grapheme clusters
// (Intl.Segmenter), so a flag, a family emoji or a letter with its accents is
// never split across two messages; a line break, then a space, is preferred
// when one is in the second half of the piece.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Split `text` into pieces of at most `limit` UTF-16 units, losing nothing but the break a cut falls on. */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = cutAt(rest, limit);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Where to cut `s` (longer than `limit`): a break in the second half, else the last grapheme end that fits. */
function cutAt(s: string, limit: number): number {
  let lastFit = 0;
  let lastLine = -1;
  let lastSpace = -1;
  for (const { segment, index } of graphemes.segment(s)) {
    const end = index + segment.length;
    if (end > limit) break;
    lastFit = end;
    if (segment === '\n') lastLine = index;
    else if (segment === ' ') lastSpace = index;
  }
  if (lastLine >= limit / 2) return lastLine;
  if (lastSpace >= limit / 2) return lastSpace;
  // One grapheme longer than the limit (absurd, but possible): cut it on a code point.
  if (lastFit === 0) return [...s.slice(0, limit)].slice(0, -1).join('').length || limit;
  return lastFit;
}
