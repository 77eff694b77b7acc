// Checks of the Mac itself: permissions, Messages, sleep, the LaunchAgent, disk.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ChatDb } from '../../imessage/db/index.ts';
import { agentStatus } from '../launchAgent.ts';
import { mediaToolCheck } from '../../media/index.ts';
import type { Check, DoctorEnv } from './types.ts';

const FDA_PANE = 'System Settings › Privacy & Security › Full Disk Access';

/** Who needs the grant: under launchd the node binary; from a terminal, the terminal app. */
export function responsibleBinary(env: Pick<DoctorEnv, 'execPath' | 'termProgram'>): string {
  return env.termProgram ? `${env.termProgram} (your terminal app), and ${env.execPath} for the LaunchAgent` : env.execPath;
}

/** First, off a Mac: the bridge needs macOS's Messages; `demo` shows it working anywhere. */
export const notMacOS: Check = async (env) => {
  if (env.platform === 'darwin') return null;
  return {
    id: 'platform', title: 'macOS', ok: false,
    detail: `this machine runs ${env.platform}, not macOS: the bridge reads and sends through Messages on a Mac, so the Mac-only checks (Automation, Messages, sleep, LaunchAgent) are skipped`,
    fix: 'Run the bridge on the Mac signed in to Messages. To try it here, run `imessage-bridge demo` (a simulated Messages with the API and web client).',
  };
};

export const chatDbReadable: Check = async (env) => {
  const path = env.config.imessage.chat_db;
  try {
    const db = ChatDb.open(path, { home: env.home });
    try {
      return { id: 'chatdb', title: 'chat.db readable', ok: true, detail: `${path} (latest ROWID ${db.maxRowid()})` };
    } finally { db.close(); }
  } catch (err) {
    const e = err as Error & { kind?: string; advice?: string };
    const fix = e.kind === 'permission'
      ? `Grant Full Disk Access to ${responsibleBinary(env)} in ${FDA_PANE}, then restart the bridge. After a Node upgrade, toggle the entry off and on.`
      : e.advice ?? `Check imessage.chat_db in the config (now ${path}).`;
    return { id: 'chatdb', title: 'chat.db readable', ok: false, detail: e.message, fix };
  }
};

function addressBooks(dir: string): string[] {
  const files: string[] = [];
  const top = join(dir, 'AddressBook-v22.abcddb');
  if (existsSync(top)) files.push(top);
  const sources = join(dir, 'Sources');
  if (existsSync(sources)) {
    for (const s of readdirSync(sources)) {
      const f = join(sources, s, 'AddressBook-v22.abcddb');
      if (existsSync(f)) files.push(f);
    }
  }
  return files;
}

export const contactsReadable: Check = async (env) => {
  const dir = env.config.imessage.contacts_dir;
  const title = 'Contacts readable';
  let files: string[];
  try { files = addressBooks(dir); } catch (err) {
    return { id: 'contacts', title, ok: false, detail: (err as Error).message, fix: `Grant Full Disk Access to ${responsibleBinary(env)} in ${FDA_PANE}.` };
  }
  if (files.length === 0) return { id: 'contacts', title, ok: false, detail: `no AddressBook database under ${dir}`, fix: 'Open Contacts once on this Mac (signed in to iCloud if your contacts live there); until then mirrors show numbers instead of names.' };
  let people = 0;
  try {
    for (const f of files) {
      const db = new Database(`file:${f}?mode=ro`, { readonly: true, fileMustExist: true });
      try { people += db.prepare('SELECT count(*) FROM ZABCDRECORD').pluck().get() as number; } finally { db.close(); }
    }
  } catch (err) {
    return { id: 'contacts', title, ok: false, detail: (err as Error).message, fix: `Grant Full Disk Access to ${responsibleBinary(env)} in ${FDA_PANE}.` };
  }
  return { id: 'contacts', title, ok: true, detail: `${people} contacts in ${files.length} database(s)` };
};

async function osa(env: DoctorEnv, script: string) {
  return env.run('osascript', ['-'], { input: script, timeoutMs: 10_000 });
}

export const automationAllowed: Check = async (env) => {
  // Harmless: reads Messages' own name, which still needs the Apple Events grant.
  const r = await osa(env, 'tell application "Messages" to get name');
  const title = 'Automation permission for Messages';
  if (r.code === 0) return { id: 'automation', title, ok: true, detail: 'granted' };
  if (/\(-1743\)/.test(r.stderr)) {
    return { id: 'automation', title, ok: false, detail: 'denied (-1743)', fix: `Open System Settings › Privacy & Security › Automation and enable Messages under ${responsibleBinary(env)}. If there is no entry, run \`imessage-bridge doctor\` once from Terminal in the logged-in session to get the prompt.` };
  }
  return { id: 'automation', title, ok: false, detail: r.stderr.trim() || `osascript exit ${r.code}`, fix: 'Run this on the Mac that is signed in to Messages, in the logged-in GUI session.' };
};

