// A homeserver that is down: start fails with a clear error; a delivery made
// while it is down throws (the core retries it) and lands exactly once later.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSynapse, freePort, type Synapse } from '../support/synapse/synapse.ts';
import { ElementUser } from '../support/synapse/elementUser.ts';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import { createMatrixConnector, type MatrixConnector } from '../../src/connectors/matrix/index.ts';
import { HomeserverUnreachableError } from '../../src/connectors/matrix/errors.ts';
import { captureLog, chat1, displayName, fakeCore, message, msg } from './helpers.ts';

const cleanup: Array<() => Promise<void> | void> = [];
after(async () => { for (const c of cleanup.reverse()) await c(); });

function tempDb(): { dir: string; db: BridgeDb } {
  const dir = mkdtempSync(join(tmpdir(), 'mx-down-'));
  const db = openBridgeDb(join(dir, 'bridge.db'));
  cleanup.push(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  return { dir, db };
}

test('start fails with a clear, advised error when the homeserver is down', async () => {
  const port = await freePort();
  const { dir, db } = tempDb();
  const cfg = matrixSection.parse({ homeserver_url: `http://127.0.0.1:${port}`, homeserver_name: 'localhost', mode: 'bot', access_token: 'x', owners: ['@o:localhost'] });
  const conn = createMatrixConnector(cfg, { kits: new ConnectorKits(db), displayName, status: async () => ({}), log: captureLog().log, dataDir: dir });
  await assert.rejects(conn.start(fakeCore().handle), (e: unknown) => e instanceof HomeserverUnreachableError && /not reachable/.test(e.message) && /homeserver_url/.test(e.advice));
});

test('a bad bot token is told apart from an outage', async () => {
  const hs: Synapse = await startSynapse();
  cleanup.push(() => hs.stop());
  const { dir, db } = tempDb();
  const cfg = matrixSection.parse({ homeserver_url: hs.url, homeserver_name: 'localhost', mode: 'bot', access_token: 'wrong', owners: ['@o:localhost'] });
  const conn = createMatrixConnector(cfg, { kits: new ConnectorKits(db), displayName, status: async () => ({}), log: captureLog().log, dataDir: dir });
  await assert.rejects(conn.start(fakeCore().handle), (e: unknown) => (e as { code?: string }).code === 'bad_token');

  const bot = await hs.registerUser('bot');
  const o = await hs.registerUser('owner');
  const owner = new ElementUser(hs.url, o.userId, o.accessToken);
  owner.startSync();
  cleanup.push(() => owner.stop());
  const good = createMatrixConnector(matrixSection.parse({ ...cfg, access_token: bot.accessToken, owners: [o.userId] }), { kits: new ConnectorKits(db), displayName, status: async () => ({}), log: captureLog().log, dataDir: dir });
  const c: MatrixConnector = good;
  await c.start(fakeCore().handle);
  cleanup.push(() => c.stop());
  const alice = chat1();
  await c.deliver(message(alice, msg(alice, { text: 'before outage' })));
  await hs.stop({ keepData: true });
  const during = message(alice, msg(alice, { text: 'during outage' }));
  await assert.rejects(c.deliver(during), 'delivery throws so the core retries it');
  await hs.restart();
  await c.deliver(during);
  await c.deliver(during);
  const room = await owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === 'Alice'), 'portal invite', 60_000);
  await owner.join(room);
  await owner.waitFor((e) => e.content.body === 'Alice: during outage', 'message after outage', 60_000);
  // Sentinel instead of a sleep: a later message in the same room arrives after any duplicate would have.
  await c.deliver(message(alice, msg(alice, { text: 'after the outage' })));
  await owner.waitFor((e) => e.content.body === 'Alice: after the outage', 'the sentinel message', 60_000);
  assert.equal(owner.events.filter((e) => e.content.body === 'Alice: during outage').length, 1);
  assert.equal(owner.events.filter((e) => e.content.body === 'Alice: before outage').length, 1);
});
