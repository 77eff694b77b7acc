// Shared setup for the sender tests: a temp sim folder, a home, an allowed folder,
// and a sender whose PATH finds the fake osascript.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppleScriptSender, type SenderOptions } from '../../src/imessage/send/index.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { waitFor as sharedWaitFor } from '../support/waitFor.ts';

export interface Rig { base: string; simDir: string; home: string; allowed: string; outside: string; sender: AppleScriptSender }

export function rig(t: { after(fn: () => unknown): void }, opts: Partial<SenderOptions> = {}, extraEnv: NodeJS.ProcessEnv = {}): Rig {
  const base = mkdtempSync(join(tmpdir(), 'send-'));
  const dir = join(base, 'sim');
  const home = join(base, 'home');
  const allowed = join(base, 'allowed');
  const outside = join(base, 'outside');
  for (const d of [dir, home, allowed, outside]) mkdirSync(d, { recursive: true });
  const sender = new AppleScriptSender({
    home, timeoutMs: 20_000, allowedFileDirs: [allowed], maxFileBytes: 10 * 1024 * 1024, retryDelayMs: 20,
    env: fakeOsascriptEnv(dir, { HOME: home, FAKE_OSASCRIPT_FLIP_MS: '30', ...extraEnv }), ...opts,
  });
  t.after(async () => { await sender.dispose(); rmSync(base, { recursive: true, force: true }); });
  return { base, simDir: dir, home, allowed, outside, sender };
}

/** Alive means running: a zombie (killed, not yet reaped by an init that never reaps) counts as gone. */
export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

/** The suite's one condition wait (test/support/waitFor.ts); resolves false instead of throwing, for `assert.ok(await waitFor(...), why)`. */
export async function waitFor(cond: () => boolean, ms = 15_000): Promise<boolean> {
  return sharedWaitFor('condition', cond, ms).catch(() => cond());
}
