// FTS5's unicode61 tokenizer predates newer emoji and the skin-tone
// modifiers: it takes them for letters, so `summit🧗‍♀️ascent` indexes as one
// token `summit🧗` and `wave👋🏽hello` as `wave` + `🏽hello`. We mark emoji
// runs off with a control character (a separator to unicode61) before
// indexing, and treat them as spaces in queries. The mark is removed again
// from snippets, so users never see it.
// ZWJ and VS16 join or restyle emoji, so they belong to the run (and are
// alternatives, not class members: they are combining characters).
const EMOJI_RUN = /(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}]|\u200d|\ufe0f)+/gu;
export const EMOJI_MARK = '\u0001';

/** Printable ASCII and line breaks hold neither an emoji nor the mark (most messages): indexed as they are. */
const PLAIN = /^[\t\n\r -~]*$/;

/** Text as it is stored in the index: every emoji run is a token of its own. */
export const splitEmojiForIndex = (text: string): string =>
  PLAIN.test(text) ? text : text.split(EMOJI_MARK).join('').replace(EMOJI_RUN, (run) => EMOJI_MARK + run + EMOJI_MARK);

/**
 * Query text: emoji runs are breaks between terms (a quoted phrase becomes
 * one phrase per side; the emoji is its own token in the index, so the two
 * sides are not adjacent there).
 */
export const splitOnEmoji = (text: string): string[] => text.split(EMOJI_RUN);

const HAS_EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}]|\u200d|\ufe0f/u;
export const hasEmoji = (text: string): boolean => HAS_EMOJI.test(text);

/** Removes the index's marks from text read back from it (snippets). */
export const unmark = (text: string): string => text.split(EMOJI_MARK).join('');
