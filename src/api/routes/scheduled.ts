// Scheduled sends (POST /v1/send with send_at): listing, cancelling, and
// their JSON. They are kept by src/core/outbox/scheduled.ts until their time;
// a token sees and cancels only its own, like GET /v1/outbox/{id}.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ScheduledSend } from '../../core/outbox/scheduled.ts';
import type { ApiContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { ApiError } from '../errors.ts';
import { limitParam } from '../params.ts';
import { ErrorSchema, OutboxItemSchema, ScheduledListSchema, type OutboxItemOut } from '../schemas.ts';
import { errorResponses } from './read.ts';

/** How far ahead a send may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600_000;

/** send_at → epoch ms, or a 400 that says what is wrong with it. */
export function checkSendAt(sendAt: string, hasFile: boolean): number {
  if (hasFile) throw new ApiError('invalid_body', 'send_at: scheduled sends carry text only.', 'Send the file now, or schedule a text with a link to it.');
  const at = Date.parse(sendAt);
  const now = Date.now();
  if (at <= now) throw new ApiError('invalid_body', 'send_at: the time is in the past.', 'Omit send_at to send now, or give a future time with its offset, e.g. 2030-01-01T09:00:00Z.');
  if (at - now > MAX_SCHEDULE_AHEAD_MS) throw new ApiError('invalid_body', 'send_at: at most a year ahead.');
  return at;
}

export function ownScheduled(ctx: ApiContext, id: string, tokenId: string): ScheduledSend {
  const s = ctx.scheduled.get(id);
  // Someone else's is as unknown as a typo.
  if (!s || s.from.connector !== 'api' || s.from.userId !== tokenId) throw new ApiError('unknown_send', `No send with id ${JSON.stringify(id)}.`);
  return s;
}

/** Waiting: `scheduled`; handed over: the outbox's fate of it; or cancelled/failed. */
export function scheduledJson(ctx: ApiContext, s: ScheduledSend): OutboxItemOut {
  const base = { id: s.id, chat: s.chatGuid, send_at: new Date(s.sendAt).toISOString() };
  if (s.state === 'queued' && s.outboxId) {
    const r = ctx.gateway.fate(s.outboxId);
    if (r) return { ...base, fate: r.fate };
  }
  if (s.state === 'cancelled') return { ...base, fate: { state: 'cancelled' } };
  if (s.state === 'failed') return { ...base, fate: { state: 'failed', code: 'schedule_failed', reason: s.error ?? 'could not be queued' } };
  if (s.state === 'firing' || s.state === 'queued') return { ...base, fate: { state: 'queued' } };
  return { ...base, fate: { state: 'scheduled' } };
}

const idParams = z.object({ id: z.string().min(1).max(100).describe('A scheduled send id (sch_…)') });

export function registerScheduledRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get('/v1/scheduled', {
    config: { scope: 'send' },
    schema: {
      operationId: 'listScheduled', summary: "This token's scheduled sends still waiting, soonest first", tags: ['send'], security: [{ bearer: [] }],
      querystring: z.object({ cursor: z.string().max(400).optional().describe('A next_cursor from the previous page'), limit: limitParam(50, 200) }),
      response: { 200: ScheduledListSchema, ...errorResponses },
    },
  }, async (req) => {
    const c = req.query.cursor ? decodeCursor('scheduled', req.query.cursor, 2) : null;
    if (c && c.dir !== 'next') throw new ApiError('bad_cursor', 'This list pages forward only.');
    const rows = ctx.scheduled.pending(req.token!.id, req.query.limit + 1, c ? { sendAt: c.key[0]!, seq: c.key[1]! } : undefined);
    const page = rows.slice(0, req.query.limit);
    const last = page[page.length - 1];
    return {
      scheduled: page.map((s) => scheduledJson(ctx, s)),
      next_cursor: rows.length > req.query.limit && last ? encodeCursor('scheduled', { dir: 'next', key: [last.sendAt, last.seq] }) : null,
      prev_cursor: null,
    };
  });

  zapp.delete('/v1/scheduled/:id', {
    config: { scope: 'send' },
    schema: {
      operationId: 'cancelScheduled', summary: 'Cancel a scheduled send that has not gone out yet', tags: ['send'], security: [{ bearer: [] }],
      params: idParams, response: { 200: OutboxItemSchema, 409: ErrorSchema, ...errorResponses },
    },
  }, async (req) => {
    const s = ownScheduled(ctx, req.params.id, req.token!.id);
    if (!ctx.scheduled.cancel(s.id)) {
      throw new ApiError('not_cancellable', `The send ${s.id} is ${s.state === 'cancelled' ? 'already cancelled' : 'already on its way'}.`, 'GET /v1/outbox/{id} shows its fate.');
    }
    return scheduledJson(ctx, ctx.scheduled.get(s.id)!);
  });
}
