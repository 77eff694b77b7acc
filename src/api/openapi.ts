// The OpenAPI description of every route. A test compares it with the routes
// fastify actually registered (method + path), both ways, so it stays true.
const bearer = [{ bearer: [] }];
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errors = { default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } };
const q = (name: string, description: string, type = 'string', required = false) => ({ name, in: 'query', required, description, schema: { type } });
const p = (name: string, description: string, type = 'string') => ({ name, in: 'path', required: true, description, schema: { type } });

// The resume position format; see src/api/live/position.ts.
const RESUME = 'Event ids are resume positions: `<rowid>` (replay new chat.db rows after this ROWID) or `<rowid>:<seq>` (also replay the edits, unsends and delivered/read/failed changes logged after event-log position `seq`; updates are kept about 3 days). Send back the last id you received unchanged. A plain ROWID still works and replays new rows only. Replays may repeat an event: dedupe by `key`.';

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'imessage-bridge gateway', version: '1.0.0', description: 'Token-protected iMessage gateway. Send `Authorization: Bearer <token>`; tokens are never accepted in query strings.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, advice: { type: 'string' } }, required: ['code', 'message'] } } } },
  },
  paths: {
    '/healthz': { get: { summary: 'Liveness (no auth)', responses: { 200: json('ok') } } },
    '/metrics': { get: { summary: 'Prometheus metrics (read scope)', security: bearer, responses: { 200: { description: 'Prometheus text format' }, ...errors } } },
    '/v1/openapi.json': { get: { summary: 'This document', responses: { 200: json('OpenAPI 3.1') } } },
    '/v1/chats': { get: { summary: 'List chats, newest activity first', security: bearer, parameters: [q('cursor', 'Opaque cursor from next_cursor'), q('limit', '1–200', 'integer')], responses: { 200: json('{chats, next_cursor}'), ...errors } } },
    '/v1/chats/{guid}/messages': { get: { summary: 'Page through a chat by ROWID', security: bearer, parameters: [p('guid', 'Chat guid or handle'), q('before', 'Older than this ROWID', 'integer'), q('after', 'Newer than this ROWID', 'integer'), q('limit', '1–200', 'integer')], responses: { 200: json('{chat, messages, page}'), ...errors } } },
    '/v1/messages/{guid}': { get: { summary: 'One message', security: bearer, parameters: [p('guid', 'Message guid')], responses: { 200: json('{message}'), ...errors } } },
    '/v1/attachments/{guid}/{part}': { get: { summary: 'Stream an attachment file', security: bearer, parameters: [p('guid', 'Message guid'), p('part', 'Attachment index', 'integer')], responses: { 200: { description: 'The file' }, ...errors } } },
    '/v1/send': { post: {
      summary: 'Send through the outbox', security: bearer,
      parameters: [q('wait', 'Wait for confirmation from chat.db', 'boolean'), q('timeout_ms', 'Wait at most this long', 'integer')],
      requestBody: { content: {
        'application/json': { schema: { type: 'object', properties: { chat: { type: 'string' }, to: { type: 'string' }, text: { type: 'string' } } } },
        'multipart/form-data': { schema: { type: 'object', properties: { chat: { type: 'string' }, to: { type: 'string' }, text: { type: 'string' }, file: { type: 'string', format: 'binary' } } } },
      } },
      responses: { 200: json('{id, chat, fate} (final, with wait=true)'), 202: json('{id, chat, fate}'), ...errors },
    } },
    '/v1/outbox/{id}': { get: { summary: "A send's fate", security: bearer, parameters: [p('id', 'Outbox id')], responses: { 200: json('{id, chat, fate}'), ...errors } } },
    '/v1/search': { get: { summary: 'Full-text search, newest first', security: bearer, parameters: [q('q', 'Words, "a phrase", or prefix*', 'string', true), q('chat', 'Chat guid'), q('from', 'Epoch ms or ISO date'), q('to', 'Epoch ms or ISO date'), q('before', 'Older than this ROWID', 'integer'), q('limit', '1–100', 'integer')], responses: { 200: json('{results, next_before}'), ...errors } } },
    '/v1/events': { get: {
      summary: 'Server-Sent Events, resumable with the Last-Event-ID header',
      description: RESUME + ' A token with the send scope also gets `event: fate` frames, without an id, for its own sends only: `{id, state, messageGuid?, code?, reason?}` (id: the outbox id). Fates are not replayed; GET /v1/outbox/{id} has the current one.',
      security: bearer, parameters: [q('last_event_id', 'Resume position, as the Last-Event-ID header (alternative to it): `<rowid>` or `<rowid>:<seq>`')], responses: { 200: { description: 'text/event-stream' }, ...errors },
    } },
    '/v1/ws': { get: {
      summary: 'WebSocket event stream, resumable with ?last_event_id',
      description: RESUME + ' Each event is one JSON message; `last_event_id` in it is the position to reconnect with (`resume_from` is its ROWID part alone). Fates of this token\'s own sends come as `{type: "fate", id, state, messageGuid?, code?, reason?}`.',
      security: bearer, parameters: [q('last_event_id', 'Resume position: `<rowid>` or `<rowid>:<seq>`')], responses: { 101: { description: 'Switching protocols' }, ...errors },
    } },
  },
} as const;
