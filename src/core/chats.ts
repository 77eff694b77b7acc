// Chat lookups for events, cached briefly: every event carries its Chat, and a
// burst of messages in one chat should not query chat.db for it each time.
import type { ChatDb } from '../imessage/db/index.ts';
import type { Chat } from '../imessage/model.ts';

const TTL_MS = 30_000;

export class ChatCache {
  private readonly cache = new Map<string, { chat: Chat; at: number }>();

  constructor(private readonly reader: () => ChatDb | null) {}

  get(guidOrHandle: string): Chat | null {
    const hit = this.cache.get(guidOrHandle);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.chat;
    const chat = this.reader()?.chat(guidOrHandle) ?? null;
    if (chat) this.cache.set(guidOrHandle, { chat, at: Date.now() });
    return chat;
  }

  /** A group event renamed or changed members: read it again next time. */
  forget(guid: string): void {
    this.cache.delete(guid);
  }
}
