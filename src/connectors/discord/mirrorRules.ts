// Which chats are mirrored: those listed in `mirrors`, and new chats matching
// `auto_mirror` (`all`, or patterns on guid, handle or name). Patterns are
// globs (`*`, `?`) or /regex/ literals.
import type { Chat } from '../../imessage/model.ts';

export interface MirrorConfig { auto_mirror: 'none' | 'all' | string[]; mirrors: string[] }

export function patternMatches(pattern: string, value: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (re) {
    try { return new RegExp(re[1] ?? '', re[2]).test(value); } catch { return false; }
  }
  const glob = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${glob}$`, 'i').test(value);
}

/** The handle inside a 1:1 guid (`iMessage;-;+1555…` → `+1555…`). */
export const handleOfGuid = (guid: string): string => guid.split(';').pop() ?? guid;

export function listedOrMatching(cfg: MirrorConfig, values: string[]): boolean {
  if (cfg.mirrors.some((m) => values.includes(m))) return true;
  if (cfg.auto_mirror === 'all') return true;
  if (cfg.auto_mirror === 'none') return false;
  return cfg.auto_mirror.some((p) => values.some((v) => patternMatches(p, v)));
}

export function shouldMirror(cfg: MirrorConfig, chat: Chat, title: string): boolean {
  return listedOrMatching(cfg, [chat.guid, chat.identifier, title, ...chat.participants].filter(Boolean));
}

/** Before the chat is known (wants() only has a guid): could it be mirrored? */
export function mightMirror(cfg: MirrorConfig, guid: string): boolean {
  if (listedOrMatching(cfg, [guid, handleOfGuid(guid)])) return true;
  // Name patterns can only be checked with the chat in hand, at delivery.
  return Array.isArray(cfg.auto_mirror) && cfg.auto_mirror.length > 0;
}
