// The whole story, live: the Messages simulator (with an AddressBook), the
// real daemon (core + outbox + the sender built from config, which finds the
// fake osascript on PATH), the Matrix connector built by connectorsFromConfig,
// a real Synapse, and an Element-like owner plus a stranger. One per test file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import { writeRegistration, type MatrixConnector } from '../../src/connectors/matrix/index.ts';
import { MessagesSimulator, type MacosVersion } from '../../src/sim/simulator.ts';
import { addressBookDir, createAddressBook } from '../../src/sim/addressBook.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { storedText } from '../../src/sim/body.ts';
import type { SendReceipt } from '../../src/core/events.ts';
import { startSynapse, freePort, type Synapse } from '../support/synapse/synapse.ts';
import { ElementUser } from '../support/synapse/elementUser.ts';

export type Mode = 'bot' | 'appservice';

export const ALICE = { handle: '+15550102001', name: 'Alice Appleseed' };
export const BOB = { handle: '+15550102002', name: 'Bob Builder' };

export interface World {
  mode: Mode;
  hs: Synapse;
  sim: MessagesSimulator;
  owner: ElementUser;
  stranger: ElementUser;
  config: Config;
  bridge: RunningBridge;
  connector: MatrixConnector;
  fates: SendReceipt[];
  /** The account the bridge itself posts with (bot user / appservice bot). */
  botUserId: string;
  ghost(handle: string): string;
  /** Stop the daemon, run `whileDown`, start it again on the same data. */
  restart(whileDown?: () => void | Promise<void>): Promise<void>;
  /** Rows the user sent from "their Mac" into a chat, oldest first: text and attachment names. */
  sentRows(chatGuid: string): Array<{ text: string; attachments: string[] }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Overrides for the imessage config section (the bench uses the defaults' timings). */
  imessage?: Record<string, unknown>;
  /** Overrides for the matrix config section (the contract suite's mirror rules). */
  matrix?: Record<string, unknown>;
  /** The simulated macOS (default: the simulator's). */
  macos?: MacosVersion;
}

export async function startWorld(mode: Mode, opts: WorldOptions = {}): Promise<World> {
  const base = mkdtempSync(join(tmpdir(), `mx-live-${mode}-`));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim'), ...(opts.macos ? { version: opts.macos } : {}) });
  createAddressBook(sim.home, [
    { first: 'Alice', last: 'Appleseed', phones: ['(555) 010-2001'] },
    { first: 'Bob', last: 'Builder', phones: ['+1 555-010-2002'] },
  ]);
  const data = join(base, 'bridge');
  mkdirSync(data);

  // Every chat: the stories mirror the whole simulator (the default is none).
  let matrixBase: Record<string, unknown> = { homeserver_name: 'localhost', mode, auto_mirror: 'all', ...opts.matrix };
  let hs: Synapse;
  if (mode === 'appservice') {
    const appservice = { port: await freePort(), registration: join(base, 'registration.yaml') };
    const reg = writeRegistration(matrixSection.parse({ ...matrixBase, homeserver_url: 'http://127.0.0.1:1', owners: ['@owner:localhost'], appservice }));
    hs = await startSynapse({ appserviceRegistration: { ...reg } });
    matrixBase = { ...matrixBase, appservice };
  } else {
    hs = await startSynapse();
  }
  const o = await hs.registerUser('owner');
  const s = await hs.registerUser('mallory');
  const owner = new ElementUser(hs.url, o.userId, o.accessToken);
  const stranger = new ElementUser(hs.url, s.userId, s.accessToken);
  owner.startSync();
  let matrix: Record<string, unknown>;
  if (mode === 'bot') {
    const bot = await hs.registerUser('bridgebot');
    matrix = { ...matrixBase, homeserver_url: hs.url, access_token: bot.accessToken, owners: [o.userId] };
  } else {
    const as = matrixBase.appservice as Record<string, unknown>;
    matrix = { ...matrixBase, homeserver_url: hs.url, owners: [o.userId], appservice: { ...as, double_puppet: { [o.userId]: o.accessToken } } };
  }

  // The daemon builds its sender from config (osascript looked up on PATH at
  // spawn time): put the fake first and point it at this simulator.
  Object.assign(process.env, fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }));
  const config = configSchema.parse({
    imessage: {
      chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: addressBookDir(sim.home),
      send: { confirm_timeout_ms: 15_000, timeout_ms: 20_000 },
      ...opts.imessage,
    },
    bridge: { database: join(data, 'bridge.db') },
    matrix,
  });
  const log: Logger = pino({ level: process.env.MX_LIVE_LOG ?? 'silent' });
  const fates: SendReceipt[] = [];
  let connector: MatrixConnector | null = null;

  const boot = async (): Promise<RunningBridge> => {
    const b = await startBridge({
      config, log, handleSignals: false,
      connectors: async (deps) => {
        const list = await connectorsFromConfig(config, deps);
        connector = list.find((c) => c.id === 'matrix') as MatrixConnector;
        return list;
      },
    });
    b.core.onFate((r) => fates.push(r));
    return b;
  };

  let bridge = await boot();
  const botUserId = connector!.botUserId!;
  const world: World = {
    mode, hs, sim, owner, stranger, config, fates, botUserId,
    get bridge() { return bridge; },
    get connector() { return connector!; },
    ghost: (h) => `@_imessage_${h.replace('+', '=2b')}:localhost`,
    async restart(whileDown) {
      await bridge.stop();
      await whileDown?.();
      bridge = await boot();
    },
    sentRows(chatGuid) {
      const rows = sim.db.prepare(`SELECT m.ROWID AS id, m.text, m.attributedBody FROM message m
        JOIN chat_message_join j ON j.message_id = m.ROWID JOIN chat c ON c.ROWID = j.chat_id
        WHERE c.guid = ? AND m.is_from_me = 1 AND m.associated_message_type = 0 ORDER BY m.ROWID`).all(chatGuid) as Array<{ id: number; text: string | null; attributedBody: Buffer | null }>;
      const names = sim.db.prepare(`SELECT a.transfer_name FROM attachment a JOIN message_attachment_join j ON j.attachment_id = a.ROWID WHERE j.message_id = ?`).pluck();
      return rows.map((r) => ({ text: storedText(r.text, r.attributedBody), attachments: names.all(r.id) as string[] }));
    },
    async close() {
      await bridge?.stop().catch(() => undefined);
      await owner.stop();
      sim.close({ pending: 'drop' });
      await hs.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
  return world;
}
