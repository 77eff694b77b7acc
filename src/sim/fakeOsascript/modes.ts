// How a test asks the fake osascript to misbehave. Read per invocation from
// `<simDir>/fake-osascript.mode` (so a test can change it between sends) or,
// when that file is absent, from env FAKE_OSASCRIPT_MODE. Directives are
// separated by commas, spaces or newlines:
//   fail:<n>[:<form>]  exit 1 with AppleScript error <n> (e.g. -1728, -1743, -600),
//                      only for script form <form> (chat, chat_of_service, participant, buddy) if given
//   hang               start a child process, record both pids, never finish
//   slow:<ms>          wait, then send normally
//   error:<code>       send, but the row gets `error = <code>`
//   ghost              send, but leave only an empty outgoing row with no chat join (macOS 26)
//   any-unresolved     `chat id "any;…"` without a service fails with -1728 (macOS 26)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MODE_FILE = 'fake-osascript.mode';

export type Directive =
  | { kind: 'fail'; osaNumber: number; form?: string }
  | { kind: 'hang' }
  | { kind: 'slow'; ms: number }
  | { kind: 'error'; code: number }
  | { kind: 'ghost' }
  | { kind: 'any-unresolved' };

export function parseModes(text: string): Directive[] {
  const out: Directive[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    if (raw === '' || raw.startsWith('#')) continue;
    const [name, arg, extra] = raw.split(':');
    if (name === 'fail' && arg !== undefined && /^-?\d+$/.test(arg)) out.push(extra ? { kind: 'fail', osaNumber: Number(arg), form: extra } : { kind: 'fail', osaNumber: Number(arg) });
    else if (name === 'hang') out.push({ kind: 'hang' });
    else if (name === 'slow' && arg !== undefined && /^\d+$/.test(arg)) out.push({ kind: 'slow', ms: Number(arg) });
    else if (name === 'error' && arg !== undefined && /^-?\d+$/.test(arg)) out.push({ kind: 'error', code: Number(arg) });
    else if (name === 'ghost') out.push({ kind: 'ghost' });
    else if (name === 'any-unresolved') out.push({ kind: 'any-unresolved' });
    else throw new Error(`fake osascript: unknown mode directive "${raw}"`);
  }
  return out;
}

export function readModes(simDir: string, env: NodeJS.ProcessEnv): Directive[] {
  const file = join(simDir, MODE_FILE);
  if (existsSync(file)) return parseModes(readFileSync(file, 'utf8'));
  return parseModes(env.FAKE_OSASCRIPT_MODE ?? '');
}
