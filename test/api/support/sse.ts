// A minimal SSE client for tests: records events (with their `id:` line, the
// resume point) and the last id seen, like a browser's EventSource.
import { request } from 'node:http';
import { bearer } from './harness.ts';

export interface SseEvent { id: string | null; event: string; data: { id: number | null; key: string; message: { rowid: number; text: string } } }

export function sse(url: string, token: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  let buf = '';
  let status = 0;
  const req = request(url, { headers: { ...bearer(token), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: Record<string, string> = {};
        for (const line of frame.split('\n')) { const m = /^(\w+): ?(.*)$/.exec(line); if (m) f[m[1]!] = m[2]!; }
        if (f.data) events.push({ id: f.id ?? null, event: f.event ?? 'message', data: JSON.parse(f.data) });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, status: () => status, lastId: () => [...events].reverse().find((e) => e.id !== null)?.id, close: () => req.destroy() };
}
