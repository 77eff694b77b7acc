// Reading: chats and a chat's messages (opaque cursors both ways), one message.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Chat, IMessage } from '../../imessage/model.ts';
import type { ApiContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { ApiError } from '../errors.ts';
import { limitParam, rowidParam } from '../params.ts';
import { ChatPageSchema, ErrorSchema, MessageEnvelopeSchema, MessagePageSchema, type ChatOut, type MessageOut } from '../schemas.ts';

export const chatOut = (ctx: ApiContext, c: Chat): ChatOut => ctx.json.chat(c) as ChatOut;
export const messageOut = (ctx: ApiContext, m: IMessage): MessageOut => ctx.json.message(m) as MessageOut;

export function findChat(ctx: ApiContext, guid: string): Chat {
  const chat = ctx.chats.chat(guid);
  if (!chat) throw new ApiError('unknown_chat', `No chat ${JSON.stringify(guid)} in chat.db.`, 'List chats with GET /v1/chats; a handle (+15551234567) also finds its one-to-one chat.');
  return chat;
}

/** The error responses every authenticated route can give. */
export const errorResponses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 421: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema } as const;
/** What a public route can still answer: a foreign Host (421), a token in the query (400). */
export const publicErrorResponses = { 400: ErrorSchema, 421: ErrorSchema, 503: ErrorSchema } as const;

// Newest activity first; chats without messages last; rowid breaks ties.
type Key = [number, number];
const sortKey = (c: Chat): Key => [c.lastMessageAt ?? -1, c.rowid];
/** Does `a` come after `b` in the list? */
const later = (a: Key, b: Key): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

const cursorParam = z.string().max(400).optional().describe('A next_cursor or prev_cursor from the previous page');
const chatsQuery = z.object({ cursor: cursorParam, limit: limitParam(50, 200) });
const pageQuery = z.object({
  cursor: cursorParam,
  before: rowidParam.optional().describe('Deprecated (use cursor): older than this ROWID'),
  after: rowidParam.optional().describe('Deprecated (use cursor): newer than this ROWID'),
  limit: limitParam(50, 200),
}).refine((q) => [q.before, q.after, q.cursor].filter((v) => v !== undefined).length <= 1, { message: 'use one of cursor, before or after' });
const guidParams = z.object({ guid: z.string().min(1).max(300).describe('Chat guid, or a handle for its one-to-one chat') });

export function registerReadRoutes(fastify: FastifyInstance, ctx: ApiContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/v1/chats', {
    config: { scope: 'read' },
    schema: { operationId: 'listChats', summary: 'List chats, newest activity first', tags: ['read'], security: [{ bearer: [] }], querystring: chatsQuery, response: { 200: ChatPageSchema, ...errorResponses } },
  }, async (req) => {
    const q = req.query;
    const from = q.cursor ? decodeCursor('chats', q.cursor, 2) : null;
    const sorted = ctx.chats.chats().map((c) => ({ c, k: sortKey(c) })).sort((a, b) => (later(a.k, b.k) ? 1 : later(b.k, a.k) ? -1 : 0));
    const fromKey = from?.key as Key | undefined;
    let page: typeof sorted;
    if (!from || !fromKey) {
      page = sorted.slice(0, q.limit);
    } else if (from.dir === 'next') {
      page = sorted.filter((x) => later(x.k, fromKey)).slice(0, q.limit);
    } else {
      page = sorted.filter((x) => later(fromKey, x.k)).slice(-q.limit);
    }
    const first = page[0];
    const last = page[page.length - 1];
    return {
      chats: page.map((x) => chatOut(ctx, x.c)),
      next_cursor: last && sorted.some((x) => later(x.k, last.k)) ? encodeCursor('chats', { dir: 'next', key: last.k }) : null,
      prev_cursor: first && sorted.some((x) => later(first.k, x.k)) ? encodeCursor('chats', { dir: 'prev', key: first.k }) : null,
    };
  });

  app.get('/v1/chats/:guid/messages', {
    config: { scope: 'read' },
    schema: { operationId: 'listMessages', summary: 'Page through a chat, oldest first within a page', description: 'Without a cursor: the newest page. next_cursor pages to older messages, prev_cursor to newer ones.', tags: ['read'], security: [{ bearer: [] }], params: guidParams, querystring: pageQuery, response: { 200: MessagePageSchema, ...errorResponses } },
  }, async (req) => {
    const q = req.query;
    const chat = findChat(ctx, req.params.guid);
    let before = q.before;
    let after = q.after;
    if (q.cursor) {
      const c = decodeCursor('messages', q.cursor, 2);
      if (c.key[1] !== chat.rowid) throw new ApiError('bad_cursor', 'This cursor belongs to another chat.', 'Use the cursors of this chat\'s own pages.');
      if (c.dir === 'next') before = c.key[0]; else after = c.key[0];
    }
    const forward = after !== undefined;
    // One extra row tells whether there is more that way.
    const rows = ctx.source.page(chat, { before, after, limit: q.limit + 1 });
    const more = rows.length > q.limit;
    const messages = more ? (forward ? rows.slice(0, q.limit) : rows.slice(1)) : rows;
    const first = messages[0];
    const last = messages[messages.length - 1];
    const hasOlder = forward ? first !== undefined : more;
    const hasNewer = forward ? more : last !== undefined && before !== undefined;
    return {
      chat: chatOut(ctx, chat),
      messages: messages.map((m) => messageOut(ctx, m)),
      next_cursor: hasOlder && first ? encodeCursor('messages', { dir: 'next', key: [first.rowid, chat.rowid] }) : null,
      prev_cursor: hasNewer && last ? encodeCursor('messages', { dir: 'prev', key: [last.rowid, chat.rowid] }) : null,
    };
  });

  app.get('/v1/messages/:guid', {
    config: { scope: 'read' },
    schema: { operationId: 'getMessage', summary: 'One message by guid', tags: ['read'], security: [{ bearer: [] }], params: z.object({ guid: z.string().min(1).max(300).describe('Message guid') }), response: { 200: MessageEnvelopeSchema, ...errorResponses } },
  }, async (req) => {
    const m = ctx.source.reader.messageByGuid(req.params.guid);
    if (!m) throw new ApiError('unknown_message', `No message ${JSON.stringify(req.params.guid)} in chat.db.`);
    return { message: messageOut(ctx, m) };
  });
}
