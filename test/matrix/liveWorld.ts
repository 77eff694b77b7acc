// The whole story, live: the Messages simulator (with an AddressBook), the
// real daemon (core + outbox + the sender built from config, which finds the
// fake osascript on PATH), the Matrix connector built by connectorsFromConfig,
// a real Synapse, and an Element-like owner plus a stranger. One per test file.
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import type { MatrixConnector } from '../../src/connectors/matrix/index.ts';
import type { MessagesSimulator, MacosVersion } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { storedText } from '../../src/sim/body.ts';
import type { SendReceipt } from '../../src/core/events.ts';
import type { Synapse } from '../support/synapse/synapse.ts';
import { startMatrixSetup, type Mode } from '../support/synapse/matrixSetup.ts';
import { ElementUser } from '../support/synapse/elementUser.ts';

export { ALICE, BOB, type Mode } from '../support/synapse/matrixSetup.ts';

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
  const setup = await startMatrixSetup(mode, { prefix: 'mx-live', ...(opts.matrix ? { matrix: opts.matrix } : {}), ...(opts.macos ? { macos: opts.macos } : {}) });
  const { hs, sim, owner, matrix, data } = setup;
  const s = await hs.registerUser('mallory');
  const stranger = new ElementUser(hs.url, s.userId, s.accessToken);

  // The daemon builds its sender from config (osascript looked up on PATH at
  // spawn time): put the fake first and point it at this simulator.
  Object.assign(process.env, fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }));
  const config = configSchema.parse({
    imessage: {
      chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: setup.contactsDir,
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
    ghost: setup.ghost,
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
      await setup.close();
    },
  };
  return world;
}
