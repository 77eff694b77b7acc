// Health, metrics and the API description.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { documentFor } from '../openapi.ts';
import { errorResponses, publicErrorResponses } from './read.ts';

export function registerMetaRoutes(fastify: FastifyInstance, ctx: ApiContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/healthz', {
    config: { scope: null },
    schema: { operationId: 'health', summary: 'Liveness (no auth)', tags: ['meta'], response: { 200: z.object({ ok: z.literal(true) }), ...publicErrorResponses } },
  }, async () => ({ ok: true as const }));
  app.get('/v1/openapi.json', {
    config: { scope: null },
    schema: { operationId: 'openapi', summary: 'This document (no auth)', tags: ['meta'], response: { 200: z.record(z.string(), z.unknown()).describe('OpenAPI 3.1'), ...publicErrorResponses } },
  }, async (req) => documentFor(fastify, req));
  app.get('/metrics', {
    config: { scope: 'read' },
    schema: {
      operationId: 'metrics', summary: 'Prometheus metrics', tags: ['meta'], security: [{ bearer: [] }],
      response: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } }, ...errorResponses },
    },
  }, async (_req, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()));
}
