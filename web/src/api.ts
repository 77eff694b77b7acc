// Talks to the gateway with the token in the Authorization header only —
// never in a URL — which is also why live events use fetch() streaming
// instead of EventSource (it cannot send headers).
import type { ChatJson, FateFrameJson, LiveEventJson, MessageJson, Receipt, SearchHit } from './types';
import { parseSse } from './sse';

export class AuthError extends Error {}

export class Api {
  constructor(private readonly token: string, private readonly base = '') {}

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    const r = await fetch(`${this.base}${path}`, { ...init, headers });
    if (r.status === 401 || r.status === 403) throw new AuthError('The token was refused. Create a new one with `imessage-bridge token new`.');
    return r;
  }

  private async req<T>(path: string, init: RequestInit = {}): Promise<T> {
    const r = await this.fetch(path, init);
    const body = await r.json().catch(() => ({}));
    if (!r.ok) {
      const e = (body as { error?: { message?: string; advice?: string } }).error;
      throw new Error([e?.message ?? `HTTP ${r.status}`, e?.advice].filter(Boolean).join(' '));
    }
    return body as T;
  }

  async chats(): Promise<ChatJson[]> {
    const all: ChatJson[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
      const page: { chats: ChatJson[]; next_cursor: string | null } = await this.req(`/v1/chats?${q}`);
      all.push(...page.chats);
      cursor = page.next_cursor;
    } while (cursor && all.length < 2000);
    return all;
  }

  /** Oldest first. `before`: a ROWID, to page back. */
  async messages(chat: string, before?: number): Promise<MessageJson[]> {
    const q = new URLSearchParams({ limit: '100', ...(before ? { before: String(before) } : {}) });
    const page: { messages: MessageJson[] } = await this.req(`/v1/chats/${encodeURIComponent(chat)}/messages?${q}`);
    return page.messages.slice().sort((a, b) => a.rowid - b.rowid);
  }

  send(chat: string, text: string, file?: File): Promise<Receipt> {
    if (file) {
      const form = new FormData();
      form.set('chat', chat);
      if (text) form.set('text', text);
      form.set('file', file, file.name);
      return this.req('/v1/send', { method: 'POST', body: form });
    }
    return this.req('/v1/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat, text }) });
  }

  outbox(id: string): Promise<Receipt> {
    return this.req(`/v1/outbox/${encodeURIComponent(id)}`);
  }

  async search(q: string): Promise<SearchHit[]> {
    // The API's hits are {snippet, message, chat}; the UI keeps its flat shape.
    const r: { results: { snippet: string; message: MessageJson; chat: ChatJson }[] } = await this.req(`/v1/search?${new URLSearchParams({ q, limit: '50' })}`);
    return r.results.map((h) => ({ rowid: h.message.rowid, guid: h.message.guid, date: h.message.date, sender: h.message.sender, snippet: h.snippet, chat: h.chat }));
  }

  /** An object URL for the file (the token can't ride along on <img src>). */
  async attachmentUrl(guid: string, part: number): Promise<string> {
    const r = await this.fetch(`/v1/attachments/${encodeURIComponent(guid)}/${part}`);
    if (!r.ok) throw new Error(`attachment ${r.status}`);
    return URL.createObjectURL(await r.blob());
  }

  /**
   * Live events until `signal` aborts. Reconnects with Last-Event-ID (echoed
   * unchanged: `<rowid>` or `<rowid>:<seq>`), so a dropped connection loses
   * neither new messages nor edits, unsends and status changes; replays may
   * repeat events (dedupe by key). `fate` frames (this token's own sends)
   * go to `onFate`; they are live only, not replayed.
   */
  async stream(onEvent: (ev: LiveEventJson) => void, onState: (connected: boolean) => void, signal: AbortSignal, onFate: (f: FateFrameJson) => void = () => undefined): Promise<void> {
    let lastId: string | null = null;
    while (!signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) };
        const r = await this.fetch('/v1/events', { headers, signal });
        if (!r.ok || !r.body) throw new Error(`events ${r.status}`);
        onState(true);
        for await (const frame of parseSse(r.body)) {
          if (frame.id) lastId = frame.id;
          try {
            if (frame.event === 'fate') onFate(JSON.parse(frame.data) as FateFrameJson);
            else onEvent(JSON.parse(frame.data) as LiveEventJson);
          } catch { /* a malformed frame is skipped, not fatal */ }
        }
      } catch (err) {
        if (err instanceof AuthError || signal.aborted) { onState(false); return; }
      }
      onState(false);
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}
