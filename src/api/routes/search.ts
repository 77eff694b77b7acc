// Full-text search over the FTS5 index, newest first, with highlighted snippets.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Chat } from '../../imessage/model.ts';
import type { ApiContext } from '../context.ts';
import { limitParam, parse, rowidParam, timeParam } from '../params.ts';
import { parseSearchQuery } from '../search/query.ts';
import { findChat } from './read.ts';

const searchQuery = z.object({
  q: z.string().min(1, 'q is required'),
  chat: z.string().max(300).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  before: rowidParam.optional(),
  limit: limitParam(20, 100),
});

export function registerSearchRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/search', { config: { scope: 'read' } }, async (req) => {
    const q = parse(searchQuery, req.query, 'bad_query');
    const parsed = parseSearchQuery(q.q);
    const chatFilter = q.chat ? findChat(ctx, q.chat).guid : undefined;
    const hits = ctx.search.search(parsed, { chat: chatFilter, from: q.from, to: q.to, before: q.before, limit: q.limit });
    const chats = new Map<string, Chat | null>();
    const chatOf = (guid: string): unknown => {
      if (!chats.has(guid)) chats.set(guid, ctx.source.reader.chat(guid));
      const c = chats.get(guid);
      return c ? ctx.json.chat(c) : { guid };
    };
    const last = hits[hits.length - 1];
    return {
      results: hits.map((h) => ({ rowid: h.rowid, guid: h.guid, date: h.date, sender: h.sender, snippet: h.snippet, chat: chatOf(h.chatGuid) })),
      next_before: hits.length === q.limit && last ? last.rowid : null,
    };
  });
}
