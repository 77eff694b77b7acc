// Runs `imessage-bridge demo` as a child process, the way a user would, and
// reads the URL and token it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { ensureWebClient } from '../../../src/demo/webBuild.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface DemoChild {
  child: ChildProcess;
  url: string;
  token: string;
  dir: string;
  /** Everything printed so far (stdout + stderr). */
  output(): string;
  /** Resolves when `pattern` has been printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL to the whole group if it lingers; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Builds web/dist when missing or older than web/ (what the demo itself does on start). */
export async function ensureWebBuilt(): Promise<void> {
  await ensureWebClient();
}

export interface SpawnOptions {
  /** The command line; default: `node bin/imessage-bridge.js demo --port 0 --dir <temp> --chatter N`. */
  command?: string[];
  cwd?: string;
  env?: Record<string, string>;
  chatterSeconds?: number;
  startTimeoutMs?: number;
  /** Remove this folder on stop (default: the temp --dir made here). */
  ownDir?: string | null;
}

export async function startDemo(o: SpawnOptions & { chatterSeconds: number }): Promise<DemoChild> {
  const dir = mkdtempSync(join(tmpdir(), 'imb-web-demo-'));
  return spawnDemo({ ...o, command: o.command ?? [process.execPath, join(REPO, 'bin/imessage-bridge.js'), 'demo', '--port', '0', '--chatter', String(o.chatterSeconds), '--dir', dir], ownDir: dir });
}

/** Spawns a demo command line and waits for its URL and token. */
export async function spawnDemo(o: SpawnOptions): Promise<DemoChild> {
  const [cmd, ...args] = o.command!;
  const dir = o.ownDir ?? '';
  // Its own process group, so stop() can prove nothing it started lingers.
  const child = spawn(cmd!, args, {
    cwd: o.cwd ?? REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn', NO_COLOR: '1', ...o.env },
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer): void => { out += b.toString('utf8'); for (const w of [...waiters]) w(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => { exited = code; for (const w of [...waiters]) w(); resolve(code); }));

  const waitFor = (pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> => new Promise((resolve, reject) => {
    const check = (): void => {
      const m = out.match(pattern);
      if (m) { done(); resolve(m); } else if (exited !== undefined) { done(); reject(new Error(`demo exited (${exited}) before printing ${pattern}:\n${out}`)); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`demo did not print ${pattern} within ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    const done = (): void => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });

  const stop = async (): Promise<number | null> => {
    if (exited === undefined) child.kill('SIGTERM');
    const code = await Promise.race([exit, new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000).unref())]);
    killGroup(child.pid!);
    if (dir) rmSync(dir, { recursive: true, force: true });
    return code === 'late' ? null : code;
  };

  try {
    const [, url] = await waitFor(/^Web client: (http:\/\/\S+?)\/?$/m, o.startTimeoutMs ?? 45_000);
    const [, token] = await waitFor(/^API token:\s+(\S+)$/m, 5_000);
    return { child, url: url!, token: token!, dir, output: () => out, waitFor, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** True while any process of the group `pgid` is alive. */
/** Waits for the process to exit by itself (after a signal the test sent). */
export function exitOf(child: ChildProcess, timeoutMs = 20_000): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return Promise.race([new Promise<number | null>((r) => child.once('exit', (code) => r(code))), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref())]);
}

export function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

function killGroup(pgid: number): void {
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
}
