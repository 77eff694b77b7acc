// The request guards every route passes through, in order: Host check (DNS
// rebinding), no tokens in query strings, failed-auth throttle, bearer auth,
// scope. Routes declare their scope in `config.scope` (null = public).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode } from './errors.ts';
import type { Scope, TokenInfo, TokenStore } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: Scope | null;
    /** The error code for a request that fails its schema (default bad_request). */
    badInput?: ErrorCode;
  }
  interface FastifyRequest { token: TokenInfo | null }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const QUERY_TOKEN_KEYS = ['token', 'access_token', 'api_key', 'apikey', 'key', 'auth', 'password'];

export const isLoopbackHost = (host: string): boolean =>
  LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Host header → bare lowercase hostname (IPv6 brackets and port removed). */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export interface GuardOptions {
  tokens: TokenStore;
  allowedHosts: string[];
  bindHost: string;
  authFailuresPerMinute: number;
}

/** Sliding one-minute window of failed auth attempts per client address. */
class FailureThrottle {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: number) {}
  /** Seconds until this address may try again, or 0 when it is not blocked. */
  blockedFor(ip: string, now = Date.now()): number {
    const list = (this.hits.get(ip) ?? []).filter((t) => now - t < 60_000);
    if (list.length) this.hits.set(ip, list); else this.hits.delete(ip);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit]! + 60_000 - now) / 1000));
  }
  record(ip: string): void {
    const list = this.hits.get(ip) ?? [];
    list.push(Date.now());
    this.hits.set(ip, list);
  }
}

// RFC 9110 §11.1: the auth scheme is case-insensitive.
const BEARER = /^bearer +([A-Za-z0-9_\-.~+/=]+)$/i;

export function installGuards(app: FastifyInstance, opts: GuardOptions): void {
  const allowed = new Set([...opts.allowedHosts.map((h) => hostnameOf(h)), ...LOOPBACK_NAMES]);
  if (!isLoopbackHost(opts.bindHost) && opts.bindHost !== '0.0.0.0' && opts.bindHost !== '::') allowed.add(hostnameOf(opts.bindHost));
  const throttle = new FailureThrottle(opts.authFailuresPerMinute);
  app.decorateRequest('token', null);

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const host = req.headers.host;
    if (!host || !(allowed.has(hostnameOf(host)) || /^127\.\d+\.\d+\.\d+$/.test(hostnameOf(host)))) {
      throw new ApiError('bad_host', 'The Host header is not one this gateway answers to.', 'Add the name to api.allowed_hosts if you reach the gateway through it.');
    }
    const query = req.query as Record<string, unknown> | undefined;
    if (query && QUERY_TOKEN_KEYS.some((k) => k in query)) {
      throw new ApiError('token_in_query', 'Tokens are never accepted in the query string.', 'Send it in the header: Authorization: Bearer <token>. Revoke a token that appeared in a URL.');
    }
    // Browsers send CORS preflights without credentials by design; OPTIONS
    // reads and changes nothing, so it passes to @fastify/cors (or a 404/405).
    if (req.method === 'OPTIONS') return;
    // Deny by default: a route that forgot to declare a scope needs `read`;
    // only an explicit `scope: null` is public.
    const declared = req.routeOptions.config?.scope;
    if (declared === null) return;
    const scope = declared ?? 'read';
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    const token = match?.[1] ? opts.tokens.verify(match[1]) : null;
    if (!token) {
      // The throttle applies to failures only: behind an ssh tunnel every
      // client is 127.0.0.1, and one broken script must not lock out the rest.
      const wait = throttle.blockedFor(req.ip);
      if (wait > 0) throw new ApiError('rate_limited', `Too many failed authentication attempts from this address; try again in ${wait} s.`).withHeader('retry-after', String(wait));
      throttle.record(req.ip);
      throw new ApiError('unauthorized', header ? 'The bearer token is not valid.' : 'Missing Authorization header.', 'Create a token with `imessage-bridge token new --scope read` and send Authorization: Bearer <token>.');
    }
    if (!token.scopes.includes(scope)) {
      throw new ApiError('forbidden_scope', `This route needs the "${scope}" scope; the token has ${token.scopes.join(', ')}.`, `Create a token with --scope ${scope === 'send' ? 'read,send' : 'read'}.`);
    }
    req.token = token;
  });
}
