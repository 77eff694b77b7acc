// Runs `imessage-bridge demo` as a child process, the way a user would, and
// reads the URL and token it prints.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

/**
 * The gateway serves web/dist, read once at start: build it when missing or
 * older than web/src. Test files run in parallel, so builds take a lock dir.
 */
export function ensureWebBuilt(): void {
  const index = join(REPO, 'web/dist/index.html');
  const lock = join(REPO, 'web/.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building; a lock older than 3 minutes is from a crash.
      try { if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() > deadline) throw new Error(`web/dist is not built and ${lock} is held; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      continue;
    }
    try {
      if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
      execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit', timeout: 120_000 });
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function newestSource(): number {
  const walk = (dir: string): number => Math.max(0, ...readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return Math.max(walk(join(REPO, 'web/src')), statSync(join(REPO, 'web/index.html')).mtimeMs, statSync(join(REPO, 'web/vite.config.ts')).mtimeMs);
}

export async function startDemo(o: { chatterSeconds: number; startTimeoutMs?: number }): Promise<DemoChild> {
  const dir = mkdtempSync(join(tmpdir(), 'imb-web-demo-'));
  // Its own process group, so stop() can prove nothing it started lingers.
  const child = spawn(process.execPath, [join(REPO, 'bin/imessage-bridge.js'), 'demo', '--port', '0', '--chatter', String(o.chatterSeconds), '--dir', dir], {
    cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn', NO_COLOR: '1' },
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
    rmSync(dir, { recursive: true, force: true });
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
export function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

function killGroup(pgid: number): void {
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
}
