// Builds the fastify app: plugins, guards, one error handler, routes. No I/O
// besides what the context carries; startApi (index.ts) owns the lifecycle.
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ApiContext } from './context.ts';
import type { z } from 'zod';
import { scrubSecrets } from '../log.ts';
import { ApiError, fromFastifyError } from './errors.ts';
import { installGuards } from './guards.ts';
import { registerOpenApi } from './openapi.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerMetaRoutes } from './routes/meta.ts';
import { registerReadRoutes } from './routes/read.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSendRoutes } from './routes/send.ts';
import { registerWebRoutes } from './routes/web.ts';

/**
 * A URL fit for a log line or an error message: anything shaped like a token
 * (the logger's rule, src/log.ts, so `?bearer=imb_…` too) and credential-named
 * query values removed, whichever logger the API was given.
 */
export const redactUrl = (url: string): string =>
  scrubSecrets(url).replace(/([?&](?:token|access_token|api_key|apikey|key|auth|password)=)[^&#]*/gi, '$1[redacted]');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies are decoded strictly: invalid UTF-8 is refused with a 400
 * rather than turned into U+FFFD and sent to a real contact as "��".
 */
function installStrictJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new ApiError('invalid_json', 'The request body is not valid UTF-8.', 'Encode the JSON body as UTF-8 (RFC 8259 §8.1).'), undefined);
      return;
    }
    parseJson(req, text, done);
  });
}

/**
 * Query strings and path parameters are validated by the routes' zod schemas
 * (failures become a 400 naming the field). Bodies are validated in the send
 * handler, which must stream multipart uploads first. Responses are plain
 * JSON.stringify: their schemas document them and type the handlers, and the
 * test suite checks every response against the document (test/api/support).
 */
function installZod(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return (data: unknown) => ({ value: data });
    const zod = schema as unknown as z.ZodType;
    return (data: unknown) => {
      const r = zod.safeParse(data ?? {});
      if (r.success) return { value: r.data };
      const first = r.error.issues[0];
      const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
      return { error: new ApiError('bad_request', `${httpPart === 'params' ? 'path ' : ''}${where}${first?.message ?? 'invalid input'}`) };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** Route methods per path pattern, so an unknown method gets a 405 with Allow instead of a 404. */
function methodsByPath(app: FastifyInstance): (path: string) => string[] {
  const routes: { re: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (r) => {
    if (r.url.includes('*')) return;
    const re = new RegExp('^' + r.url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '/?$');
    routes.push({ re, methods: [r.method].flat().map(String) });
  });
  return (path) => [...new Set(routes.filter((r) => r.re.test(path)).flatMap((r) => r.methods))].sort();
}

export async function buildApp(ctx: ApiContext): Promise<{ app: FastifyInstance; dispose: () => void }> {
  const app = Fastify({
    // No fastify logger: request logging is ours (onResponse below), with
    // redacted URLs, so no header or query token can reach a log line.
    bodyLimit: ctx.config.body_limit_bytes,
    trustProxy: false,
    // Past this a path parameter gets fastify's 414; the routes' own limits
    // (guids ≤ 300 characters, percent-encoded up to 3× that) answer 400 first.
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    forceCloseConnections: true,
  });

  // JSON and multipart only: a text/plain body is a client mistake, not a string.
  app.removeContentTypeParser('text/plain');
  installStrictJson(app);
  const methods = methodsByPath(app);
  installZod(app);
  /** No route: 405 with Allow when the path exists under other methods, else 404. */
  const noRoute = (req: FastifyRequest): ApiError => {
    const path = req.url.split('?')[0] ?? '';
    const allow = methods(path);
    return allow.length > 0
      ? new ApiError('method_not_allowed', `${req.method} is not allowed on ${redactUrl(path)}.`, `Use ${allow.join(' or ')}.`).withHeader('allow', allow.join(', '))
      : new ApiError('not_found', `No route ${req.method} ${redactUrl(path)}.`, 'See GET /v1/openapi.json.');
  };
  app.setErrorHandler((err, req, reply) => {
    // A request with no route can still fail before the not-found handler
    // (e.g. QUERY without a Content-Type): the answer is still 404/405.
    if (req.is404) { const e = noRoute(req); void reply.code(e.status).headers(e.headers).send(e.toJson()); return; }
    let e = err instanceof ApiError ? err : fromFastifyError(err as { code?: string; statusCode?: number; message: string });
    const badInput = req.routeOptions.config?.badInput;
    if (badInput && e.code === 'bad_request' && (err as { validationContext?: string }).validationContext) e = new ApiError(badInput, e.message, e.advice);
    ctx.metrics.errors.inc({ code: e.code });
    if (e.code === 'internal') ctx.log.error({ err, method: req.method, url: redactUrl(req.url) }, 'api handler failed');
    void reply.code(e.status).headers(e.headers).send(e.toJson());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = noRoute(req);
    void reply.code(e.status).headers(e.headers).send(e.toJson());
  });
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.requests.inc({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
    // Only built when logged: redacting every URL of a busy client costs.
    if (ctx.log.isLevelEnabled('debug')) ctx.log.debug({ method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'api request');
  });

  await registerOpenApi(app);
  installGuards(app, { tokens: ctx.tokens, allowedHosts: ctx.config.allowed_hosts, bindHost: ctx.config.host, authFailuresPerMinute: ctx.config.auth_failures_per_minute });

  if (ctx.config.cors_origins.length > 0) {
    await app.register(cors, { origin: ctx.config.cors_origins, allowedHeaders: ['authorization', 'content-type', 'last-event-id'], methods: ['GET', 'POST', 'DELETE'], maxAge: 600 });
  }
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => new ApiError('rate_limited', `Rate limit reached; retry in ${Math.ceil(c.ttl / 1000)} s.`).withHeader('retry-after', String(Math.max(1, Math.ceil(c.ttl / 1000)))),
  });
  await app.register(multipart, { limits: { fileSize: ctx.config.file_limit_bytes, files: 1, fields: 8, fieldSize: ctx.config.body_limit_bytes, parts: 10 } });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // @fastify/websocket hides its routes from the document; /v1/ws is API.
  app.addHook('onRoute', (r) => { if (r.websocket && r.schema) r.schema.hide = false; });

  registerMetaRoutes(app, ctx);
  registerReadRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  const disposeSend = registerSendRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  // Not part of the /v1 API (nor of openapi.json): the static web client.
  if (ctx.config.web_client) registerWebRoutes(app);
  return { app, dispose: disposeSend };
}
