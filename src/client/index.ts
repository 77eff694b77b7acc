// imessage-bridge/client: a typed client for the gateway's HTTP API, for
// Node 20+ and browsers. Its types come from the API's OpenAPI document
// (openapi.gen.ts, checked against the served document by a test); live
// events resume by themselves after a disconnect, over SSE or WebSocket.
//
//   const api = new BridgeClient({ baseUrl: 'http://127.0.0.1:8787', token });
//   for await (const chat of api.chats()) console.log(chat.name ?? chat.guid);
//
// Relative imports end in .js: browsers' bundlers compile this folder too.
import { BridgeApiError } from './errors.js';
import { LiveStream, type LiveOptions } from './live.js';
import { defaultWebSocket, sseConnect, wsConnect, type WebSocketFactory } from './transports.js';
import type {
  Chat, ChatPage, ListChatsQuery, ListMessagesQuery, ListScheduledQuery, Message, MessagePage,
  OutboxItem, ScheduledList, SearchHit, SearchPage, SearchQuery, SendBody, SendQuery,
} from './types.js';

export { BridgeApiError } from './errors.js';
export { LiveStream, type LiveOptions } from './live.js';
export type { WebSocketFactory, WebSocketLike } from './transports.js';
export type * from './types.js';
export type { components, operations, paths } from './openapi.gen.js';

export interface ClientOptions {
  /** Where the gateway listens, e.g. http://127.0.0.1:8787 (default: this page's origin, in a browser). */
  baseUrl?: string;
  /** An API token (`imessage-bridge token new --scope read[,send]`). Sent only in the Authorization header. */
  token: string;
  /** A fetch of your own (tests, proxies); default: the global one. */
  fetch?: typeof fetch;
  /** How to open a WebSocket with headers; default in Node: the `ws` package. */
  webSocket?: WebSocketFactory;
}

/** A file to send: a Blob (or File) and the name the recipient sees. */
export interface SendFile { data: Blob; name: string }

const q = (params: Record<string, string | number | boolean | undefined> | undefined): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};
const seg = encodeURIComponent;

export class BridgeClient {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly doFetch: typeof fetch;
  private readonly webSocket: (() => Promise<WebSocketFactory>);

  constructor(opts: ClientOptions) {
    this.baseUrl = (opts.baseUrl ?? (globalThis as { location?: { origin: string } }).location?.origin ?? '').replace(/\/+$/, '');
    this.token = opts.token;
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
    const ws = opts.webSocket;
    this.webSocket = ws ? async () => ws : defaultWebSocket;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** A raw authenticated request (an attachment, /metrics); throws BridgeApiError when not 2xx. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    const res = await this.doFetch(`${this.baseUrl}${path}`, { ...init, headers });
    if (!res.ok) throw await BridgeApiError.from(res);
    return res;
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  // ---- reading

  health(): Promise<{ ok: true }> {
    return this.json('/healthz');
  }

  /** Newest activity first; follow next_cursor for more. */
  listChats(query?: ListChatsQuery): Promise<ChatPage> {
    return this.json(`/v1/chats${q(query)}`);
  }

  /** One page of a chat (oldest first within the page); without a cursor, the newest page. next_cursor pages to older ones. */
  listMessages(chat: string, query?: ListMessagesQuery): Promise<MessagePage> {
    return this.json(`/v1/chats/${seg(chat)}/messages${q(query)}`);
  }

  async getMessage(guid: string): Promise<Message> {
    return (await this.json<{ message: Message }>(`/v1/messages/${seg(guid)}`)).message;
  }

  /** Newest first; follow next_cursor for older hits. */
  search(query: SearchQuery): Promise<SearchPage> {
    return this.json(`/v1/search${q(query)}`);
  }

  /** Every chat, page after page. */
  async *chats(pageSize = 200): AsyncGenerator<Chat> {
    yield* this.pages((cursor) => this.listChats({ limit: pageSize, cursor }), (p) => p.chats);
  }

  /** A chat's messages from the newest back, page after page (stop when you have enough). */
  async *messages(chat: string, pageSize = 100): AsyncGenerator<Message> {
    yield* this.pages((cursor) => this.listMessages(chat, { limit: pageSize, cursor }), (p) => p.messages.slice().reverse());
  }

  /** Every hit, newest first, page after page. */
  async *searchAll(query: Omit<SearchQuery, 'cursor' | 'before'>): AsyncGenerator<SearchHit> {
    yield* this.pages((cursor) => this.search({ ...query, cursor }), (p) => p.results);
  }

  private async *pages<P extends { next_cursor: string | null }, T>(get: (cursor: string | undefined) => Promise<P>, items: (p: P) => T[]): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const page = await get(cursor);
      yield* items(page);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** An attachment's file (`message.attachments[i].url`, or a message guid and part). */
  attachment(urlOrGuid: string, part?: number): Promise<Response> {
    return this.fetch(part === undefined ? urlOrGuid : `/v1/attachments/${seg(urlOrGuid)}/${part}`);
  }

  // ---- sending

  /**
   * Through the outbox: 202 with the fate so far, or with `wait` the final one.
   * `send_at` schedules it instead (text only). A file goes as multipart.
   */
  send(body: SendBody, opts: { wait?: boolean; timeoutMs?: number; file?: SendFile } = {}): Promise<OutboxItem> {
    const query: SendQuery = { ...(opts.wait ? { wait: 'true' as const } : {}), ...(opts.timeoutMs ? { timeout_ms: opts.timeoutMs } : {}) };
    if (opts.file) {
      const form = new FormData();
      for (const [k, v] of Object.entries(body)) if (v !== undefined) form.set(k, String(v));
      form.set('file', opts.file.data, opts.file.name);
      return this.json(`/v1/send${q(query)}`, { method: 'POST', body: form });
    }
    return this.json(`/v1/send${q(query)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** A send's current fate (this token's own sends only). */
  outbox(id: string): Promise<OutboxItem> {
    return this.json(`/v1/outbox/${seg(id)}`);
  }

  listScheduled(query?: ListScheduledQuery): Promise<ScheduledList> {
    return this.json(`/v1/scheduled${q(query)}`);
  }

  cancelScheduled(id: string): Promise<OutboxItem> {
    return this.json(`/v1/scheduled/${seg(id)}`, { method: 'DELETE' });
  }

  // ---- live

  /** Live events over SSE, resumed after any disconnect; iterate it, `close()` or abort `signal` to stop. */
  events(opts: LiveOptions = {}): LiveStream {
    return new LiveStream(sseConnect(this.transport(), opts.idleMs ?? 45_000), opts);
  }

  /** The same over WebSocket (Node: needs the `ws` package, or the webSocket option). */
  websocket(opts: LiveOptions = {}): LiveStream {
    return new LiveStream(wsConnect(this.transport(), this.webSocket), opts);
  }

  private transport() {
    return { baseUrl: this.baseUrl, headers: () => this.headers(), fetch: this.doFetch };
  }
}
