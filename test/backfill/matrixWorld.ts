// A real Synapse, the Messages simulator (with an AddressBook) seeded before
// the bridge first starts, and the owner as an Element-like user. The bridge
// is either run in-process (startBridge with connectorsFromConfig: the config
// is the surface) or as `imessage-bridge run` children (the SIGKILL story).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import { writeRegistration } from '../../src/connectors/matrix/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { addressBookDir, createAddressBook } from '../../src/sim/addressBook.ts';
import { startSynapse, freePort, type Synapse } from '../support/synapse/synapse.ts';
import { ElementUser, type SeenEvent } from '../support/synapse/elementUser.ts';
import { waitFor } from '../support/waitFor.ts';

export type Mode = 'bot' | 'appservice';
export const ALICE = { handle: '+15550102001', name: 'Alice Appleseed' };
export const BOB = { handle: '+15550102002', name: 'Bob Builder' };

export interface MatrixWorld {
  mode: Mode;
  base: string;
  hs: Synapse;
  sim: MessagesSimulator;
  owner: ElementUser;
  /** The config as a plain object (YAML-able); `configFile` holds it. */
  raw: Record<string, unknown>;
  configFile: string;
  ghost(handle: string): string;
  /** Every event of a room, oldest first, as the homeserver orders them (paged /messages). */
  timeline(roomId: string): Promise<SeenEvent[]>;
  /** The room the owner was invited to (bot mode: joined) whose name is `title`. */
  roomNamed(title: string, ms?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startMatrixWorld(mode: Mode, o: { matrix?: Record<string, unknown>; bridge?: Record<string, unknown> } = {}): Promise<MatrixWorld> {
  const base = mkdtempSync(join(tmpdir(), `backfill-mx-${mode}-`));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  createAddressBook(sim.home, [
    { first: 'Alice', last: 'Appleseed', phones: ['(555) 010-2001'] },
    { first: 'Bob', last: 'Builder', phones: ['+1 555-010-2002'] },
  ]);
  const data = join(base, 'bridge');
  mkdirSync(data);
  let matrixBase: Record<string, unknown> = { homeserver_name: 'localhost', mode, auto_mirror: 'all', ...o.matrix };
  let hs: Synapse;
  if (mode === 'appservice') {
    const appservice = { port: await freePort(), registration: join(base, 'registration.yaml') };
    const reg = writeRegistration(matrixSection.parse({ ...matrixBase, homeserver_url: 'http://127.0.0.1:1', owners: ['@owner:localhost'], appservice }));
    hs = await startSynapse({ appserviceRegistration: { ...reg } });
    matrixBase = { ...matrixBase, appservice };
  } else {
    hs = await startSynapse();
  }
  const ow = await hs.registerUser('owner');
  const owner = new ElementUser(hs.url, ow.userId, ow.accessToken);
  owner.startSync();
  let matrix: Record<string, unknown>;
  if (mode === 'bot') {
    const bot = await hs.registerUser('bridgebot');
    matrix = { ...matrixBase, homeserver_url: hs.url, access_token: bot.accessToken, owners: [ow.userId] };
  } else {
    const as = matrixBase.appservice as Record<string, unknown>;
    matrix = { ...matrixBase, homeserver_url: hs.url, owners: [ow.userId], appservice: { ...as, double_puppet: { [ow.userId]: ow.accessToken } } };
  }
  const raw = {
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: addressBookDir(sim.home) },
    bridge: { database: join(data, 'bridge.db'), ...o.bridge },
    matrix,
  };
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, stringify(raw));

  return {
    mode, base, hs, sim, owner, raw, configFile,
    ghost: (h) => `@_imessage_${h.replace('+', '=2b')}:localhost`,
    async timeline(roomId) {
      const out: SeenEvent[] = [];
      let from: string | undefined;
      for (;;) {
        const qs = new URLSearchParams({ dir: 'f', limit: '100', ...(from ? { from } : {}) });
        const page = await owner.api<{ chunk: SeenEvent[]; end?: string }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${qs}`);
        out.push(...page.chunk.map((e) => ({ ...e, room_id: roomId })));
        if (!page.end || page.chunk.length === 0) return out;
        from = page.end;
      }
    },
    async roomNamed(title, ms = 60_000) {
      // Bot mode: the owner accepts the invite like an Element user; appservice: the double puppet joins for them.
      return waitFor(`a room named "${title}"`, async () => {
        for (const [roomId, st] of owner.invites) {
          if (st.some((e) => e.type === 'm.room.name' && e.content.name === title)) { await owner.join(roomId).catch(() => undefined); return roomId; }
        }
        const { joined_rooms: joined } = await owner.api<{ joined_rooms: string[] }>('GET', '/_matrix/client/v3/joined_rooms');
        for (const roomId of joined) {
          const name = await owner.state<{ name?: string }>(roomId, 'm.room.name').catch(() => ({ name: undefined }));
          if (name.name === title) return roomId;
        }
        return undefined;
      }, { timeoutMs: ms, intervalMs: 100 });
    },
    async close() {
      await owner.stop();
      sim.close({ pending: 'drop' });
      await hs.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
