// /v1/openapi.json, generated from the routes' own zod schemas by
// @fastify/swagger with fastify-type-provider-zod's transforms, so the
// document cannot drift from what the routes validate and return. The few
// routes that are not JSON (attachment files, SSE, WebSocket, metrics) carry
// their description in their schema too; the attachment route (owned by the
// media part) gets its description here.
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorSchema } from './schemas.ts';
import { sendBody } from './routes/sendInput.ts';

const RESUME = 'Event ids are resume positions: `<rowid>` (replay new chat.db rows after this ROWID) or `<rowid>:<seq>` (also replay the edits, unsends and delivered/read/failed changes logged after event-log position `seq`; updates are kept about 3 days). Send back the last id you received unchanged. Replays may repeat an event: dedupe by `key`.';
export const SSE_DESCRIPTION = `${RESUME} Each \`data:\` is an Event (components/schemas/Event). A token with the send scope also gets \`event: fate\` frames, without an id, for its own sends only: \`{id, state, messageGuid?, code?, reason?}\` (id: the outbox id). Fates are not replayed; GET /v1/outbox/{id} has the current one.`;
export const WS_DESCRIPTION = `${RESUME} Each message is one Event as JSON; its \`last_event_id\` is the position to reconnect with (?last_event_id=). Fates of this token's own sends come as \`{type: "fate", id, state, messageGuid?, code?, reason?}\`.`;

/** Route descriptions for routes whose modules declare no schema. */
const ATTACHMENT_SCHEMA = {
  operationId: 'getAttachment', summary: 'Download an attachment file', tags: ['read'], security: [{ bearer: [] }],
  description: 'Only files inside ~/Library/Messages/Attachments are served. Messages carry this URL in attachments[].url.',
  params: z.object({ guid: z.string().min(1).max(200).describe('Message guid'), part: z.coerce.number().int().min(0).max(1000).describe('Attachment index on the message') }),
  response: {
    200: { description: 'The file: images, video and audio with their own type (inline), anything else as application/octet-stream', content: { '*/*': { schema: z.string().meta({ format: 'binary' }) } } },
    400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 421: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema,
  },
};

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (r: RouteOptions) => {
    if (r.url === '/v1/attachments/:guid/:part' && !r.schema) r.schema = ATTACHMENT_SCHEMA as RouteOptions['schema'];
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'imessage-bridge gateway', version: '1.1.0',
        description: 'Token-protected iMessage gateway. Send `Authorization: Bearer <token>` (the scheme is case-insensitive); tokens are never accepted in query strings. Lists page with opaque `next_cursor` / `prev_cursor`. Dates are ISO 8601 UTC.',
      },
      servers: [{ url: 'http://127.0.0.1:8787', description: 'The default loopback address (the served document names the address it was fetched from)' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'imessage-bridge token new --scope read[,send]' } } },
      tags: [{ name: 'read' }, { name: 'send' }, { name: 'live' }, { name: 'meta' }],
    },
    transform: jsonSchemaTransform,
    transformObject: (doc) => withSendBodies(jsonSchemaTransformObject(doc) as OpenApiDoc),
  });
}

type OpenApiDoc = { paths?: Record<string, Record<string, { requestBody?: unknown }>>; servers?: { url: string; description?: string }[] } & Record<string, unknown>;

/** Always within the year a send may be scheduled ahead, so the example is one the API accepts. */
const nextNewYear = (): string => `${new Date().getUTCFullYear() + 1}-01-01T09:00:00Z`;

/** POST /v1/send takes JSON or multipart; the route's zod body only describes the JSON form. */
function withSendBodies(doc: OpenApiDoc): OpenApiDoc {
  const op = doc.paths?.['/v1/send']?.post;
  if (!op) return doc;
  const json = z.toJSONSchema(sendBody, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  const multipart = structuredClone(json) as { properties?: Record<string, unknown> } & Record<string, unknown>;
  multipart.properties = { ...multipart.properties, file: { type: 'string', format: 'binary', description: 'One file; text is then optional' } };
  op.requestBody = {
    required: true,
    content: {
      'application/json': { schema: json, examples: { text: { value: { chat: 'iMessage;-;+15551230001', text: 'On my way' } }, scheduled: { value: { to: '+15551230001', text: 'Happy new year!', send_at: nextNewYear() } } } },
      'multipart/form-data': { schema: multipart },
    },
  };
  return doc;
}

/** The document as served: `servers` names the address the client used (the Host guard vouches for it). */
export function documentFor(app: FastifyInstance, req: FastifyRequest): Record<string, unknown> {
  const doc = app.swagger() as unknown as Record<string, unknown>;
  const host = req.headers.host;
  return host ? { ...doc, servers: [{ url: `${req.protocol}://${host}`, description: 'This gateway' }] } : doc;
}
