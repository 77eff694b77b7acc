// `imessage-bridge demo`: the whole bridge on any machine. A simulated
// Messages (database + fake osascript) stands in for the Mac; everything else
// is the real code path: watcher, core, outbox, connectors, API, web client.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { defaultConfig } from '../config/load.ts';
import { apiSection } from '../config/sections/api.ts';
import { startBridge, type Part, type RunningBridge } from '../daemon.ts';
import { MessagesSimulator } from '../sim/simulator.ts';
import { startLiveChatter } from '../sim/samples.ts';
import { SIM_FILE } from '../sim/files.ts';
import { seedDemoContent, type DemoChats } from './content.ts';
import { ensureWebClient } from './webBuild.ts';
import { DemoError } from './errors.ts';
import { fakeOsascriptEnv } from '../sim/fakeOsascript/index.ts';
import { connectorsFromConfig } from '../connectors/index.ts';
import { apiPart } from '../parts/api.ts';
import { TokenStore } from '../api/tokens.ts';
import type { RunningApi } from '../api/index.ts';
import { ChatDb } from '../imessage/db/index.ts';
import { ContactBook } from '../imessage/contacts/index.ts';
import type { IMessage } from '../imessage/model.ts';
import { groupEventSentence, tapbackSentence } from '../core/presentation/lines.ts';
import { apiKit } from '../core/kit/api.ts';

export interface DemoOptions {
  dir?: string;
  port: number;
  /** The user asked for this port: fail if it is taken instead of picking another. */
  portExplicit?: boolean;
  /** Discord/Matrix sections to mirror into (their imessage/bridge/api settings are replaced). */
  base?: Config;
  chatterMs: number;
  out: (line: string) => void;
  log: Logger;
}

export interface RunningDemo { bridge: RunningBridge; api: RunningApi; token: string; sim: MessagesSimulator; dir: string; stop(): Promise<void> }

const REPLIES = ['Got it, thanks!', 'Perfect 👌', 'Haha ok', 'See you soon', 'Sounds good to me'];

export function demoConfig(dir: string, sim: MessagesSimulator, port: number, base?: Config): Config {
  const d = base ?? defaultConfig();
  return {
    ...d,
    imessage: { ...d.imessage, chat_db: sim.dbPath, contacts_dir: join(sim.home, 'Library/Application Support/AddressBook'), poll_interval_ms: 1000, send: { ...d.imessage.send, osascript: 'osascript', timeout_ms: 15_000, confirm_timeout_ms: 10_000 } },
    bridge: { ...d.bridge, database: join(dir, 'bridge', 'bridge.db'), keep_awake: false },
    api: { ...apiSection.parse({}), ...(d.api ?? {}), host: '127.0.0.1', port, allow_remote: false, web_client: true },
  };
}

export async function runDemo(o: DemoOptions): Promise<RunningDemo> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new DemoError('The port must be a number from 0 to 65535.', 'Use --port 8787, or --port 0 for any free port.');
  if (!Number.isFinite(o.chatterMs) || o.chatterMs < 0) throw new DemoError('--chatter must be a number of seconds (0 for none).', 'For example: --chatter 6.');
  await ensureWebClient(o.out);
  const folder = demoFolder(o.dir);
  let sim: MessagesSimulator | null = null;
  try {
    const opened = openSimulator(folder.path);
    sim = opened.sim;
    return await startDemo(o, folder, sim, opened.chats);
  } catch (err) {
    try { sim?.close({ pending: 'drop' }); } catch { /* already closed */ }
    folder.remove();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DemoError(`Port ${o.port} is in use.`, 'Pick another one with --port, or leave --port out to let the demo choose a free one.');
    throw err;
  }
}

interface DemoFolder { path: string; reused: boolean; remove(): void }

/**
 * `--dir` is kept (and reused by the next run); the default temp folder is
 * removed on stop, on a failed start and, as a last resort, at process exit.
 */
function demoFolder(dir: string | undefined): DemoFolder {
  if (dir) {
    const path = resolve(dir);
    const simDir = join(path, 'messages');
    if (existsSync(simDir) && !existsSync(join(simDir, SIM_FILE)) && readdirSync(simDir).length > 0) {
      throw new DemoError(`${simDir} exists but was not made by the demo.`, 'Pass --dir an empty folder, or one an earlier demo run used.');
    }
    mkdirSync(path, { recursive: true });
    return { path, reused: existsSync(join(simDir, SIM_FILE)), remove: () => undefined };
  }
  const path = mkdtempSync(join(tmpdir(), 'imessage-bridge-demo-'));
  const remove = (): void => { rmSync(path, { recursive: true, force: true }); process.off('exit', remove); };
  process.on('exit', remove);
  return { path, reused: false, remove };
}

function openSimulator(dir: string): { sim: MessagesSimulator; chats: DemoChats | undefined } {
  const simDir = join(dir, 'messages');
  if (existsSync(join(simDir, SIM_FILE))) return { sim: MessagesSimulator.open(simDir), chats: undefined };
  const sim = MessagesSimulator.create({ dir: simDir, version: 'sequoia' });
  return { sim, chats: seedDemoContent(sim) };
}

