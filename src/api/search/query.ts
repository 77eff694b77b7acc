// User text → a safe FTS5 MATCH expression. Every term is emitted as a quoted
// string, so no FTS5 operator or stray quote can reach SQLite as syntax:
//   hello world      → "hello" "world"          (all terms)
//   "good morning"   → "good morning"           (phrase)
//   pizz*            → "pizz"*                  (prefix)
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.ts';
import { splitOnEmoji } from './emoji.ts';

const MAX_TERMS = 16;
const MAX_LENGTH = 500;
const WORDISH = /[\p{L}\p{N}]/u;

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export interface ParsedQuery { match: string; terms: string[] }

export function parseSearchQuery(q: string): ParsedQuery {
  if (q.length > MAX_LENGTH) throw new ApiError('bad_query', `The query is longer than ${MAX_LENGTH} characters.`);
  const parts: string[] = [];
  const terms: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    if (m[1] !== undefined) {
      for (const piece of splitOnEmoji(m[1])) {
        const phrase = piece.trim().replace(/\s+/g, ' ');
        if (!WORDISH.test(phrase)) continue;
        parts.push(quote(phrase));
        terms.push(phrase);
      }
      continue;
    }
    const pieces = splitOnEmoji(m[2] ?? '');
    pieces.forEach((raw, i) => {
      // Only the last piece keeps a trailing `*` (prefix search).
      const prefix = i === pieces.length - 1 && raw.endsWith('*');
      // Keep letters, digits and inner punctuation; the tokenizer splits the rest.
      const word = raw.replace(/\*+$/, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!WORDISH.test(word)) return;
      parts.push(quote(word) + (prefix ? '*' : ''));
      terms.push(word);
    });
  }
  if (parts.length === 0) throw new ApiError('bad_query', 'The query has no words to search for.', 'Search for words, "a phrase" or a prefix like pizz*.');
  if (parts.length > MAX_TERMS) throw new ApiError('bad_query', `At most ${MAX_TERMS} terms per query.`);
  return { match: `text : (${parts.join(' ')})`, terms };
}

/** One opaque FTS token per chat, so filtering by chat uses the index. */
export const chatKey = (chatGuid: string): string => 'k' + createHash('sha256').update(chatGuid).digest('hex').slice(0, 20);

export const withChat = (match: string, chatGuid: string | undefined): string =>
  chatGuid ? `chat_key : ${quote(chatKey(chatGuid))} AND ${match}` : match;
