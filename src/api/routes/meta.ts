// Health, metrics and the API description.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { openApiDocument } from '../openapi.ts';

export function registerMetaRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', { config: { scope: null } }, async () => ({ ok: true }));
  app.get('/v1/openapi.json', { config: { scope: null } }, async () => openApiDocument);
  app.get('/metrics', { config: { scope: 'read' } }, async (_req, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()));
}
