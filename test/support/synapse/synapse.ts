// Starts a real Synapse for a test file: cached venv, fresh config and data dir,
// free loopback port, health check, shared-secret registration. Failing to
// start throws with Synapse's own log tail: tests fail loudly, never skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureSynapseVenv, SynapseSetupError } from './venv.ts';
import { synapseConfig, synapseLogConfig } from './config.ts';
import { pause } from '../waitFor.ts';

export interface RegisteredUser { userId: string; accessToken: string; deviceId: string }

export interface Synapse {
  url: string;
  serverName: string;
  dir: string;
  registerUser(name: string, admin?: boolean): Promise<RegisteredUser>;
  /** Stop (SIGTERM, then SIGKILL); `keepData` allows a restart on the same dir. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Start again on the same port and data (for restart tests). */
  restart(): Promise<void>;
  logTail(): string;
}

export interface StartSynapseOptions {
  appserviceRegistration?: Record<string, unknown>;
  /** Several appservices (a team's bridges): Synapse reads them all at start. */
  appserviceRegistrations?: Array<Record<string, unknown>>;
  serverName?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => { exited = code ?? -1; });
  for (;;) {
    if (exited !== null) throw new SynapseSetupError(`Synapse exited with code ${exited} during startup`, 'read the log below', tail(logFile, child));
    try {
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new SynapseSetupError(`Synapse did not become healthy within ${timeoutMs / 1000}s`, 'the machine may be overloaded; read the log below', tail(logFile, child));
    await pause(200); // poll interval of a condition wait whose failure is a SynapseSetupError with advice
  }
}

const outputs = new WeakMap<ChildProcess, string>();
function tail(logFile: string, child?: ChildProcess): string {
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return `${(child && outputs.get(child)) ?? ''}\n${log}`.slice(-4000);
}

export async function startSynapse(opts: StartSynapseOptions = {}): Promise<Synapse> {
  const python = await ensureSynapseVenv();
  const dir = mkdtempSync(join(tmpdir(), 'synapse-'));
  const port = await freePort();
  const serverName = opts.serverName ?? 'localhost';
  const sharedSecret = randomBytes(16).toString('hex');
  const appserviceFiles: string[] = [];
  const registrations = [...(opts.appserviceRegistration ? [opts.appserviceRegistration] : []), ...(opts.appserviceRegistrations ?? [])];
  for (const [i, reg] of registrations.entries()) {
    const f = join(dir, i === 0 ? 'appservice.yaml' : `appservice-${i}.yaml`);
    writeFileSync(f, stringify(reg));
    appserviceFiles.push(f);
  }
  const configFile = join(dir, 'homeserver.yaml');
  writeFileSync(configFile, synapseConfig({ dir, port, serverName, sharedSecret, appserviceFiles }));
  writeFileSync(join(dir, 'log.yaml'), synapseLogConfig(dir));
  const logFile = join(dir, 'homeserver.log');
  const url = `http://127.0.0.1:${port}`;

  const gen = spawn(python, ['-m', 'synapse.app.homeserver', '-c', configFile, '--generate-keys'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let genOut = '';
  gen.stdout?.on('data', (b: Buffer) => { genOut += b.toString(); });
  gen.stderr?.on('data', (b: Buffer) => { genOut += b.toString(); });
  const genCode = await new Promise<number | null>((r) => gen.on('close', r));
  if (genCode !== 0) throw new SynapseSetupError('Synapse could not generate its signing key', 'read the output below', genOut);

  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(python, ['-m', 'synapse.app.homeserver', '-c', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SYNAPSE_ASYNC_IO_REACTOR: '0' } });
    const c = child;
    outputs.set(c, '');
    const keep = (b: Buffer): void => { outputs.set(c, ((outputs.get(c) ?? '') + b.toString()).slice(-4000)); };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    try {
      await waitHealthy(url, c, logFile, 120_000);
    } catch (e) {
      c.kill('SIGKILL');
      throw e;
    }
  };
  await launch();

  const halt = async (): Promise<void> => {
    const c = child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  return {
    url, serverName, dir,
    async registerUser(name, admin = false) {
      const { nonce } = await (await fetch(`${url}/_synapse/admin/v1/register`)).json() as { nonce: string };
      const password = randomBytes(12).toString('hex');
      const mac = createHmac('sha1', sharedSecret).update(`${nonce}\0${name}\0${password}\0${admin ? 'admin' : 'notadmin'}`).digest('hex');
      const r = await fetch(`${url}/_synapse/admin/v1/register`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nonce, username: name, password, admin, mac }),
      });
      const body = await r.json() as { user_id?: string; access_token?: string; device_id?: string; error?: string };
      if (!r.ok || !body.user_id || !body.access_token) throw new Error(`registering ${name} failed: ${r.status} ${JSON.stringify(body)}`);
      return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id ?? '' };
    },
    async stop(o = {}) {
      await halt();
      if (!o.keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    logTail: () => tail(logFile, child),
  };
}
