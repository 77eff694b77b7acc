// The web client, served at `/` from web/dist. Assets are public (they hold no
// data); everything they fetch goes through the token-protected /v1 routes.
// Files are read once at start and served from memory by exact name, so no
// request path ever reaches the filesystem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };
// No inline script, no third-party origin: a stolen snippet can't run or phone home.
const CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function registerWebRoutes(app: FastifyInstance, dist = WEB_DIST): boolean {
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) return false;
  const assets = new Map<string, Buffer>();
  const assetDir = join(dist, 'assets');
  if (existsSync(assetDir)) for (const f of readdirSync(assetDir)) assets.set(f, readFileSync(join(assetDir, f)));
  const index = readFileSync(indexFile);
  const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

  // Hidden from openapi.json: these are not API operations (no operationId,
  // no token), and the document must be the same with or without web/dist.
  const schema = { hide: true };
  app.get('/', { schema, config: { scope: null } }, async (_req, reply) => reply.headers(headers).type(TYPES['.html']!).send(index));
  app.get<{ Params: { file: string } }>('/assets/:file', { schema, config: { scope: null } }, async (req, reply) => {
    const body = assets.get(req.params.file);
    if (!body) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset.' } });
    return reply.headers({ ...headers, 'cache-control': 'public, max-age=31536000, immutable' }).type(TYPES[extname(req.params.file)] ?? 'application/octet-stream').send(body);
  });
  return true;
}
