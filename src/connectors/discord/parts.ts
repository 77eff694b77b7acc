// Discord's part ids: which Discord message of an iMessage a map row is. An
// iMessage becomes one or more posts (its text split to Discord's limit, files
// riding on the last text post, ten at a time), a post whose files Discord
// refused becomes extra messages, a failure shows as a notice; and each
// attachment is carried by one of those posts. A tapback or reply that targets
// iMessage part k looks for the post carrying k, else the first post.
//
// Stored in `message_map.part` as: post 0 → 0, post i → 1000+i, extra n of
// post i → 2000+100i+n, notice → -1, carrier of iMessage part k → 3000+k.
// Before this, carriers were stored as k itself (1–999, never 0); those rows
// still decode, and lookups try that form too, so no migration is needed.
import type { PartCodec } from '../../core/kit/index.ts';

export type DiscordPart =
  | { kind: 'post'; index: number }
  | { kind: 'extra'; post: number; n: number }
  | { kind: 'notice' }
  | { kind: 'carrier'; imessagePart: number };

export const post = (index: number): DiscordPart => ({ kind: 'post', index });
export const FIRST_POST: DiscordPart = post(0);
export const NOTICE: DiscordPart = { kind: 'notice' };
export const extra = (postIndex: number, n: number): DiscordPart => ({ kind: 'extra', post: postIndex, n });
/** The post that carries iMessage part `imessagePart` (an attachment). */
export const carrier = (imessagePart: number): DiscordPart => ({ kind: 'carrier', imessagePart });

const POSTS = 1000;
const EXTRAS = 2000;
const CARRIERS = 3000;

export class DiscordPartError extends Error {
  override readonly name = 'DiscordPartError';
  constructor(stored: number) { super(`message_map part ${stored} is not one the Discord connector writes`); }
}

export const discordParts: PartCodec<DiscordPart> = {
  encode(p) {
    switch (p.kind) {
      case 'post': return p.index === 0 ? 0 : POSTS + p.index;
      case 'extra': return EXTRAS + p.post * 100 + p.n;
      case 'notice': return -1;
      case 'carrier': return CARRIERS + p.imessagePart;
    }
  },
  decode(n) {
    if (!Number.isInteger(n) || n < -1) throw new DiscordPartError(n);
    if (n === -1) return NOTICE;
    if (n === 0) return FIRST_POST;
    if (n > 0 && n < POSTS) return carrier(n); // written before typed parts
    if (n < EXTRAS) return post(n - POSTS);
    if (n < CARRIERS) return extra(Math.floor((n - EXTRAS) / 100), (n - EXTRAS) % 100);
    return carrier(n - CARRIERS);
  },
  older(p) {
    return p.kind === 'carrier' && p.imessagePart > 0 && p.imessagePart < POSTS ? [p.imessagePart] : [];
  },
};

/** Rows that are Discord messages of their own (not a carrier alias of one). */
export const isOwnMessage = (p: DiscordPart): boolean => p.kind === 'post' || p.kind === 'extra';
export const isFirstPost = (p: DiscordPart): boolean => p.kind === 'post' && p.index === 0;
