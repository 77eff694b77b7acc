// Keeps the Mac awake while the bridge runs. `-w <pid>` makes caffeinate exit
// by itself when we die, so a crash never leaves the Mac sleepless forever.
import { spawn, type ChildProcess } from 'node:child_process';

export type Spawner = (cmd: string, args: string[]) => Pick<ChildProcess, 'kill' | 'on'>;

export const caffeinateArgs = (pid: number) => ['-i', '-s', '-w', String(pid)];

export function keepAwake(o: { enabled: boolean; platform?: NodeJS.Platform; pid?: number; spawner?: Spawner }): { stop(): void } | null {
  const platform = o.platform ?? process.platform;
  if (!o.enabled || platform !== 'darwin') return null;
  const spawner: Spawner = o.spawner ?? ((cmd, args) => spawn(cmd, args, { stdio: 'ignore', shell: false }));
  const child = spawner('/usr/bin/caffeinate', caffeinateArgs(o.pid ?? process.pid));
  child.on('error', () => { /* reported by doctor; the bridge itself keeps running */ });
  return { stop: () => { child.kill('SIGTERM'); } };
}
