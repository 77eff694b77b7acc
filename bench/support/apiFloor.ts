// The floor the gateway is measured against (bench/api.ts): node:http and
// better-sqlite3 with the same reads (the foundation's reader: same SQL, same
// typedstream decoder, same JSON mapping), the same search SQL, and the same
// token check (SHA-256, constant-time compare), and nothing else: no
// framework, no guards, no schemas, no Contacts names. What the gateway
// costs on top of this is the price of its features.
// Usage: apiFloor.ts <chat.db> <home> <bridge.db>; prints {"url"} when listening.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { openReader } from '../../src/api/reader.ts';
import { SearchIndex } from '../../src/api/search/index.ts';
import { parseSearchQuery } from '../../src/api/search/query.ts';
import { hashToken } from '../../src/api/tokens.ts';
import { chatToJson, messageToJson } from '../../src/imessage/json.ts';
import type { Chat } from '../../src/imessage/model.ts';

const [chatDbPath, home, bridgePath] = process.argv.slice(2) as [string, string, string];
const reader = openReader(chatDbPath, home);
const bridge = openBridgeDb(bridgePath);
const search = new SearchIndex(bridge);
const digests = (bridge.prepare('SELECT hash FROM api_token WHERE revoked_at IS NULL').pluck().all() as string[]).map((h) => Buffer.from(h, 'hex'));
const chats = new Map<string, Chat | null>();
const chatOf = (g: string): Chat | null => { if (!chats.has(g)) chats.set(g, reader.chat(g)); return chats.get(g)!; };
const authorized = (h: string | undefined): boolean => {
  const d = hashToken(h?.slice(7) ?? '');
  let ok = false;
  for (const c of digests) ok = timingSafeEqual(c, d) || ok;
  return ok;
};

const server = createServer((req, res) => {
  const send = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
  if (!authorized(req.headers.authorization)) return send(401, { error: 'unauthorized' });
  const url = new URL(req.url ?? '/', 'http://x');
  const page = /^\/v1\/chats\/([^/]+)\/messages$/.exec(url.pathname);
  if (page) {
    const chat = chatOf(decodeURIComponent(page[1]!));
    if (!chat) return send(404, { error: 'unknown_chat' });
    const before = url.searchParams.get('before');
    const ids = reader.chatMessageIds(chat.rowid, { limit: 51, ...(before ? { before: Number(before) } : {}) });
    const messages = reader.messagesByRowids(ids.slice(-50)).map(messageToJson);
    return send(200, { chat: chatToJson(chat), messages, next_cursor: ids.length > 50 ? String(ids[1]) : null, prev_cursor: null });
  }
  if (url.pathname === '/v1/search') {
    const hits = search.search(parseSearchQuery(url.searchParams.get('q') ?? ''), { limit: 21 });
    const byRowid = new Map(reader.messagesByRowids(hits.slice(0, 20).map((h) => h.rowid)).map((m) => [m.rowid, m]));
    const results = hits.slice(0, 20).flatMap((h) => {
      const m = byRowid.get(h.rowid);
      const chat = chatOf(h.chatGuid);
      return m && chat ? [{ snippet: h.snippet, message: messageToJson(m), chat: chatToJson(chat) }] : [];
    });
    return send(200, { results, next_cursor: hits.length > 20 ? String(hits[19]!.rowid) : null, prev_cursor: null });
  }
  send(404, { error: 'not_found' });
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` })}\n`);
});
