// Chat lookups for the routes, cached: the reader's chat() and chats() scan
// the chat table, and a search page would otherwise do that per hit. Every
// bridge event drops the cache (a new message moves last_message_at, a
// rename or a new member changes the chat, a new chat appears), and entries
// expire after `ttlMs` anyway, for changes that come with no event.
import type { Chat } from '../imessage/model.ts';
import type { Gateway } from './gateway.ts';
import type { MessageReader } from './source.ts';

export class ChatCache {
  private list: { at: number; chats: Chat[] } | null = null;
  private readonly one = new Map<string, { at: number; chat: Chat | null }>();
  private readonly off: () => void;

  constructor(private readonly reader: MessageReader, gateway: Pick<Gateway, 'onEvent'>, private readonly ttlMs = 5_000) {
    this.off = gateway.onEvent(() => this.invalidate());
  }

  invalidate(): void {
    this.list = null;
    this.one.clear();
  }

  /** By guid or handle (as MessageReader.chat), or null. */
  chat(guidOrHandle: string): Chat | null {
    const now = Date.now();
    const hit = this.one.get(guidOrHandle);
    if (hit && now - hit.at < this.ttlMs) return hit.chat;
    if (this.one.size > 10_000) this.one.clear();
    const chat = this.reader.chat(guidOrHandle);
    this.one.set(guidOrHandle, { at: now, chat });
    return chat;
  }

  chats(): Chat[] {
    const now = Date.now();
    if (this.list && now - this.list.at < this.ttlMs) return this.list.chats;
    this.list = { at: now, chats: this.reader.chats() };
    return this.list.chats;
  }

  close(): void {
    this.off();
  }
}
