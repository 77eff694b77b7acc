// One logger for the whole process. Secrets are redacted by key so that a token
// can never reach a log line, whichever module logs the object holding it; and
// errors are serialized without URL-embedded tokens (Discord webhook and
// interaction routes carry theirs in the path) or request bodies (private text).
// Last, every line is scrubbed of anything shaped like an API token, whatever
// key, message or URL carries it: a key list can't foresee `?bearer=imb_…`.
import { pino, stdSerializers, destination as pinoDestination, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export const REDACT_PATHS = [
  'token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.authorization',
  'req.headers.authorization', 'access_token', '*.access_token', 'as_token', '*.as_token', 'hs_token', '*.hs_token',
  'secret', '*.secret', 'password', '*.password',
];

/**
 * An API token: `imb_` and 43 base64url characters (32 random bytes, see
 * src/api/tokens.ts). Anything at least that long is treated as one.
 */
export const API_TOKEN_SHAPE = /imb_[A-Za-z0-9_-]{43,}/g;
export const TOKEN_CENSOR = 'imb_[redacted]';

const SECRET_IN_URL: [RegExp, string][] = [
  [API_TOKEN_SHAPE, TOKEN_CENSOR],
  [/(\/webhooks\/\d+\/)[^/?#\s"]+/g, '$1[redacted]'],
  [/(\/interactions\/\d+\/)[^/?#\s"]+/g, '$1[redacted]'],
  [/([?&](?:access_token|token|api_key|key)=)[^&#\s"]+/gi, '$1[redacted]'],
  [/(Bearer |Bot )[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]'],
];

export function scrubSecrets(text: string): string {
  return SECRET_IN_URL.reduce((s, [re, to]) => s.replace(re, to), text);
}

const BODY_KEYS = new Set(['requestBody', 'rawError', 'body', 'data']);

/** pino's error serializer, minus anything that can carry a secret or private text. */
export function safeErr(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) {
    if (BODY_KEYS.has(k)) delete out[k];
    else if (typeof v === 'string') out[k] = scrubSecrets(v);
  }
  return out;
}

let root: Logger | null = null;

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  const opts = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: safeErr, error: safeErr },
    base: { pid: process.pid },
    // The serialized line, so no key, message or nested string escapes it.
    hooks: { streamWrite: (line: string) => line.replace(API_TOKEN_SHAPE, TOKEN_CENSOR) },
  };
  return pino(opts, destination ? (destination as DestinationStream) : pinoDestination(2));
}

/**
 * The logger of a command run by a person: readable lines with local times on
 * a terminal, JSON lines (for launchd's log file and log tools) otherwise.
 * LOG_FORMAT=pretty|json overrides the guess.
 */
export function terminalLogger(level: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, force?: 'pretty' | 'json'): Logger {
  const format = force ?? process.env.LOG_FORMAT ?? (stream.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return createLogger(level, stream === process.stderr ? undefined : stream);
  const pretty = PinoPretty({
    destination: stream,
    colorize: Boolean(stream.isTTY) && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    sync: true,
  });
  return createLogger(level, pretty);
}

export function log(): Logger {
  root ??= createLogger();
  return root;
}

export function setLogger(l: Logger): void {
  root = l;
}