export const messagesRunning: Check = async (env) => {
  const title = 'Messages running and signed in';
  const running = await osa(env, 'tell application "System Events" to return (exists process "Messages")');
  if (running.code !== 0 || running.stdout.trim() !== 'true') {
    return { id: 'messages', title, ok: false, detail: 'Messages is not running', fix: 'Open Messages and add it to System Settings › General › Login Items so it starts after a reboot.' };
  }
  const accounts = await osa(env, 'tell application "Messages" to return count of (every account whose enabled is true)');
  const n = Number(accounts.stdout.trim());
  if (accounts.code !== 0 || !(n > 0)) {
    return { id: 'messages', title, ok: false, detail: 'no enabled iMessage/SMS account', fix: 'Open Messages › Settings › iMessage and sign in with your Apple ID.' };
  }
  return { id: 'messages', title, ok: true, detail: `${n} account(s) enabled` };
};

export const sleepSettings: Check = async (env) => {
  const title = 'Mac stays awake';
  const g = await env.run('pmset', ['-g']);
  const sleep = /^\s*sleep\s+(\d+)/m.exec(g.stdout)?.[1];
  const assertions = await env.run('pmset', ['-g', 'assertions']);
  const caffeinated = /PreventSystemSleep\s+1/.test(assertions.stdout) || /caffeinate/.test(assertions.stdout);
  if (g.code !== 0) return { id: 'sleep', title, ok: false, detail: 'pmset unavailable', fix: 'Run doctor on the Mac itself.' };
  if (sleep === '0') return { id: 'sleep', title, ok: true, detail: 'system sleep is off' };
  if (caffeinated) return { id: 'sleep', title, ok: true, detail: `system sleep after ${sleep} min, but caffeinate is holding it awake` };
  return { id: 'sleep', title, ok: false, detail: `the Mac sleeps after ${sleep ?? '?'} minutes and nothing keeps it awake`, fix: 'Set `bridge.keep_awake: true` in the config (the bridge runs caffeinate), or run `sudo pmset -a sleep 0`.' };
};

export const launchAgentLoaded: Check = async (env) => {
  const s = await agentStatus(env.home, env.serviceLabel, env.uid, env.run);
  const title = 'LaunchAgent installed and loaded';
  if (!s.installed) return { id: 'launchagent', title, ok: false, detail: `no ${s.plist}`, fix: `imessage-bridge service install --config ${env.configPath ?? 'config.yaml'}` };
  if (!s.loaded) return { id: 'launchagent', title, ok: false, detail: 'installed but not loaded', fix: `launchctl bootstrap gui/${env.uid} ${s.plist}` };
  return { id: 'launchagent', title, ok: true, detail: s.pid ? `running, pid ${s.pid}` : 'loaded' };
};

/** Which converter makes photos and voice messages playable here (sips/afconvert, ffmpeg, or the bundled decoder). */
export const mediaTools: Check = async (env) => {
  if (!env.config.bridge.media.convert) return { id: 'media', title: 'Media conversion', ok: true, detail: 'off (bridge.media.convert: false): files are sent as Messages stored them' };
  return mediaToolCheck({ platform: env.platform, path: env.toolPath });
};

export const apiLoopback: Check = async (env) => {
  const api = env.config.api;
  if (!api) return null;
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(api.host) || api.host.startsWith('127.');
  return loopback
    ? { id: 'api', title: 'API bound to loopback', ok: true, detail: `${api.host}:${api.port}` }
    : { id: 'api', title: 'API bound to loopback', ok: false, detail: `bound to ${api.host}${api.allow_remote ? ' (allow_remote is on)' : ''}`, fix: 'Set api.host to 127.0.0.1 and reach it with `ssh -N -L 8787:127.0.0.1:8787 mac` or Tailscale Serve.' };
};

export const diskSpace: Check = async (env) => {
  let dir = dirname(env.config.bridge.database);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const free = env.freeBytes(dir);
  const mb = Math.floor(free / 1024 / 1024);
  return free >= 500 * 1024 * 1024
    ? { id: 'disk', title: 'Disk space for the bridge database', ok: true, detail: `${mb} MB free in ${dir}` }
    : { id: 'disk', title: 'Disk space for the bridge database', ok: false, detail: `only ${mb} MB free in ${dir}`, fix: 'Free at least 500 MB, or move bridge.database to a larger volume.' };
};
