// Every error a user can cause ends here: one clear sentence and a non-zero
// exit, never a stack trace (unless DEBUG is set).
import { ConfigError } from '../config/load.ts';

export interface UserFacingError extends Error {
  /** A plain-language hint on how to fix it. */
  advice?: string;
  exitCode?: number;
}

/** System errors a person can fix, turned into a sentence and advice. */
function explain(err: NodeJS.ErrnoException & { address?: string; port?: number }): { message: string; advice: string } | null {
  if (err.code === 'EADDRINUSE') {
    const where = err.port !== undefined ? `${err.address ?? ''}:${err.port}` : 'the address';
    return {
      message: `port ${err.port ?? '?'} is already in use (listening on ${where}).`,
      advice: `Another program, or a second bridge, holds it: find it with \`lsof -nP -iTCP:${err.port ?? '<port>'} -sTCP:LISTEN\` (on a Mac, \`launchctl list | grep imessage\` shows a LaunchAgent bridge), stop it, or choose another port (api.port, or matrix.appservice.port for the appservice listener) and check with \`imessage-bridge config check\`.`,
    };
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return { message: `cannot listen on ${err.address ?? 'that address'}: it is not an address of this machine.`, advice: 'Use 127.0.0.1 (api.host / matrix.appservice.bind_address), and reach it from elsewhere through an ssh tunnel.' };
  }
  return null;
}

export function reportAndExit(err: unknown): never {
  const e = err as UserFacingError;
  if (err instanceof ConfigError) {
    process.stderr.write(`invalid config ${err.message}\n`);
    process.exit(2);
  }
  const known = e && typeof e === 'object' ? explain(e as NodeJS.ErrnoException) : null;
  process.stderr.write(`error: ${known?.message ?? e?.message ?? String(err)}\n`);
  const advice = known?.advice ?? e?.advice;
  if (advice) process.stderr.write(`${advice}\n`);
  if (process.env.DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(e?.exitCode ?? 1);
}
