// Live events as Server-Sent Events and over WebSocket. Both resume from a
// chat.db ROWID: SSE's Last-Event-ID header, or ?last_event_id= (the only
// thing ever accepted in a query string; tokens never are).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { LiveEvent } from '../live/event.ts';

const HEARTBEAT_MS = 15_000;
// A client this far behind is cut off; it resumes from its last id.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function resumePoint(req: FastifyRequest): number | null {
  const header = req.headers['last-event-id'];
  const fromQuery = (req.query as Record<string, string | undefined>).last_event_id;
  const raw = (typeof header === 'string' && header !== '' ? header : fromQuery)?.trim();
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError('bad_request', 'Last-Event-ID must be a message ROWID (a non-negative integer).');
  return Number(raw);
}

// `id:` is the resume point, not necessarily this event's row (that is
// `data.id`): rows can arrive out of ROWID order, and a reconnect must replay
// any still missing. So after a reconnect some events may come again; dedupe
// them by `data.key`.
export const sseFrame = (ev: LiveEvent, resumeFrom: number): string =>
  `${ev.id !== null ? `id: ${resumeFrom}\n` : ''}event: ${ev.type}\ndata: ${JSON.stringify(ev.data)}\n\n`;

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/events', { config: { scope: 'read' } }, async (req, reply) => {
    const from = resumePoint(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n: connected\n\n');
    // Aborted when the client leaves: stops its replay (which may be long) too.
    const gone = new AbortController();
    const close = (): void => {
      if (gone.signal.aborted) return;
      gone.abort();
      clearInterval(beat);
      res.end();
    };
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.raw.on('close', close);
    res.on('close', close);
    res.on('error', close);
    try {
      await ctx.hub.subscribe(from, (ev, resumeFrom) => {
        if (gone.signal.aborted) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) { close(); return; }
        res.write(sseFrame(ev, resumeFrom));
      }, gone.signal);
    } catch (err) {
      ctx.metrics.errors.inc({ code: 'live_replay' });
      ctx.log.error({ err }, 'replaying events for an SSE client failed; closing it (it will reconnect)');
      close();
    }
  });

  app.get('/v1/ws', { websocket: true, config: { scope: 'read' } }, (socket, req) => {
    let from: number | null;
    try {
      from = resumePoint(req);
    } catch (err) {
      socket.close(1008, (err as Error).message.slice(0, 120));
      return;
    }
    const gone = new AbortController();
    socket.on('close', () => gone.abort());
    // `resume_from` is what to pass as ?last_event_id= on reconnect (see sseFrame).
    ctx.hub.subscribe(from, (ev, resumeFrom) => {
      if (gone.signal.aborted) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) { socket.close(1013, 'too far behind; reconnect with last_event_id'); return; }
      socket.send(JSON.stringify(ev.id === null ? ev.data : { ...ev.data, resume_from: resumeFrom }));
    }, gone.signal).catch((err: unknown) => {
      ctx.metrics.errors.inc({ code: 'live_replay' });
      ctx.log.error({ err }, 'replaying events for a WebSocket client failed; closing it');
      socket.close(1011, 'replay failed; reconnect with last_event_id');
    });
  });
}
