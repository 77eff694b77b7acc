// Sending through the one outbox, and reading a send's fate. `?wait=true`
// holds the response until chat.db confirms (or fails) the send, or times out.
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDenial, SendRefusedError } from '../../core/errors.ts';
import { isFinalFate, type SendReceipt } from '../../core/events.ts';
import { chatGuid, type ChatGuid } from '../../ids.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ownsSend } from '../live/fates.ts';
import { ErrorSchema, OutboxItemSchema, type OutboxItemOut } from '../schemas.ts';
import { errorResponses, findChat } from './read.ts';
import { checkSendAt, ownScheduled, registerScheduledRoutes, scheduledJson } from './scheduled.ts';
import { readSendInput, sendBody, type SendInput } from './sendInput.ts';

const sendQuery = z.object({
  wait: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1').describe('Hold the answer until chat.db confirms the send (or timeout_ms passes)'),
  timeout_ms: z.coerce.number().int().positive().max(3_600_000).optional().describe('Wait at most this long (capped by api.send_wait_timeout_ms)'),
});

// argv (and so AppleScript) cannot carry NUL or lone surrogates: the caller
// is told here (the core's warnings, said when queued) rather than finding out from a changed message.
export const receiptJson = (r: SendReceipt): OutboxItemOut => {
  const warnings = [
    ...(r.intent.text?.includes('\u0000') ? ['NUL characters cannot be sent through Messages; they were removed from the text.'] : []),
    ...(r.warnings ?? []).filter((w) => !w.startsWith('NUL')),
  ];
  return { id: r.id, chat: r.intent.chatGuid, fate: r.fate, ...(warnings.length > 0 ? { warnings } : {}) };
};

function resolveTarget(ctx: ApiContext, input: SendInput): ChatGuid {
  if (input.chat) return findChat(ctx, input.chat).guid;
  const to = input.to!;
  return ctx.source.reader.chat(to)?.guid ?? chatGuid(`iMessage;-;${to}`);
}

/**
 * The core decides every send (src/core/send): api.send_restriction is the
 * API's scope there, not a check here. Its refusals become API errors.
 */
function asApiError(err: unknown): unknown {
  if (!(err instanceof SendRefusedError)) return err;
  if (isDenial(err)) return new ApiError('send_not_allowed', err.message, err.advice);
  if (err.code === 'stopping') return new ApiError('unavailable', err.message, err.advice);
  return new ApiError('bad_request', err.message, err.advice);
}

function waitForFinal(ctx: ApiContext, id: string, timeoutMs: number): Promise<SendReceipt | null> {
  return new Promise((resolve) => {
    let off = (): void => undefined;
    const timer = setTimeout(() => { off(); resolve(ctx.gateway.fate(id)); }, timeoutMs);
    const finish = (r: SendReceipt): void => { clearTimeout(timer); off(); resolve(r); };
    off = ctx.gateway.onFate((r) => { if (r.id === id && isFinalFate(r)) finish(r); });
    const now = ctx.gateway.fate(id);
    if (now && isFinalFate(now)) finish(now);
  });
}

export function registerSendRoutes(fastify: FastifyInstance, ctx: ApiContext): () => void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Staged uploads are removed once their send is final.
  const staged = new Map<string, string>();
  const offFate = ctx.gateway.onFate((r) => {
    const dir = staged.get(r.id);
    if (dir && isFinalFate(r)) { staged.delete(r.id); rmSync(dir, { recursive: true, force: true }); }
  });

  app.post('/v1/send', {
    config: { scope: 'send', rateLimit: { max: ctx.config.sends_per_minute, timeWindow: 60_000, keyGenerator: (req) => req.token?.id ?? req.ip } },
    schema: {
      operationId: 'send', summary: 'Send a message through the outbox', tags: ['send'], security: [{ bearer: [] }],
      description: 'JSON, or multipart/form-data with one `file` part. Checked here, not by the schema validator, because multipart is streamed.',
      querystring: sendQuery, body: sendBody,
      response: { 200: OutboxItemSchema.describe('Final fate (with ?wait=true)'), 202: OutboxItemSchema.describe('Queued'), ...errorResponses, 413: ErrorSchema, 415: ErrorSchema },
    },
  }, async (req, reply) => {
    const q = req.query;
    const input = await readSendInput(req, ctx.uploadDir);
    try {
      const sendAt = input.send_at === undefined ? null : checkSendAt(input.send_at, input.file !== undefined);
      const target = resolveTarget(ctx, input);
      const token = req.token!;
      const from = { connector: 'api', userId: token.id, displayName: token.name };
      if (sendAt !== null) {
        // Checked now (the caller hears at once), and again by the core when it fires.
        ctx.gateway.check({ chatGuid: target, from });
        const s = ctx.scheduled.schedule(target, input.text ?? '', from, sendAt);
        ctx.metrics.sends.inc({ kind: 'scheduled' });
        return reply.code(202).send(scheduledJson(ctx, s));
      }
      const receipt = await ctx.gateway.send({
        chatGuid: target,
        ...(input.text ? { text: input.text } : {}),
        ...(input.file ? { file: { path: input.file.path, name: input.file.name } } : {}),
        from,
      });
      if (input.file) staged.set(receipt.id, input.file.dir);
      ctx.metrics.sends.inc({ kind: input.file ? 'file' : 'text' });
      if (!q.wait) return reply.code(202).send(receiptJson(receipt));
      const timeout = Math.min(q.timeout_ms ?? ctx.config.send_wait_timeout_ms, ctx.config.send_wait_timeout_ms);
      const final = await waitForFinal(ctx, receipt.id, timeout);
      const r = final ?? receipt;
      return reply.code(isFinalFate(r) ? 200 : 202).send({ ...receiptJson(r), timed_out: !isFinalFate(r) });
    } catch (err) {
      if (input.file) rmSync(input.file.dir, { recursive: true, force: true });
      throw asApiError(err);
    }
  });

  registerScheduledRoutes(fastify, ctx);

  app.get('/v1/outbox/:id', {
    config: { scope: 'send' },
    schema: { operationId: 'getSend', summary: "A send's current fate (this token's own sends only)", tags: ['send'], security: [{ bearer: [] }], params: z.object({ id: z.string().min(1).max(100) }), response: { 200: OutboxItemSchema, ...errorResponses } },
  }, async (req) => {
    if (req.params.id.startsWith('sch_')) return scheduledJson(ctx, ownScheduled(ctx, req.params.id, req.token!.id));
    const r = ctx.gateway.fate(req.params.id);
    // A token sees only its own sends; someone else's is as unknown as a typo.
    if (!r || !ownsSend(r, req.token!.id)) throw new ApiError('unknown_send', `No send with id ${JSON.stringify(req.params.id)}.`);
    return receiptJson(r);
  });

  return offFate;
}
