// The one mirror policy: does this chat belong in this connector? Decided with
// the full Chat, so there is no "maybe": an entry that doesn't match the chat
// never mirrors it (and so never lets anyone send into it).
//
// An entry (in `mirrors` or an `auto_mirror` list; both mean the same) is:
//   - `/regex/flags`: tested against the guid, chat identifier, group name,
//     contact name and (1:1) canonical handle;
//   - a glob with `*` or `?`: the same, whole string, case-insensitive;
//   - otherwise a chat guid or handle in any form (`SMS;-;+44…`,
//     `any;-;+44…`, `+44 7700 900123`, `Bob@Example.com`), compared by chat
//     identity, or a display name (group name or contact name), case-insensitive.
// `auto_mirror: all` mirrors everything; the default is nothing.
import type { Chat } from '../../imessage/model.ts';
import { chatKey, handleKey } from './chatIdentity.ts';

export interface MirrorRules {
  mirrors: readonly string[];
  auto_mirror: 'none' | 'all' | readonly string[];
}

export const NO_MIRRORS: MirrorRules = { mirrors: [], auto_mirror: 'none' };

export interface PolicyOptions {
  /** Contact name for a handle, so `Jane Appleseed` can name her chat. */
  nameOf?: (handle: string) => string;
  /** Region for national phone numbers (`imessage.default_region`). */
  region?: string;
}

type Matcher = (facts: ChatFacts) => boolean;
interface ChatFacts { keys: Set<string>; texts: string[]; names: Set<string> }

/** A `/regex/flags` literal, or null when `entry` isn't one. A bad regex is an error (config check reports it). */
export function regexOf(entry: string): RegExp | null {
  const m = /^\/(.+)\/([a-z]*)$/.exec(entry);
  return m ? new RegExp(m[1] ?? '', m[2]) : null;
}

const isGlob = (entry: string): boolean => /[*?]/.test(entry);

function globRegex(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function matcherFor(entry: string, region: string): Matcher {
  let re: RegExp | null = null;
  try { re = regexOf(entry); } catch { return () => false; }
  if (!re && isGlob(entry)) re = globRegex(entry);
  if (re) {
    const r = re;
    return (f) => f.texts.some((t) => { r.lastIndex = 0; return r.test(t); });
  }
  const key = chatKey(entry, region);
  const name = entry.trim().toLowerCase();
  return (f) => f.keys.has(key) || f.names.has(name);
}

export class MirrorPolicy {
  private readonly all: boolean;
  private readonly matchers: Matcher[];
  private readonly region: string;

  constructor(rules: MirrorRules, private readonly o: PolicyOptions = {}) {
    this.region = o.region ?? 'US';
    this.all = rules.auto_mirror === 'all';
    const auto = Array.isArray(rules.auto_mirror) ? rules.auto_mirror : [];
    this.matchers = [...rules.mirrors, ...auto].map((e) => matcherFor(e, this.region));
  }

  mirrors(chat: Chat): boolean {
    if (this.all) return true;
    if (this.matchers.length === 0) return false;
    const f = this.facts(chat);
    return this.matchers.some((m) => m(f));
  }

  private facts(chat: Chat): ChatFacts {
    const keys = new Set([chatKey(chat.guid, this.region)]);
    const texts = [chat.guid, chat.identifier];
    const names = new Set<string>();
    if (chat.displayName) { texts.push(chat.displayName); names.add(chat.displayName.toLowerCase()); }
    if (chat.isGroup) {
      keys.add(`h:${handleKey(chat.identifier, this.region)}`);
    } else {
      const handle = chat.participants[0] ?? chat.identifier;
      keys.add(chatKey(handle, this.region));
      texts.push(handleKey(handle, this.region));
      const contact = this.o.nameOf?.(handle);
      if (contact && contact !== handle) { texts.push(contact); names.add(contact.toLowerCase()); }
    }
    return { keys, texts, names };
  }
}
