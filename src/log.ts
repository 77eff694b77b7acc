// One logger for the whole process. Secrets are redacted by key so that a token
// can never reach a log line, whichever module logs the object holding it.
import { pino, destination as pinoDestination, type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.authorization',
  'req.headers.authorization', 'access_token', '*.access_token', 'as_token', '*.as_token', 'hs_token', '*.hs_token',
  'secret', '*.secret', 'password', '*.password',
];

let root: Logger | null = null;

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  const opts = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return pino(opts, destination ? (destination as DestinationStream) : pinoDestination(2));
}

export function log(): Logger {
  root ??= createLogger();
  return root;
}

export function setLogger(l: Logger): void {
  root = l;
}
