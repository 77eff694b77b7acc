// `imessage-bridge demo`: the whole bridge on any machine. A simulated
// Messages (database + fake osascript) stands in for the Mac; everything else
// is the real code path: watcher, core, outbox, connectors, API, web client.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { defaultConfig } from '../config/load.ts';
import { apiSection } from '../config/sections/api.ts';
import { startBridge, type Part, type RunningBridge } from '../daemon.ts';
import { MessagesSimulator } from '../sim/simulator.ts';
import { seedSampleConversations, startLiveChatter } from '../sim/samples.ts';
import { fakeOsascriptEnv } from '../sim/fakeOsascript/index.ts';
import { connectorsFromConfig } from '../connectors/index.ts';
import { apiPart } from '../parts/api.ts';
import { TokenStore } from '../api/tokens.ts';
import type { RunningApi } from '../api/index.ts';
import { ChatDb } from '../imessage/db/index.ts';
import { ContactBook } from '../imessage/contacts/index.ts';
import type { IMessage } from '../imessage/model.ts';

export interface DemoOptions {
  dir?: string;
  port: number;
  /** Discord/Matrix sections to mirror into (their imessage/bridge/api settings are replaced). */
  base?: Config;
  chatterMs: number;
  out: (line: string) => void;
  log: Logger;
}

export interface RunningDemo { bridge: RunningBridge; api: RunningApi; token: string; sim: MessagesSimulator; stop(): Promise<void> }

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
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'imessage-bridge-demo-'));
  mkdirSync(dir, { recursive: true });
  const simDir = join(dir, 'messages');
  const sim = MessagesSimulator.create({ dir: simDir, version: 'sequoia' });
  const chats = seedSampleConversations(sim);
  // The fake osascript is found through PATH by the real sender, exactly as
  // /usr/bin/osascript would be on a Mac.
  Object.assign(process.env, fakeOsascriptEnv(simDir));

  const config = demoConfig(dir, sim, o.port, o.base);
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
  const token = new TokenStore(bridge.db).create(['read', 'send'], `demo-${Date.now()}`).token;
  const stopChatter = o.chatterMs > 0 ? startLiveChatter(sim, { intervalMs: o.chatterMs, chats }) : () => undefined;
  const running = api as RunningApi | null;
  if (!running) throw new Error('the demo API did not start');
  o.out('');
  o.out(`Web client: ${running.url}/`);
  o.out(`API token:  ${token}`);
  o.out(`Try:        curl -H "Authorization: Bearer ${token}" ${running.url}/v1/chats`);
  o.out(`Messages:   ${sim.dbPath} (simulated; new messages arrive every ${Math.round(o.chatterMs / 1000)} s)`);
  o.out('Live events:');
  return {
    bridge, api: running, token, sim,
    async stop() {
      stopChatter();
      await bridge.stop();
      sim.close({ pending: 'drop' });
    },
  };
}

function describe(m: IMessage, contacts: ContactBook): string {
  const who = m.fromMe ? 'Me' : contacts.displayName(m.sender);
  const what = m.reaction ? `${m.reaction.removed ? 'removed ' : ''}${m.reaction.emoji ?? m.reaction.type}` : m.event ? m.event.type : m.text || m.attachments.map((a) => `[${a.transferName ?? 'file'}]`).join(' ');
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
