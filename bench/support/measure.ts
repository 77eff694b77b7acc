// One timed run of a command: wall time, and on Linux CPU time and peak RSS of
// the whole process (all its threads) from /proc, polled until it exits. The
// peak is the kernel's own high-water mark (VmHWM), so polling misses nothing
// but the last moments.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

export interface RunFigures { seconds: number; cpuSeconds: number | null; peakRssMb: number | null }

const TICKS = 100; // USER_HZ on Linux

function sample(pid: number): { hwmKb: number; cpuTicks: number } | null {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th overall.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie (exited, not yet reaped) has no memory lines: keep the last live sample.
    return hwm ? { hwmKb: Number(hwm[1]), cpuTicks: Number(f[11]) + Number(f[12]) } : null;
  } catch {
    return null;
  }
}

/** Runs `cmd args` with stdout to `stdoutFile` (e.g. /dev/null); fails on a non-zero exit. */
export async function measure(cmd: string, args: string[], stdoutFile = '/dev/null', env: NodeJS.ProcessEnv = process.env): Promise<RunFigures> {
  const out = openSync(stdoutFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', out, 'pipe'], env });
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let last: { hwmKb: number; cpuTicks: number } | null = null;
  const poll = setInterval(() => { last = (child.pid && sample(child.pid)) || last; }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
  const l = last as { hwmKb: number; cpuTicks: number } | null;
  return { seconds, cpuSeconds: l ? l.cpuTicks / TICKS : null, peakRssMb: l ? Math.round(l.hwmKb / 1024) : null };
}
