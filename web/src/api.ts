// Talks to the gateway with the token in the Authorization header only —
// never in a URL — which is also why live events use fetch() streaming
// instead of EventSource (it cannot send headers).
import type { ChatJson, FateFrameJson, LiveEventJson, MessageJson, Receipt, SearchHit } from './types';
import { parseSse } from '../../src/client/sse.ts';

/** 401: the token itself is refused; the only error that signs out. */
export class AuthError extends Error {}
/** 403 for a missing scope: the token is fine, it just can't do this. */
export class ScopeError extends Error {}
/** The bridge did not answer at all (down, tunnel closed, offline). */
export class NetworkError extends Error {
  constructor() { super('The bridge can’t be reached right now. Check that it is running; this page keeps retrying.'); }
}

/** API messages quote commands in `backticks`; people read “quotes”. */
export const humanize = (s: string): string => s.replace(/`([^`]*)`/g, '“$1”');

export interface SearchFilter { chat?: string; from?: string; to?: string }

export class Api {
  constructor(private readonly token: string, private readonly base = '') {}

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    let r: Response;
    try {
      r = await fetch(`${this.base}${path}`, { ...init, headers });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new NetworkError();
    }
    if (r.status === 401) throw new AuthError(humanize('The token was refused. Create a new one with `imessage-bridge token new`.'));
    return r;
  }

  private async req<T>(path: string, init: RequestInit = {}): Promise<T> {
    const r = await this.fetch(path, init);
    const body = await r.json().catch(() => ({}));
    if (!r.ok) {
      const e = (body as { error?: { code?: string; message?: string; advice?: string } }).error;
      const text = humanize([e?.message ?? `The bridge answered with an error (HTTP ${r.status}).`, e?.advice].filter(Boolean).join(' '));
      throw r.status === 403 && e?.code === 'forbidden_scope' ? new ScopeError(text) : new Error(text);
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
  async messages(chat: string, o: { before?: number; limit?: number } = {}): Promise<MessageJson[]> {
    const q = new URLSearchParams({ limit: String(o.limit ?? 100), ...(o.before ? { before: String(o.before) } : {}) });
    const page: { messages: MessageJson[] } = await this.req(`/v1/chats/${encodeURIComponent(chat)}/messages?${q}`);
    return page.messages.slice().sort((a, b) => a.rowid - b.rowid);
  }

  /** To an existing chat (`chat`) or to a handle (`to`: a new conversation). */
  send(target: { chat: string } | { to: string }, text: string, file?: File): Promise<Receipt> {
    if (file) {
      const form = new FormData();
      for (const [k, v] of Object.entries(target)) form.set(k, v);
      if (text) form.set('text', text);
      form.set('file', file, file.name);
      return this.req('/v1/send', { method: 'POST', body: form });
    }
    return this.req('/v1/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...target, text }) });
  }

  /**
   * Whether this token may send, asked without sending anything: the scope
   * is checked before the body, so an empty body answers 403 (read only) or
   * 400 (allowed, body refused).
   */
  async canSend(): Promise<boolean> {
    const r = await this.fetch('/v1/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = await r.json().catch(() => ({})) as { error?: { code?: string } };
    return !(r.status === 403 && body.error?.code === 'forbidden_scope');
  }

  outbox(id: string): Promise<Receipt> {
    return this.req(`/v1/outbox/${encodeURIComponent(id)}`);
  }

  async search(q: string, f: SearchFilter = {}): Promise<SearchHit[]> {
    const params = new URLSearchParams({ q, limit: '50' });
    for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
    // The API's hits are {snippet, message, chat}; the UI keeps its flat shape.
    const r: { results: { snippet: string; message: MessageJson; chat: ChatJson }[] } = await this.req(`/v1/search?${params}`);
    return r.results.map((h) => ({ rowid: h.message.rowid, guid: h.message.guid, date: h.message.date, sender: h.message.sender, snippet: h.snippet, chat: h.chat }));
  }

  /** An object URL for the file (the token can't ride along on <img src>). */
  async attachmentUrl(guid: string, part: number): Promise<{ url: string; type: string }> {
    const r = await this.fetch(`/v1/attachments/${encodeURIComponent(guid)}/${part}`);
    if (!r.ok) throw new Error('This attachment is not on the Mac (not downloaded by Messages yet).');
    const blob = await r.blob();
    return { url: URL.createObjectURL(blob), type: blob.type };
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
