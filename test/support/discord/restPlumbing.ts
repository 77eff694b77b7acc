// HTTP plumbing for the fake REST API: body parsing (JSON and multipart with
// payload_json + files[n], as discord.js sends them), Discord-shaped errors,
// and a tiny router. Routes live in routes*.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: number, message: string, readonly errors?: unknown) { super(message); }
}

export interface UploadedFile { field: string; name: string; data: Buffer; contentType: string }

export interface Req {
  method: string;
  path: string;            // after /api/v10
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  files: UploadedFile[];
  authorization: string | undefined;
}

export type Reply = { status: number; json?: unknown };
export type Handler = (req: Req) => Reply | Promise<Reply>;

interface Route { method: string; pattern: RegExp; names: string[]; handler: Handler; botAuth: boolean }

export class Router {
  private readonly routes: Route[] = [];

  /** `path` like `/channels/:channel/messages`; `botAuth` false for webhook-token routes. */
  add(method: string, path: string, handler: Handler, botAuth = true): this {
    const names: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, n: string) => { names.push(n); return '([^/]+)'; }) + '$');
    this.routes.push({ method, pattern, names, handler, botAuth });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1] ?? ''); });
      return { route, params };
    }
    return null;
  }
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<{ body: Record<string, unknown>; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Keep reading past the cap so the client gets our 413, not a reset socket.
  for await (const c of req) {
    total += (c as Buffer).length;
    if (total <= maxBytes) chunks.push(c as Buffer);
  }
  if (total > maxBytes) throw new ApiError(413, 40005, 'Request entity too large');
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  try {
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

async function parseMultipart(raw: Buffer, type: string): Promise<{ body: Record<string, unknown>; files: UploadedFile[] }> {
  // undici's own multipart parser: the same one discord.js's FormData came from.
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  let body: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value) as Record<string, unknown>;
      else body[field] = value;
    } else {
      files.push({ field, name: value.name, data: Buffer.from(await value.arrayBuffer()), contentType: value.type });
    }
  }
  return { body, files };
}

export function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (reply.status === 204 || reply.json === undefined) {
    // A 204 with a JSON content type makes discord.js parse an empty body and throw.
    res.statusCode = reply.status;
    res.end();
    return;
  }
  const text = JSON.stringify(reply.json);
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export const errorReply = (e: ApiError): Reply => ({
  status: e.status,
  json: { message: e.message, code: e.code, ...(e.errors ? { errors: e.errors } : {}) },
});

export const notFound = (what: string, code: number): ApiError => new ApiError(404, code, `Unknown ${what}`);
