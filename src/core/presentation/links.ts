// What counts as a link in iMessage text: made clickable in Matrix HTML, and
// left unescaped in Discord Markdown (an escaped `_` would break the URL).
export const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'}]/gi;

/** The text in order, as plain and link pieces. */
export function linkPieces(text: string): Array<{ link: boolean; text: string }> {
  const out: Array<{ link: boolean; text: string }> = [];
  let last = 0;
  for (const m of text.matchAll(new RegExp(URL_RE.source, 'gi'))) {
    const at = m.index ?? 0;
    if (at > last) out.push({ link: false, text: text.slice(last, at) });
    out.push({ link: true, text: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ link: false, text: text.slice(last) });
  return out;
}

export const hasLink = (text: string): boolean => new RegExp(URL_RE.source, 'i').test(text);
