// Every external command the service layer runs (launchctl, pmset, osascript,
// caffeinate) goes through one injectable runner, so tests assert the exact
// calls without a Mac. No shell is ever involved.
import { execFile } from 'node:child_process';

export interface RunResult { code: number; stdout: string; stderr: string }
export type CommandRunner = (cmd: string, args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<RunResult>;

export const execRunner: CommandRunner = (cmd, args, opts = {}) =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 15_000, maxBuffer: 4 * 1024 * 1024, shell: false }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      const code = e ? (typeof e.code === 'number' ? e.code : e.code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: e && e.code === 'ENOENT' ? `${cmd}: command not found` : String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });

/** A runner that records calls and answers from a table — for tests and dry runs. */
export function recordingRunner(answer: (cmd: string, args: string[]) => Partial<RunResult> = () => ({})): CommandRunner & { calls: { cmd: string; args: string[]; input?: string }[] } {
  const calls: { cmd: string; args: string[]; input?: string }[] = [];
  const run = (async (cmd: string, args: string[], opts?: { input?: string }) => {
    calls.push({ cmd, args, ...(opts?.input !== undefined ? { input: opts.input } : {}) });
    const a = answer(cmd, args);
    return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
  }) as CommandRunner & { calls: typeof calls };
  run.calls = calls;
  return run;
}
