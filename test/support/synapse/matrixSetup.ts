// The Matrix side every whole-story world starts from: a temp folder, the
// Messages simulator with an AddressBook (Alice, Bob), a real Synapse (with
// the appservice registration in appservice mode), the owner as an
// Element-like user already syncing, and the `matrix:` config section that
// points the bridge at all of it. test/matrix/liveWorld.ts (in-process
// daemon) and test/backfill/matrixWorld.ts (config file, child processes)
// build on it, so the two cannot drift apart.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matrixSection } from '../../../src/config/sections/matrix.ts';
import { writeRegistration } from '../../../src/connectors/matrix/index.ts';
import { MessagesSimulator, type MacosVersion } from '../../../src/sim/simulator.ts';
import { addressBookDir, createAddressBook } from '../../../src/sim/addressBook.ts';
import { startSynapse, freePort, type Synapse } from './synapse.ts';
import { ElementUser } from './elementUser.ts';

export type Mode = 'bot' | 'appservice';

export const ALICE = { handle: '+15550102001', name: 'Alice Appleseed' };
export const BOB = { handle: '+15550102002', name: 'Bob Builder' };

export interface MatrixSetup {
  mode: Mode;
  /** The temp folder holding everything; `close` removes it. */
  base: string;
  /** An empty folder for the bridge's own data. */
  data: string;
  sim: MessagesSimulator;
  hs: Synapse;
  owner: ElementUser;
  /** The `matrix:` config section for this homeserver, mode and owner (plain, YAML-able). */
  matrix: Record<string, unknown>;
  /** `imessage.contacts_dir` for the simulator's AddressBook. */
  contactsDir: string;
  ghost(handle: string): string;
  /** Stops the owner, the simulator and Synapse, and removes `base`. */
  close(): Promise<void>;
}

export interface MatrixSetupOptions {
  /** The temp folder's name prefix (which story it is, in a leftover folder's name). */
  prefix: string;
  /** Overrides for the matrix config section (mirror rules, backfill). */
  matrix?: Record<string, unknown>;
  /** The simulated macOS (default: the simulator's). */
  macos?: MacosVersion;
}

export async function startMatrixSetup(mode: Mode, o: MatrixSetupOptions): Promise<MatrixSetup> {
  const base = mkdtempSync(join(tmpdir(), `${o.prefix}-${mode}-`));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim'), ...(o.macos ? { version: o.macos } : {}) });
  createAddressBook(sim.home, [
    { first: 'Alice', last: 'Appleseed', phones: ['(555) 010-2001'] },
    { first: 'Bob', last: 'Builder', phones: ['+1 555-010-2002'] },
  ]);
  const data = join(base, 'bridge');
  mkdirSync(data);

  // Every chat: the stories mirror the whole simulator (the default is none).
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
  return {
    mode, base, data, sim, hs, owner, matrix, contactsDir: addressBookDir(sim.home),
    ghost: (h) => `@_imessage_${h.replace('+', '=2b')}:localhost`,
    async close() {
      await owner.stop();
      sim.close({ pending: 'drop' });
      await hs.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
