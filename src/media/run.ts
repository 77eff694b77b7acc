// Every converter is a child process started with an argv array (never a
// shell), so conversion never blocks the event loop, a hung tool is killed at
// the deadline, and a crash in a decoder can't take the bridge down.
import { spawn } from 'node:child_process';

export class ToolFailed extends Error {
  constructor(readonly tool: string, message: string, readonly timedOut = false) { super(message); }
}

export interface RunOptions { timeoutMs: number; env?: NodeJS.ProcessEnv; maxStdoutBytes?: number }

/** Run `cmd argv…`; resolves with stdout, rejects with the tail of stderr. */
export function run(cmd: string, argv: string[], o: RunOptions): Promise<Buffer> {
  const tool = cmd.split('/').pop() ?? cmd;
  const maxOut = o.maxStdoutBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    // Its own process group, so a deadline also ends whatever the tool started.
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env, shell: false, detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      reject(new ToolFailed(tool, `${tool} took longer than ${Math.round(o.timeoutMs / 100) / 10} s`, true));
    }, o.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > maxOut) { killGroup(child.pid); return; }
      out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString('utf8')).slice(-2000); });
    child.on('error', (e) => { clearTimeout(timer); reject(new ToolFailed(tool, `${tool} could not start: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return;
      if (outBytes > maxOut) return reject(new ToolFailed(tool, `${tool} wrote more than ${maxOut} bytes`));
      if (code !== 0) return reject(new ToolFailed(tool, `${tool} failed (${signal ?? `exit ${code}`}): ${lastLine(err)}`));
      resolve(Buffer.concat(out));
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}

const lastLine = (s: string): string => s.trim().split('\n').filter(Boolean).pop()?.trim() ?? 'no message';
