// Runs `osascript -` with the script on stdin and the values as argv. No shell
// is ever involved. The child leads its own process group so that a timeout
// can kill everything it started, not just osascript itself.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface OsaRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  spawnError: NodeJS.ErrnoException | null;
  pid: number | undefined;
}

export interface RunOptions {
  binary: string;
  script: string;
  args: string[];
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

const MAX_OUTPUT = 64 * 1024;

export function runOsascript(o: RunOptions): Promise<OsaRun> {
  return new Promise((resolve) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(o.binary, ['-', ...o.args], {
        shell: false,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: o.env ?? process.env,
        windowsHide: true,
      });
    } catch (err) {
      // E2BIG (argv too long) is thrown synchronously, not emitted as 'error'.
      resolve({ exitCode: null, stdout: '', stderr: '', timedOut: false, spawnError: err as NodeJS.ErrnoException, pid: undefined });
      return;
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    let settled = false;

    const killTree = (): void => {
      if (child.pid === undefined) return;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    };
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
      // If something escaped the group and still holds our pipes, 'close' never comes.
      grace = setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); finish(null); }, 2000);
    }, o.timeoutMs);

    const finish = (exitCode: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      // Whatever osascript left behind in its group must not outlive the send.
      if (timedOut) killTree();
      resolve({ exitCode, stdout, stderr, timedOut, spawnError, pid: child.pid });
    };

    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < MAX_OUTPUT) stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < MAX_OUTPUT) stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => { spawnError = err; finish(null); });
    child.on('close', (code) => finish(code));
    // A child that dies before reading stdin makes the write fail with EPIPE; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.script, 'utf8');
  });
}
