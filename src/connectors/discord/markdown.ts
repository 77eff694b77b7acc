// iMessage text is plain text: in Discord it must read as typed, so every
// character Discord's Markdown would act on is escaped. discord.js's
// escapeMarkdown is not enough: it leaves `>` quotes, `-#` subtext, `#`
// headings, lists and masked links alone by default, and escapes inside URLs
// (a `\_` breaks the link). Links are left as they are; Discord parses them
// before any formatting.
import { linkPieces } from '../../core/presentation/index.ts';

/** Characters that start or end inline formatting, links, mentions and emoji. */
const INLINE = /[\\*~|`[\]<]/g;
/** `_` only formats at a word's edge: `IMG_0101` stays as typed, `_this_` is escaped. */
const UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** Block syntax that only counts at the start of a line. */
const LINE_START = /^([ \t]*)(>|#{1,3}(?=[ \t])|-#(?=[ \t])|[-+](?=[ \t])|\d+(?=\.[ \t]))/gm;

export function escapeDiscordMarkdown(text: string): string {
  const escaped = linkPieces(text).map((p) => (p.link ? p.text : p.text.replace(INLINE, '\\$&').replace(UNDERSCORE, '\\_'))).join('');
  // `1. item` → `1\. item`; the others get a backslash in front.
  return escaped.replace(LINE_START, (_m, lead: string, mark: string) => (/^\d/.test(mark) ? `${lead}${mark}\\` : `${lead}\\${mark}`));
}
