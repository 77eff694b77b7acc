// A cached virtualenv holding a pinned Synapse. Installed once per machine
// (first run takes a minute or two), reused while the pinned version matches.
// A lock directory keeps parallel test files from installing twice.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { pause } from '../waitFor.ts';

export const SYNAPSE_VERSION = '1.163.2';

export class SynapseSetupError extends Error {
  constructor(message: string, readonly advice: string, readonly output = '') {
    super(`${message}\n  advice: ${advice}${output ? `\n  output (tail):\n${output.slice(-3000)}` : ''}`);
    this.name = 'SynapseSetupError';
  }
}

export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'imessage-bridge');
}

export const venvDir = (): string => join(cacheRoot(), 'synapse-venv');
const marker = (dir: string): string => join(dir, 'INSTALLED_VERSION');

export function venvPython(): string {
  return join(venvDir(), 'bin', 'python');
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    const timer = setTimeout(() => { out += `\n[killed after ${timeoutMs} ms]`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, out: `${out}\n${e.message}` }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

const installed = (): boolean => existsSync(marker(venvDir())) && readFileSync(marker(venvDir()), 'utf8').trim() === SYNAPSE_VERSION;

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Take the install lock; a lock left by a dead process is broken. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(cacheRoot(), 'synapse-venv.lock');
  mkdirSync(cacheRoot(), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      if (owner && !pidAlive(owner)) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new SynapseSetupError('timed out waiting for another Synapse install', `remove ${lock} if no install is running`);
      await pause(500); // poll interval of a condition wait whose failure is a SynapseSetupError with advice
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

/** Make sure the venv with the pinned Synapse exists; returns its python. */
export async function ensureSynapseVenv(): Promise<string> {
  if (installed()) return venvPython();
  return withLock(async () => {
    if (installed()) return venvPython();
    const python = process.env.SYNAPSE_PYTHON ?? 'python3';
    // Build beside the final place and rename: a half-built venv is never used.
    const building = `${venvDir()}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const mk = await run(python, ['-m', 'venv', building], 120_000);
    if (mk.code !== 0) throw new SynapseSetupError(`could not create a Python venv with ${python}`, 'install Python 3.10+ with the venv module, or set SYNAPSE_PYTHON', mk.out);
    const pip = await run(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--only-binary=matrix-synapse', `matrix-synapse==${SYNAPSE_VERSION}`], 15 * 60_000);
    if (pip.code !== 0) {
      rmSync(building, { recursive: true, force: true });
      throw new SynapseSetupError(`pip could not install matrix-synapse==${SYNAPSE_VERSION}`, 'check that PyPI is reachable (or a pip mirror is configured via PIP_INDEX_URL)', pip.out);
    }
    writeFileSync(marker(building), SYNAPSE_VERSION);
    rmSync(venvDir(), { recursive: true, force: true });
    renameSync(building, venvDir());
    return venvPython();
  });
}
