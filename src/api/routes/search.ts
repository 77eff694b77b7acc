// Full-text search over the FTS5 index, newest first: each hit is the whole
// message (the JSON contract), its chat, and a highlighted snippet.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { limitParam, rowidParam, timeParam } from '../params.ts';
import { SearchPageSchema } from '../schemas.ts';
import { parseSearchQuery } from '../search/query.ts';
import { chatOut, errorResponses, findChat, messageOut } from './read.ts';

const searchQuery = z.object({
  q: z.string().min(1, 'q is required').max(500).describe('Words, "a phrase", or prefix*'),
  chat: z.string().max(300).optional().describe('Only this chat (guid or handle)'),
  from: timeParam.optional().describe('Not before this time: ISO 8601, or epoch milliseconds'),
  to: timeParam.optional().describe('Not after this time: ISO 8601, or epoch milliseconds'),
  cursor: z.string().max(400).optional().describe('A next_cursor or prev_cursor from the previous page'),
  before: rowidParam.optional().describe('Deprecated (use cursor): older than this ROWID'),
  limit: limitParam(20, 100),
}).refine((q) => q.cursor === undefined || q.before === undefined, { message: 'use either cursor or before' });

export function registerSearchRoutes(fastify: FastifyInstance, ctx: ApiContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/v1/search', {
    config: { scope: 'read', badInput: 'bad_query' },
    schema: { operationId: 'search', summary: 'Full-text search, newest first', tags: ['read'], security: [{ bearer: [] }], querystring: searchQuery, response: { 200: SearchPageSchema, ...errorResponses } },
  }, async (req) => {
    const q = req.query;
    const parsed = parseSearchQuery(q.q);
    const chatFilter = q.chat ? findChat(ctx, q.chat).guid : undefined;
    const c = q.cursor ? decodeCursor('search', q.cursor, 1) : null;
    const before = c?.dir === 'next' ? c.key[0] : q.before;
    const after = c?.dir === 'prev' ? c.key[0] : undefined;
    // One extra hit tells whether there is more that way.
    const hits = ctx.search.search(parsed, { chat: chatFilter, from: q.from, to: q.to, before, after, limit: q.limit + 1 });
    const more = hits.length > q.limit;
    const page = more ? (after !== undefined ? hits.slice(1) : hits.slice(0, q.limit)) : hits;
    const messages = new Map(ctx.source.reader.messagesByRowids(page.map((h) => h.rowid)).map((m) => [m.rowid, m]));
    const results = page.flatMap((h) => {
      const m = messages.get(h.rowid);
      const chat = ctx.chats.chat(h.chatGuid);
      // Gone from chat.db since it was indexed: not a hit any more.
      return m && chat ? [{ snippet: h.snippet, message: messageOut(ctx, m), chat: chatOut(ctx, chat) }] : [];
    });
    const newest = page[0];
    const oldest = page[page.length - 1];
    const hasOlder = after !== undefined ? oldest !== undefined : more;
    const hasNewer = after !== undefined ? more : newest !== undefined && before !== undefined;
    return {
      results,
      next_cursor: hasOlder && oldest ? encodeCursor('search', { dir: 'next', key: [oldest.rowid] }) : null,
      prev_cursor: hasNewer && newest ? encodeCursor('search', { dir: 'prev', key: [newest.rowid] }) : null,
    };
  });
}
