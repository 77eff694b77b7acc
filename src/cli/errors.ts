// Every error a user can cause ends here: one clear sentence and a non-zero
// exit, never a stack trace (unless DEBUG is set).
import { ConfigError } from '../config/load.ts';

export interface UserFacingError extends Error {
  /** A plain-language hint on how to fix it. */
  advice?: string;
  exitCode?: number;
}

export function reportAndExit(err: unknown): never {
  const e = err as UserFacingError;
  if (err instanceof ConfigError) {
    process.stderr.write(`invalid config ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${e?.message ?? String(err)}\n`);
  if (e?.advice) process.stderr.write(`${e.advice}\n`);
  if (process.env.DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(e?.exitCode ?? 1);
}
