// discord.js errors carry the request URL (webhook and interaction tokens are
// path segments) and the request body (the message text). Both end up in logs
// and in the delivery journal's last_error, so token-bearing calls rethrow this
// instead: the route with the token redacted, Discord's code, and nothing else.
import { DiscordConnectorError } from './errors.ts';

const TOKEN_IN_PATH = /\/(webhooks|interactions)\/(\d+)\/[^/?#\s]+/g;

/** `/webhooks/123/SECRET/messages/9?wait=true` → `/webhooks/123/[redacted]/messages/9`. */
export function redactRoute(url: string): string {
  let path = url;
  try { path = new URL(url).pathname; } catch { /* already a path */ }
  return path.replace(/^\/api(\/v\d+)?/, '').replace(TOKEN_IN_PATH, '/$1/$2/[redacted]').split('?')[0] ?? '';
}

export class DiscordRequestError extends DiscordConnectorError {
  constructor(
    readonly method: string,
    readonly route: string,
    readonly status: number | null,
    /** Discord's JSON error code (10015 Unknown Webhook…), when it sent one. */
    readonly discordCode: number | null,
    detail: string,
  ) {
    super(
      discordCode === null ? 'discord_request' : `discord_${discordCode}`,
      `Discord refused ${method} ${route}: ${status ?? 'no answer'}${discordCode !== null ? ` (code ${discordCode})` : ''} ${detail}`.trim(),
      'Usually temporary and retried; if it persists, check the bot\'s permissions and that the channel and its webhook still exist.',
    );
    this.name = 'DiscordRequestError';
  }
}

interface RestErrorShape { method?: unknown; url?: unknown; status?: unknown; code?: unknown; rawError?: unknown; message?: unknown }

/**
 * Replace a discord.js error with one that is safe to log. `secrets` are
 * scrubbed from any text we keep (a network error may quote the URL).
 * No `cause`: it would carry the original, token and body included.
 */
export function redactedError(e: unknown, secrets: string[]): DiscordRequestError {
  const x = (typeof e === 'object' && e !== null ? e : {}) as RestErrorShape;
  const scrub = (s: string) => secrets.filter(Boolean).reduce((acc, t) => acc.split(t).join('[redacted]'), s).replace(TOKEN_IN_PATH, '/$1/$2/[redacted]');
  const method = typeof x.method === 'string' ? x.method.toUpperCase() : 'request';
  const route = typeof x.url === 'string' ? redactRoute(scrub(x.url)) : '';
  const status = typeof x.status === 'number' ? x.status : null;
  const code = typeof x.code === 'number' ? x.code : null;
  // Discord's own top-level message ("Unknown Webhook", "Invalid Form Body"): never request text.
  const raw = x.rawError as { message?: unknown } | undefined;
  const detail = typeof raw?.message === 'string' ? raw.message : e instanceof Error && status === null ? e.message : '';
  return new DiscordRequestError(method, route, status, code, scrub(detail).slice(0, 200));
}

/** Discord's error code, whether raw from discord.js or already redacted. */
export function discordCodeOf(e: unknown): number | null {
  if (e instanceof DiscordRequestError) return e.discordCode;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
}

export function httpStatusOf(e: unknown): number | null {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** Run a token-bearing request; any failure comes back redacted. */
export async function withRedaction<T>(secrets: string[], f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw e instanceof DiscordRequestError ? e : redactedError(e, secrets);
  }
}
