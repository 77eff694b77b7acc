// A real Synapse, the Messages simulator (with an AddressBook) seeded before
// the bridge first starts, and the owner as an Element-like user. The bridge
// is either run in-process (startBridge with connectorsFromConfig: the config
// is the surface) or as `imessage-bridge run` children (the SIGKILL story).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { MessagesSimulator } from '../../src/sim/simulator.ts';
import type { Synapse } from '../support/synapse/synapse.ts';
import { startMatrixSetup, type Mode } from '../support/synapse/matrixSetup.ts';
import { ElementUser, type SeenEvent } from '../support/synapse/elementUser.ts';
import { waitFor } from '../support/waitFor.ts';

export { ALICE, BOB, type Mode } from '../support/synapse/matrixSetup.ts';

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
  const setup = await startMatrixSetup(mode, { prefix: 'backfill-mx', ...(o.matrix ? { matrix: o.matrix } : {}) });
  const { base, hs, sim, owner, matrix, data } = setup;
  const raw = {
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: setup.contactsDir },
    bridge: { database: join(data, 'bridge.db'), ...o.bridge },
    matrix,
  };
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, stringify(raw));

  return {
    mode, base, hs, sim, owner, raw, configFile,
    ghost: setup.ghost,
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
    close: () => setup.close(),
  };
}
