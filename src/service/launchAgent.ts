// The LaunchAgent: it must be an agent in the user's GUI session (a daemon
// can't talk to Messages), with absolute paths because launchd has no PATH.
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import plist from 'plist';
import type { CommandRunner } from './runner.ts';

export const DEFAULT_LABEL = 'com.github.imessage-bridge';

export interface AgentSpec {
  label: string;
  home: string;
  nodePath: string;
  scriptPath: string;
  configPath: string;
  uid: number;
  /** PATH for the agent; launchd's default lacks Homebrew. */
  path?: string;
  /** Default: this machine's. LaunchAgents exist only on macOS (darwin). */
  platform?: NodeJS.Platform;
}

export const plistPath = (home: string, label: string) => join(home, 'Library/LaunchAgents', `${label}.plist`);
export const logDir = (home: string) => join(home, 'Library/Logs/imessage-bridge');

export function buildPlist(s: AgentSpec): Record<string, plist.PlistValue> {
  const logs = logDir(s.home);
  return {
    Label: s.label,
    ProgramArguments: [resolve(s.nodePath), resolve(s.scriptPath), 'run', '--config', resolve(s.configPath)],
    WorkingDirectory: dirname(resolve(s.configPath)),
    EnvironmentVariables: {
      PATH: s.path ?? '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      IMESSAGE_BRIDGE_LOG_DIR: logs,
    },
    RunAtLoad: true,
    // Restart after crashes, but not after a clean `service uninstall`/SIGTERM exit.
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    // Interactive avoids the CPU and I/O throttling launchd applies to background jobs.
    ProcessType: 'Interactive',
    StandardOutPath: join(logs, 'stdout.log'),
    StandardErrorPath: join(logs, 'stderr.log'),
  };
}

export function renderPlist(s: AgentSpec): string {
  return plist.build(buildPlist(s));
}

export class ServiceError extends Error {
  constructor(message: string, readonly advice: string) { super(message); this.name = 'ServiceError'; }
}

const domain = (uid: number) => `gui/${uid}`;

/** Throws off macOS. Called before anything touches the disk: a plist written there would make `service status` report "installed: yes" for a service that can never run. */
export function refuseOffMac(platform: NodeJS.Platform = process.platform): void {
  if (platform === 'darwin') return;
  throw new ServiceError(`the service is a macOS LaunchAgent, and this machine runs ${platform}: nothing was installed`,
    'Install it on the Mac signed in to Messages. Here you can try the bridge with `imessage-bridge demo`, or run it in the foreground with `imessage-bridge run`.');
}

export async function installAgent(s: AgentSpec, run: CommandRunner): Promise<string> {
  refuseOffMac(s.platform ?? process.platform);
  const file = plistPath(s.home, s.label);
  const existed = existsSync(file);
  mkdirSync(dirname(file), { recursive: true });
  mkdirSync(logDir(s.home), { recursive: true });
  // Re-installing must replace a loaded job: bootout first, ignoring "not loaded".
  if (existsSync(file)) await run('launchctl', ['bootout', `${domain(s.uid)}/${s.label}`]);
  writeFileSync(file, renderPlist(s), { mode: 0o644 });
  const r = await run('launchctl', ['bootstrap', domain(s.uid), file]);
  if (r.code !== 0) {
    // Not loaded means not installed: leave no plist behind that says otherwise.
    if (!existed) rmSync(file, { force: true });
    throw new ServiceError(`launchctl bootstrap failed: ${r.stderr.trim() || `exit ${r.code}`}`,
      'Run this from the logged-in user session (not over plain ssh), or log in once at the Mac and retry.');
  }
  return file;
}

export async function uninstallAgent(home: string, label: string, uid: number, run: CommandRunner): Promise<boolean> {
  const file = plistPath(home, label);
  await run('launchctl', ['bootout', `${domain(uid)}/${label}`]);
  const existed = existsSync(file);
  rmSync(file, { force: true });
  return existed;
}

export interface AgentStatus { installed: boolean; loaded: boolean; pid: number | null; lastExit: number | null; plist: string }

export async function agentStatus(home: string, label: string, uid: number, run: CommandRunner): Promise<AgentStatus> {
  const file = plistPath(home, label);
  const installed = existsSync(file);
  const r = await run('launchctl', ['print', `${domain(uid)}/${label}`]);
  const loaded = r.code === 0;
  const pid = /\bpid = (\d+)/.exec(r.stdout)?.[1];
  const exit = /last exit code = (-?\d+)/.exec(r.stdout)?.[1];
  return { installed, loaded, pid: pid ? Number(pid) : null, lastExit: exit ? Number(exit) : null, plist: file };
}

export function readInstalledPlist(home: string, label: string): Record<string, unknown> | null {
  const file = plistPath(home, label);
  return existsSync(file) ? (plist.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null;
}
