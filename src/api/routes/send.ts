// Sending through the one outbox, and reading a send's fate. `?wait=true`
// holds the response until chat.db confirms (or fails) the send, or times out.
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SendReceipt } from '../../core/events.ts';
import { chatGuid, type ChatGuid } from '../../ids.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { isFinalFate } from '../gateway.ts';
import { ownsSend } from '../live/fates.ts';
import { ErrorSchema, OutboxItemSchema, type OutboxItemOut } from '../schemas.ts';
import { errorResponses, findChat } from './read.ts';
import { checkSendAt, ownScheduled, registerScheduledRoutes, scheduledJson } from './scheduled.ts';
import { readSendInput, sendBody, type SendInput } from './sendInput.ts';

const sendQuery = z.object({
  wait: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1').describe('Hold the answer until chat.db confirms the send (or timeout_ms passes)'),
  timeout_ms: z.coerce.number().int().positive().max(3_600_000).optional().describe('Wait at most this long (capped by api.send_wait_timeout_ms)'),
});

// argv (and so AppleScript) cannot carry NUL: the sender strips it, and the
// caller is told here rather than finding out from a changed message.
export const receiptJson = (r: SendReceipt): OutboxItemOut => ({
  id: r.id, chat: r.intent.chatGuid, fate: r.fate,
  ...(r.intent.text?.includes('\u0000') ? { warnings: ['NUL characters cannot be sent through Messages; they were removed from the text.'] } : {}),
});

function resolveTarget(ctx: ApiContext, input: SendInput): { chat: ChatGuid; recipients: string[] } {
  if (input.chat) {
    const chat = findChat(ctx, input.chat);
    return { chat: chat.guid, recipients: chat.participants };
  }
  const to = input.to!;
  const existing = ctx.source.reader.chat(to);
  return { chat: existing?.guid ?? chatGuid(`iMessage;-;${to}`), recipients: [to] };
}

function checkRestriction(ctx: ApiContext, chat: ChatGuid, recipients: string[]): void {
  const mode = ctx.config.send_restriction;
  if (mode === 'mirrored' && !ctx.gateway.isMirrored(chat)) {
    throw new ApiError('send_not_allowed', 'Sending is restricted to mirrored chats, and this chat is not mirrored.', 'Mirror the chat, or change api.send_restriction.');
  }
  if (mode === 'allowlist') {
    const allowed = new Set(ctx.config.send_allowlist.map((h) => h.toLowerCase()));
    const denied = recipients.filter((r) => !allowed.has(r.toLowerCase()));
    if (denied.length > 0 || recipients.length === 0) {
      throw new ApiError('send_not_allowed', 'Sending is restricted to api.send_allowlist, and this chat has recipients outside it.', 'Add the recipients to api.send_allowlist.');
    }
  }
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
      checkRestriction(ctx, target.chat, target.recipients);
      const token = req.token!;
      if (sendAt !== null) {
        const s = ctx.scheduled.schedule(target.chat, input.text ?? '', { connector: 'api', userId: token.id, displayName: token.name }, sendAt);
        ctx.metrics.sends.inc({ kind: 'scheduled' });
        return reply.code(202).send(scheduledJson(ctx, s));
      }
      const receipt = await ctx.gateway.send({
        chatGuid: target.chat,
        ...(input.text ? { text: input.text } : {}),
        ...(input.file ? { file: { path: input.file.path, name: input.file.name } } : {}),
        from: { connector: 'api', userId: token.id, displayName: token.name },
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
      throw err;
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
