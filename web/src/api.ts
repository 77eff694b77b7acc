// Talks to the gateway with the token in the Authorization header only —
// never in a URL — which is also why live events use fetch() streaming
// instead of EventSource (it cannot send headers).
import type { ChatJson, Fate, MessageJson } from './types';

export class AuthError extends Error {}

export class Api {
  constructor(private readonly token: string, private readonly base = '') {}

  private async req<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    const r = await fetch(`${this.base}${path}`, { ...init, headers });
    if (r.status === 401 || r.status === 403) throw new AuthError('The token was refused.');
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body as { error?: { message?: string } }).error?.message ?? `HTTP ${r.status}`);
    return body as T;
  }

  async chats(): Promise<ChatJson[]> {
    const all: ChatJson[] = [];
    let cursor: string | null = null;
    do {
      const page: { chats?: ChatJson[]; items?: ChatJson[]; next_cursor?: string | null } =
        await this.req(`/v1/chats?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...(page.chats ?? page.items ?? []));
      cursor = page.next_cursor ?? null;
    } while (cursor && all.length < 2000);
    return all;
  }

  async messages(chat: string, before?: number): Promise<MessageJson[]> {
    const q = new URLSearchParams({ limit: '100', ...(before ? { before: String(before) } : {}) });
    const page: { messages?: MessageJson[]; items?: MessageJson[] } = await this.req(`/v1/chats/${encodeURIComponent(chat)}/messages?${q}`);
    return (page.messages ?? page.items ?? []).slice().sort((a, b) => a.rowid - b.rowid);
  }

  async send(chat: string, text: string, file?: File): Promise<{ id: string }> {
    if (file) {
      const form = new FormData();
      form.set('chat', chat);
      if (text) form.set('text', text);
      form.set('file', file, file.name);
      return this.req('/v1/send', { method: 'POST', body: form });
    }
    return this.req('/v1/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat, text }) });
  }

  async outbox(id: string): Promise<Fate> {
    const r: { fate?: Fate; state?: Fate['state'] } & Partial<Fate> = await this.req(`/v1/outbox/${encodeURIComponent(id)}`);
    return r.fate ?? (r as Fate);
  }

  async search(q: string, chat?: string): Promise<{ message: MessageJson; chat: ChatJson | null; snippet: string }[]> {
    const params = new URLSearchParams({ q, ...(chat ? { chat } : {}) });
    const r: { results?: { message: MessageJson; chat: ChatJson | null; snippet: string }[] } = await this.req(`/v1/search?${params}`);
    return r.results ?? [];
  }

  async attachmentUrl(guid: string, part: number): Promise<string> {
    const r = await fetch(`${this.base}/v1/attachments/${encodeURIComponent(guid)}/${part}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!r.ok) throw new Error(`attachment ${r.status}`);
    return URL.createObjectURL(await r.blob());
  }

  /** Server-Sent Events over fetch; reconnects with Last-Event-ID so nothing is missed. */
  async stream(onEvent: (type: string, data: unknown, id: string | null) => void, signal: AbortSignal, lastId: string | null = null): Promise<void> {
    while (!signal.aborted) {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const r = await fetch(`${this.base}/v1/events`, { headers, signal });
        if (r.status === 401) throw new AuthError('The token was refused.');
        const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            let type = 'message';
            let id: string | null = null;
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('id:')) id = line.slice(3).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (id) lastId = id;
            if (data.length) {
              try { onEvent(type, JSON.parse(data.join('\n')), id); } catch { /* ignore a malformed frame */ }
            }
          }
        }
      } catch (err) {
        if (err instanceof AuthError || signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
