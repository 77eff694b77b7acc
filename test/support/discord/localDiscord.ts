// The local Discord: a protocol-faithful stand-in that unmodified discord.js 14
// connects to with `rest: { api: localDiscord.apiUrl }`. REST + gateway on one
// port, plus a test API to look at channels as a user would and to act as
// human users (every action dispatches the gateway events Discord would).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Actions } from './actions.ts';
import { Gateway } from './gateway.ts';
import { RateLimiter, classify, type RateLimitConfig } from './rateLimits.ts';
import { ApiError, Router, errorReply, readBody, send, type Req } from './restPlumbing.ts';
import { addGuildRoutes } from './routesGuild.ts';
import { addMessageRoutes } from './routesMessages.ts';
import { addWebhookRoutes } from './routesWebhooks.ts';
import { DiscordState } from './state.ts';
import { HumanActions } from './humans.ts';
import type { Interaction } from './types.ts';
import { sentPayload, type SentPayload } from './payloads.ts';

export interface LocalDiscordOptions {
  token?: string;
  rateLimits?: RateLimitConfig;
  /** false: never answer 429 (headers still sent). */
  enforceRateLimits?: boolean;
  maxUploadBytes?: number;
  heartbeatIntervalMs?: number;
  /** false: Message Content is not enabled for the app (identify closes with 4014). */
  messageContentAllowed?: boolean;
  /** true: a second identify keeps the first session (two bridges on one bot token); default: it replaces it. */
  concurrentSessions?: boolean;
}

interface Parts { state: DiscordState; interactions: Map<string, Interaction>; gateway: Gateway; actions: Actions; portRef: { port: number } }

export interface RequestRecord { method: string; path: string; status: number; at: number }

/** A canned failure for the next request matching `method` and `path`. */
export interface InjectedFailure { method: string; path: RegExp; status: number; code: number; message: string; /** Let this many matching requests through first. */ skip?: number }

export class LocalDiscord extends HumanActions {
  readonly token: string;
  readonly limiter: RateLimiter;
  readonly requests: RequestRecord[] = [];
  /** Every message-bearing request the bot made, in order (allowed_mentions per request). */
  readonly payloads: SentPayload[] = [];
  private readonly failures: InjectedFailure[] = [];
  private readonly router = new Router();
  readonly gateway: Gateway;

  private constructor(private readonly server: Server, opts: LocalDiscordOptions, parts: Parts) {
    super(parts.state, parts.actions, parts.gateway, parts.interactions);
    this.gateway = parts.gateway;
    this.portRef = parts.portRef;
    this.token = opts.token ?? 'local-bot-token';
    this.limiter = new RateLimiter(opts.rateLimits, opts.enforceRateLimits ?? true);
    this.maxUploadBytes = opts.maxUploadBytes ?? 10 * 1024 * 1024;
    const ctx = { ...parts, maxUploadBytes: this.maxUploadBytes, gatewayUrl: () => this.gatewayUrl };
    addGuildRoutes(this.router, ctx);
    addMessageRoutes(this.router, ctx);
    addWebhookRoutes(this.router, ctx);
    server.on('request', (req, res) => void this.handle(req, res));
  }

  readonly maxUploadBytes: number;
  private readonly portRef: { port: number };

  static async start(opts: LocalDiscordOptions = {}): Promise<LocalDiscord> {
    const server = createServer();
    const portRef = { port: 0 };
    const state = new DiscordState();
    const interactions = new Map<string, Interaction>();
    const gateway = new Gateway(server, state, { token: opts.token ?? 'local-bot-token', heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250, messageContentAllowed: opts.messageContentAllowed ?? true, concurrentSessions: opts.concurrentSessions ?? false, url: () => `ws://127.0.0.1:${portRef.port}` });
    const actions = new Actions(state, gateway, () => `http://127.0.0.1:${portRef.port}`);
    const d = new LocalDiscord(server, opts, { state, interactions, gateway, actions, portRef });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    portRef.port = (server.address() as AddressInfo).port;
    return d;
  }

  /** What to pass as discord.js `rest.api` (discord.js appends /v10 itself). */
  get apiUrl(): string { return `http://127.0.0.1:${this.portRef.port}/api`; }
  get gatewayUrl(): string { return `ws://127.0.0.1:${this.portRef.port}`; }

  /** Answer the next matching request with this error instead of handling it. */
  failNext(f: InjectedFailure): void { this.failures.push(f); }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/attachments/')) return this.serveAttachment(url.pathname, res);
    const prefix = '/api/v10';
    if (!url.pathname.startsWith(prefix)) { send(res, { status: 404, json: { message: '404: Not Found', code: 0 } }); return; }
    const path = url.pathname.slice(prefix.length);
    const found = this.router.match(method, path);
    const record = (status: number) => this.requests.push({ method, path, status, at: Date.now() });
    if (!found) { for await (const _ of req) { /* drain */ } record(404); send(res, { status: 404, json: { message: '404: Not Found', code: 0 } }); return; }
    const { kind, key } = classify(method, path);
    let headers: Record<string, string> = {};
    try {
      if (found.route.botAuth && req.headers.authorization !== `Bot ${this.token}`) throw new ApiError(401, 0, '401: Unauthorized');
      const { body, files } = await readBody(req, this.maxUploadBytes + 1024 * 1024);
      const verdict = this.limiter.check(kind, key);
      headers = verdict.headers;
      if (!verdict.allowed) {
        record(429);
        send(res, { status: 429, json: { message: 'You are being rate limited.', retry_after: Number(headers['Retry-After']), global: false } }, headers);
        return;
      }
      const f = this.failures.find((x) => x.method === method && x.path.test(path));
      if (f && (f.skip ?? 0) > 0) f.skip = (f.skip ?? 0) - 1;
      else if (f) {
        this.failures.splice(this.failures.indexOf(f), 1);
        throw new ApiError(f.status, f.code, f.message);
      }
      const payload = sentPayload(method, path, body);
      if (payload) this.payloads.push(payload);
      const r: Req = { method, path, params: found.params, query: url.searchParams, body, files, authorization: req.headers.authorization };
      const reply = await found.route.handler(r);
      record(reply.status);
      send(res, reply, headers);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 0, e instanceof Error ? e.message : String(e));
      record(err.status);
      send(res, errorReply(err), headers);
    }
  }

  private serveAttachment(pathname: string, res: import('node:http').ServerResponse): void {
    const [, , channelId, attachmentId] = pathname.split('/');
    const m = this.state.channelMessages(channelId ?? '').find((x) => x.files.has(attachmentId ?? ''));
    const data = m?.files.get(attachmentId ?? '');
    if (!data) { res.statusCode = 404; res.end(); return; }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', data.length);
    res.end(data);
  }
}