async function startDemo(o: DemoOptions, folder: DemoFolder, sim: MessagesSimulator, chats: DemoChats | undefined): Promise<RunningDemo> {
  // The fake osascript is found through PATH by the real sender, exactly as
  // /usr/bin/osascript would be on a Mac.
  Object.assign(process.env, fakeOsascriptEnv(sim.dir));
  const port = await choosePort(o.port, o.portExplicit === true, o.out);
  const config = demoConfig(folder.path, sim, port, o.base);
  if (folder.reused) o.out(`Reusing the demo in ${folder.path} (its messages and sends are kept).`);
  printSnapshot(config, o.out);

  let api: RunningApi | null = null;
  // Names from the simulated Contacts, so the web client shows people, not handles.
  const api_ = apiPart(config, o.log, (a) => { api = a; });
  const answering: Part = {
    // The simulated contacts answer what you send them, so a reply round-trips.
    start(core) {
      const off = core.onEvent((env, raw) => {
        if (env.event.type !== 'message' || !raw.fromMe || !raw.chatGuid) return;
        const chat = sim.findChat(raw.chatGuid);
        const from = chat?.participants[0];
        if (!chat || !from) return;
        setTimeout(() => { try { sim.receive(chat, { from, text: REPLIES[raw.rowid % REPLIES.length]! }); } catch { /* sim closed */ } }, 1500).unref();
      });
      answering.stop = () => { off(); };
    },
    stop() { /* replaced on start */ },
  };
  const printer: Part = {
    start(core) {
      const contacts = new ContactBook({ dir: config.imessage.contacts_dir, defaultRegion: 'US' });
      const off = core.onEvent((env, raw) => o.out(`  ▸ ${env.event.type.padEnd(11)} ${describe(raw, contacts)}`));
      printer.stop = () => { off(); contacts.close(); };
    },
    stop() { /* replaced on start */ },
  };
  const bridge = await startBridge({
    config, log: o.log, handleSignals: false,
    connectors: (deps) => connectorsFromConfig(config, deps),
    extraParts: [api_!, answering, printer],
  });
  const running = api as RunningApi | null;
  if (!running) { await bridge.stop(); throw new Error('the demo API did not start'); }
  const token = new TokenStore(apiKit(bridge.db).storage).create(['read', 'send'], `demo-${Date.now()}`).token;
  const stopChatter = o.chatterMs > 0 ? startLiveChatter(sim, { intervalMs: o.chatterMs, ...(chats ? { chats } : {}) }) : () => undefined;
  o.out('');
  o.out(`Web client: ${running.url}/`);
  o.out(`API token:  ${token}`);
  o.out(`Try:        curl -H "Authorization: Bearer ${token}" ${running.url}/v1/chats`);
  o.out(`Messages:   ${sim.dbPath} (simulated; ${o.chatterMs > 0 ? `new messages arrive every ${Math.round(o.chatterMs / 1000)} s` : 'no simulated chatter'})`);
  o.out(`Demo files: ${folder.path} (${o.dir ? 'kept: run again with the same --dir to reuse them' : 'removed when the demo stops'})`);
  o.out('Live events:');
  let stopping: Promise<void> | null = null;
  return {
    bridge, api: running, token, sim, dir: folder.path,
    stop: () => (stopping ??= (async () => {
      stopChatter();
      try {
        await bridge.stop();
      } finally {
        try { sim.close({ pending: 'drop' }); } catch { /* already closed */ }
        folder.remove();
      }
    })()),
  };
}

/** The requested port, or, when the default one is taken, any free port (with a note). */
async function choosePort(port: number, explicit: boolean, out: (l: string) => void): Promise<number> {
  if (explicit || port === 0 || await portFree(port)) return port;
  out(`Port ${port} is in use, so the demo uses a free port instead (pick one with --port).`);
  return 0;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => done(true)));
  });
}

/** One line per row, in the words the connectors use (the core's presentation). */
function describe(m: IMessage, contacts: ContactBook): string {
  const nameOf = (handle: string): string => contacts.displayName(handle);
  const who = m.fromMe ? 'Me' : nameOf(m.sender);
  if (m.event) return groupEventSentence(m.event, nameOf);
  if (m.reaction) return tapbackSentence(m.reaction, who);
  const what = m.text || m.attachments.map((a) => `[${a.transferName ?? 'file'}]`).join(' ');
  return `${who}: ${what}${m.dateEdited ? ' (edited)' : ''}${m.unsent ? ' (unsent)' : ''}`;
}

function printSnapshot(config: Config, out: (l: string) => void): void {
  const db = ChatDb.open(config.imessage.chat_db, { home: join(config.imessage.chat_db, '../../..') });
  const contacts = new ContactBook({ dir: config.imessage.contacts_dir, defaultRegion: 'US' });
  try {
    out('Simulated Messages, with these conversations:');
    for (const c of db.chats()) {
      out(`\n■ ${c.displayName ?? c.participants.map((p) => contacts.displayName(p)).join(', ')}  (${c.guid})`);
      for (const m of db.iterateMessages({ chat: c.guid, order: 'asc', limit: 20 })) out(`    ${describe(m, contacts)}`);
    }
  } finally {
    db.close();
    contacts.close();
  }
}
