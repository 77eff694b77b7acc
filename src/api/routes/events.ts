// Live events as Server-Sent Events and over WebSocket. Both resume from a
// position (live/position.ts: `<rowid>` or `<rowid>:<seq>`): SSE's
// Last-Event-ID header, or ?last_event_id= (the only thing ever accepted in a
// query string; tokens never are). A token that can send also gets `fate`
// frames for its own sends (live only, never replayed: GET /v1/outbox/{id}
// has the current fate), and never for anyone else's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { LiveEvent } from '../live/event.ts';
import { onOwnFates, type FateFrame } from '../live/fates.ts';
import { formatPosition, parsePosition, type Position } from '../live/position.ts';
import { SSE_DESCRIPTION, WS_DESCRIPTION } from '../openapi.ts';
import { ErrorSchema } from '../schemas.ts';

const HEARTBEAT_MS = 15_000;
// A client this far behind is cut off; it resumes from its last id.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function resumePoint(req: FastifyRequest): Position | null {
  const header = req.headers['last-event-id'];
  const fromQuery = (req.query as Record<string, string | undefined>).last_event_id;
  const raw = (typeof header === 'string' && header !== '' ? header : fromQuery)?.trim();
  if (raw === undefined || raw === '') return null;
  return parsePosition(raw);
}

// `id:` is the resume position, not this event's row (that is `data.id`):
// rows can arrive out of ROWID order, and a reconnect must replay any still
// missing. So after a reconnect some events may come again; dedupe them by
// `data.key`. Without the event log (seq null) updates carry no id, as before.
export const sseFrame = (ev: LiveEvent, at: Position): string =>
  `${ev.id !== null || at.seq !== null ? `id: ${formatPosition(at)}\n` : ''}event: ${ev.type}\ndata: ${JSON.stringify(ev.data)}\n\n`;

// No `id:`: a fate moves no resume position.
const fateSseFrame = (f: FateFrame): string => `event: fate\ndata: ${JSON.stringify(f)}\n\n`;

/** The token id whose sends' fates this client sees, or null (a read-only token cannot send). */
const fateOwner = (req: FastifyRequest): string | null => (req.token?.scopes.includes('send') ? req.token.id : null);

const liveQuery = z.object({ last_event_id: z.string().max(100).optional().describe('Resume position (`<rowid>` or `<rowid>:<seq>`); SSE also takes the Last-Event-ID header') });
const liveErrors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 421: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema };

export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/events', {
    config: { scope: 'read' },
    schema: {
      operationId: 'streamEvents', summary: 'Live events as Server-Sent Events, resumable', description: SSE_DESCRIPTION, tags: ['live'], security: [{ bearer: [] }],
      querystring: liveQuery,
      response: { 200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: z.string() } } }, ...liveErrors },
    },
  }, async (req, reply) => {
    const from = resumePoint(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n: connected\n\n');
    // Aborted when the client leaves: stops its replay (which may be long) too.
    const gone = new AbortController();
    const owner = fateOwner(req);
    const offFates = owner === null ? () => undefined : onOwnFates(ctx.gateway, owner, (f) => {
      if (!gone.signal.aborted && res.writableLength <= MAX_BUFFERED_BYTES) res.write(fateSseFrame(f));
    });
    const close = (): void => {
      if (gone.signal.aborted) return;
      gone.abort();
      offFates();
      clearInterval(beat);
      res.end();
    };
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.raw.on('close', close);
    res.on('close', close);
    res.on('error', close);
    try {
      await ctx.hub.subscribe(from, (ev, at) => {
        if (gone.signal.aborted) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) { close(); return; }
        res.write(sseFrame(ev, at));
      }, gone.signal);
    } catch (err) {
      ctx.metrics.errors.inc({ code: 'live_replay' });
      ctx.log.error({ err }, 'replaying events for an SSE client failed; closing it (it will reconnect)');
      close();
    }
  });

  app.get('/v1/ws', {
    websocket: true,
    config: { scope: 'read' },
    schema: {
      operationId: 'streamEventsWebSocket', summary: 'Live events over WebSocket, resumable', description: WS_DESCRIPTION, tags: ['live'], security: [{ bearer: [] }],
      querystring: liveQuery,
      response: { 101: { description: 'Switching protocols; then one Event per message', content: { 'application/json': { schema: z.unknown() } } }, 404: z.undefined().describe('Not a WebSocket upgrade request'), ...liveErrors },
    },
  }, (socket, req) => {
    let from: Position | null;
    try {
      from = resumePoint(req);
    } catch (err) {
      socket.close(1008, (err as Error).message.slice(0, 120));
      return;
    }
    const gone = new AbortController();
    const owner = fateOwner(req);
    const offFates = owner === null ? () => undefined : onOwnFates(ctx.gateway, owner, (f) => {
      if (!gone.signal.aborted && socket.bufferedAmount <= MAX_BUFFERED_BYTES) socket.send(JSON.stringify({ type: 'fate', ...f }));
    });
    socket.on('close', () => { gone.abort(); offFates(); });
    // `last_event_id` is what to pass as ?last_event_id= on reconnect (see
    // sseFrame); `resume_from` is its ROWID part alone (the original field).
    ctx.hub.subscribe(from, (ev, at) => {
      if (gone.signal.aborted) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) { socket.close(1013, 'too far behind; reconnect with last_event_id'); return; }
      const tagged = ev.id !== null || at.seq !== null;
      socket.send(JSON.stringify(tagged ? { ...ev.data, resume_from: at.rowid, last_event_id: formatPosition(at) } : ev.data));
    }, gone.signal).catch((err: unknown) => {
      ctx.metrics.errors.inc({ code: 'live_replay' });
      ctx.log.error({ err }, 'replaying events for a WebSocket client failed; closing it');
      socket.close(1011, 'replay failed; reconnect with last_event_id');
    });
  });
}
