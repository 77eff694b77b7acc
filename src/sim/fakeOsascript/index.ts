// What tests and `demo` use to drive the fake osascript.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_FILE, INVOCATION_LOG } from './files.ts';
import { MODE_FILE } from './modes.ts';

export { HANG_FILE, INVOCATION_LOG, MODE_FILE };
export { UNREADABLE_ATTACHMENT_ERROR } from './execute.ts';

/** The folder holding the `osascript` executable; put it first on PATH. */
export function fakeOsascriptDir(): string {
  return fileURLToPath(new URL('./bin', import.meta.url));
}

/** An environment whose PATH finds the fake first and whose sends land in `simDir`. */
export function fakeOsascriptEnv(simDir: string, extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PATH: `${fakeOsascriptDir()}${delimiter}${base.PATH ?? ''}`, IMESSAGE_SIM_DIR: simDir, ...extra };
}

/** Change how the next invocations behave (see modes.ts); '' or null restores normal sending. */
export function setFakeOsascriptMode(simDir: string, mode: string | null): void {
  const file = join(simDir, MODE_FILE);
  if (mode === null || mode === '') rmSync(file, { force: true });
  else writeFileSync(file, mode);
}

export interface Invocation { at: number; pid: number; argv: string[]; script: string }

/** Every invocation so far, oldest first. */
export function readInvocations(simDir: string): Invocation[] {
  const file = join(simDir, INVOCATION_LOG);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Invocation);
}

/** The pids a `hang` invocation recorded (itself and the child it started). */
export function readHangPids(simDir: string): { pid: number; childPid: number } | null {
  const file = join(simDir, HANG_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; childPid: number }) : null;
}
