// Reading: chats (keyset cursor), a chat's messages by ROWID range, one message.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Chat } from '../../imessage/model.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { limitParam, parse, rowidParam } from '../params.ts';

interface ChatCursor { t: number; r: number }

const encodeCursor = (c: ChatCursor): string => Buffer.from(JSON.stringify({ v: 1, ...c })).toString('base64url');

function decodeCursor(s: string): ChatCursor {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (o.v === 1 && Number.isInteger(o.t) && Number.isInteger(o.r)) return { t: o.t as number, r: o.r as number };
  } catch { /* reported below */ }
  throw new ApiError('bad_cursor', 'The cursor is not one this API returned.', 'Pass back the `next_cursor` value exactly, or omit it to start over.');
}

// Newest activity first; chats without messages last; rowid breaks ties.
const sortKey = (c: Chat): ChatCursor => ({ t: c.lastMessageAt ?? -1, r: c.rowid });
const after = (a: ChatCursor, b: ChatCursor): boolean => a.t < b.t || (a.t === b.t && a.r < b.r);

export function findChat(ctx: ApiContext, guid: string): Chat {
  const chat = ctx.source.reader.chat(guid);
  if (!chat) throw new ApiError('unknown_chat', `No chat ${JSON.stringify(guid)} in chat.db.`);
  return chat;
}

const chatsQuery = z.object({ cursor: z.string().max(200).optional(), limit: limitParam(50, 200) });
const pageQuery = z.object({ before: rowidParam.optional(), after: rowidParam.optional(), limit: limitParam(50, 200) })
  .refine((q) => q.before === undefined || q.after === undefined, { message: 'use either before or after, not both' });

export function registerReadRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/chats', { config: { scope: 'read' } }, async (req) => {
    const q = parse(chatsQuery, req.query);
    const from = q.cursor ? decodeCursor(q.cursor) : null;
    const sorted = ctx.source.reader.chats().map((c) => ({ c, k: sortKey(c) }))
      .sort((a, b) => (after(a.k, b.k) ? 1 : after(b.k, a.k) ? -1 : 0));
    const rest = from ? sorted.filter((x) => after(x.k, from)) : sorted;
    const page = rest.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      chats: page.map((x) => ctx.json.chat(x.c)),
      next_cursor: rest.length > q.limit && last ? encodeCursor(last.k) : null,
    };
  });

  app.get<{ Params: { guid: string } }>('/v1/chats/:guid/messages', { config: { scope: 'read' } }, async (req) => {
    const q = parse(pageQuery, req.query);
    const chat = findChat(ctx, req.params.guid);
    const messages = ctx.source.page(chat, { before: q.before, after: q.after, limit: q.limit });
    return {
      chat: ctx.json.chat(chat),
      messages: messages.map((m) => ctx.json.message(m)),
      // Rowids to continue from: `before` for older, `after` for newer.
      page: { before: messages[0]?.rowid ?? null, after: messages[messages.length - 1]?.rowid ?? null },
    };
  });

  app.get<{ Params: { guid: string } }>('/v1/messages/:guid', { config: { scope: 'read' } }, async (req) => {
    const m = ctx.source.reader.messageByGuid(req.params.guid);
    if (!m) throw new ApiError('unknown_message', `No message ${JSON.stringify(req.params.guid)} in chat.db.`);
    return { message: ctx.json.message(m) };
  });
}
