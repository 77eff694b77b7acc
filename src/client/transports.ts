// The two ways to receive live events, each one connection long; LiveStream
// (live.ts) reconnects and resumes. SSE runs anywhere fetch streams (the
// browser included); WebSocket needs a constructor that can send headers
// (Node's `ws`), because browsers' WebSocket cannot carry a token.
import { BridgeApiError } from './errors.js';
import type { Connect } from './live.js';
import { parseSse } from './sse.js';
import type { FateFrame, LiveEvent } from './types.js';

export interface Transport {
  baseUrl: string;
  headers: () => Record<string, string>;
  fetch: typeof fetch;
}

/** GET /v1/events, resuming with Last-Event-ID. */
export function sseConnect(t: Transport, idleMs: number): Connect {
  return async (from, stop, deliver, opened) => {
    // One controller per connection: the idle timer aborts this one only.
    const conn = new AbortController();
    const onStop = (): void => conn.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const alive = (): void => { clearTimeout(idle); idle = setTimeout(() => conn.abort(), idleMs); };
    try {
      alive();
      const res = await t.fetch(`${t.baseUrl}/v1/events`, {
        headers: { ...t.headers(), accept: 'text/event-stream', ...(from ? { 'last-event-id': from } : {}) },
        signal: conn.signal,
      });
      if (!res.ok || !res.body) throw await BridgeApiError.from(res);
      let announced = false;
      for await (const frame of parseSse(res.body, alive)) {
        if (!announced) { announced = true; opened(frame.retry); }
        if (!frame.data) continue;
        if (frame.event === 'fate') deliver({ fate: JSON.parse(frame.data) as FateFrame });
        else deliver({ event: JSON.parse(frame.data) as LiveEvent, position: frame.id });
      }
    } catch (err) {
      // An abort (idle, or close()) and a dropped connection are reconnects, not failures.
      if (err instanceof BridgeApiError) throw err;
    } finally {
      clearTimeout(idle);
      stop.removeEventListener('abort', onStop);
    }
  };
}

/** The little of the WebSocket interface this uses: `ws` and the WHATWG one both have it. */
export interface WebSocketLike {
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (ev: { message?: string }) => void): void;
  close(code?: number, reason?: string): void;
}
/** Opens a socket with these request headers (the token rides in Authorization). */
export type WebSocketFactory = (url: string, headers: Record<string, string>) => WebSocketLike;

/** Node: the `ws` package (imported only when a WebSocket stream is asked for). */
export async function defaultWebSocket(): Promise<WebSocketFactory> {
  const name = 'ws';
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { WebSocket: new (url: string, opts: { headers: Record<string, string> }) => WebSocketLike };
    return (url, headers) => new mod.WebSocket(url, { headers });
  } catch {
    throw new Error('WebSocket streams need the `ws` package (npm install ws) or a webSocket option; in a browser use events() (SSE): browsers cannot send the token on a WebSocket.');
  }
}

// Close codes the server uses for "your request is wrong": reconnecting the same way cannot help.
const FATAL_CLOSE = new Set([1008]);

/** GET /v1/ws, resuming with ?last_event_id= (the only thing ever put in the query; the token never is). */
export function wsConnect(t: Transport, factory: () => Promise<WebSocketFactory>): Connect {
  return async (from, stop, deliver, opened) => {
    const make = await factory();
    const url = `${t.baseUrl.replace(/^http/, 'ws')}/v1/ws${from ? `?last_event_id=${encodeURIComponent(from)}` : ''}`;
    await new Promise<void>((resolve, reject) => {
      const socket = make(url, t.headers());
      let lastError = '';
      const onStop = (): void => socket.close(1000, 'client closed');
      stop.addEventListener('abort', onStop, { once: true });
      socket.addEventListener('open', () => opened());
      socket.addEventListener('error', (ev) => { lastError = ev.message ?? ''; });
      socket.addEventListener('message', (ev) => {
        try {
          const msg = JSON.parse(String(ev.data)) as LiveEvent | (FateFrame & { type: 'fate' });
          if (msg.type === 'fate') {
            const { type: _type, ...fate } = msg;
            deliver({ fate });
          } else {
            deliver({ event: msg, position: msg.last_event_id ?? null });
          }
        } catch { /* not JSON: not ours to act on */ }
      });
      socket.addEventListener('close', (ev) => {
        stop.removeEventListener('abort', onStop);
        // `ws` reports a refused upgrade as "Unexpected server response: 401".
        const refused = /Unexpected server response: (\d{3})/.exec(lastError);
        if (refused) { reject(new BridgeApiError(Number(refused[1]), `http_${Number(refused[1])}`, `The WebSocket upgrade was refused (HTTP ${refused[1]}).`)); return; }
        if (FATAL_CLOSE.has(ev.code)) { reject(new BridgeApiError(400, 'bad_request', `The server closed the stream: ${ev.reason || `code ${ev.code}`}.`)); return; }
        resolve();
      });
    });
  };
}
