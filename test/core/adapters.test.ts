// Connectors are adapters: they get a kit from the core (views scoped to their
// id, storage for their own tables, their own migrations) and never the
// bridge database or the core's stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits, MigrationClashError } from '../../src/core/kit/index.ts';
import { ForeignTableError, tablesIn } from '../../src/core/kit/storage.ts';
import { openMatrixKit } from '../../src/connectors/matrix/kit.ts';
import { openDiscordKit } from '../../src/connectors/discord/kit.ts';
import { carrier, discordParts, DiscordPartError, extra, FIRST_POST, NOTICE, post } from '../../src/connectors/discord/parts.ts';
import { eventOf, matrixParts, MatrixPartError } from '../../src/connectors/matrix/parts.ts';
import { MessageMap } from '../../src/core/store/messageMap.ts';
import { MatrixStore } from '../../src/connectors/matrix/store.ts';
import { chatGuid, messageGuid } from '../../src/ids.ts';
import { apiKit } from '../../src/core/kit/api.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import { SearchIndex } from '../../src/api/search/index.ts';
import { WebhookQueue } from '../../src/api/webhooks/queue.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `import … from '<spec>'` and `import('<spec>')`, resolved against the file, relative to src/. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)].map((m) => ({ spec: m[3]!, typeOnly: Boolean(m[2]) }));
  found.push(...[...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => ({ spec: m[1]!, typeOnly: false })));
  return found.filter((i) => i.spec.startsWith('.')).map((i) => ({ target: relative(SRC, join(file, '..', i.spec)), typeOnly: i.typeOnly }));
}

/** The bridge database, the core's stores and the helpers that take the raw database. */
const RAW = [/^core\/db\//, /^core\/store\//, /^core\/backfill\/store\.ts$/, /^core\/status\.ts$/];

test('connectors import neither the bridge database nor a core store: they get a kit', () => {
  // The scanner itself.
  const sample = importsOf(join(SRC, 'connectors', 'matrix', 'index.ts'));
  assert.ok(sample.some((i) => i.target === 'core/kit/index.ts'), 'the scanner resolves relative imports');
  const offenders = walk(join(SRC, 'connectors')).flatMap((f) => importsOf(f)
    .filter((i) => RAW.some((re) => re.test(i.target)))
    .map((i) => `${relative(ROOT, f)} → src/${i.target}`));
  assert.deepEqual(offenders, [], 'ask the kit (src/core/kit) instead');
});

test('the API imports neither the bridge database nor a core store: it gets an API kit', () => {
  // The API is a daemon part, not a connector, but the rule is the same: its own tables
  // (api_*, search_*, webhook_*: migrations 010/011) through the kit's storage, the core's
  // state (scheduled sends, backfill progress) through the kit (src/core/kit/api.ts).
  const offenders = walk(join(SRC, 'api')).flatMap((f) => importsOf(f)
    .filter((i) => RAW.some((re) => re.test(i.target)))
    .map((i) => `${relative(ROOT, f)} → src/${i.target}`));
  assert.deepEqual(offenders, [], 'ask the API kit (src/core/kit/api.ts) instead');
});

test('API storage reaches only the API\'s own tables, and the API runs on it', () => {
  const db = openBridgeDb(':memory:');
  const kit = apiKit(db);
  for (const sql of ['SELECT * FROM outbox', 'SELECT * FROM scheduled_send', 'DELETE FROM message_map', 'SELECT * FROM matrix_state', 'UPDATE portal SET extra = 1']) {
    assert.throws(() => kit.storage.prepare(sql), ForeignTableError, sql);
  }
  // Its own stores work on the scoped storage: tokens, the search index (FTS5 and its shadow tables), the webhook queue.
  const tokens = new TokenStore(kit.storage);
  const { token } = tokens.create(['read'], 'kit-test');
  assert.ok(tokens.verify(token));
  const search = new SearchIndex(kit.storage);
  search.backfillStarted();
  search.backfillEnded();
  assert.equal(search.count(), 0);
  assert.equal(new WebhookQueue(kit.storage).depth(), 0);
  assert.deepEqual(kit.backfillPending(), {});
});

test('connector storage reaches only the connector\'s own tables', () => {
  const db = openBridgeDb(':memory:');
  const kit = openMatrixKit(new ConnectorKits(db));
  for (const sql of ['SELECT * FROM outbox', "UPDATE portal SET extra = '{}'", 'DELETE FROM message_map', 'INSERT INTO audit (x) VALUES (1)', 'SELECT 1 FROM matrix_state JOIN event_log ON 1', 'DROP TABLE delivery']) {
    assert.throws(() => kit.storage.prepare(sql), ForeignTableError, sql);
  }
  assert.throws(() => kit.storage.exec('CREATE TABLE sneaky (x)'), (e: unknown) => e instanceof ForeignTableError && /sneaky/.test(e.message) && /its own tables/.test(e.message));
  // Its own statements, including an upsert's DO UPDATE SET, go through.
  const store = new MatrixStore(kit.storage);
  store.set('k', 'v1');
  store.set('k', 'v2');
  assert.equal(store.get('k'), 'v2');
  assert.equal(store.enqueue([{ event_id: '$e', room_id: '!r', type: 'm.room.message', sender: '@a:x', content: {} }]), 1);
  assert.deepEqual(tablesIn("INSERT INTO matrix_state (key, value) VALUES ('FROM outbox', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"), ['matrix_state'], 'strings and DO UPDATE are not tables');
  // Discord's storage is Discord's: not Matrix's tables either.
  assert.throws(() => openDiscordKit(new ConnectorKits(db)).storage.prepare('SELECT * FROM matrix_state'), ForeignTableError);
  db.close();
});

test('views are scoped to the connector: one never sees or overwrites another\'s rows', () => {
  const db = openBridgeDb(':memory:');
  const kits = new ConnectorKits(db);
  const mx = openMatrixKit(kits);
  const dc = openDiscordKit(kits);
  const chat = chatGuid('iMessage;-;+15551230001');
  mx.portals.upsert({ chatGuid: chat, remoteId: '!room:x', extra: { direct: true } });
  dc.portals.upsert({ chatGuid: chat, remoteId: 'chan-1', extra: {} });
  assert.equal(mx.portals.byChat(chat)?.remoteId, '!room:x');
  assert.equal(dc.portals.byChat(chat)?.remoteId, 'chan-1');
  assert.equal(dc.portals.byRemote('!room:x'), null);
  assert.equal(dc.portals.remove(chat), true);
  assert.equal(mx.portals.all().length, 1, 'removing Discord\'s portal leaves Matrix\'s');
  const guid = messageGuid('M1');
  mx.messages.put({ messageGuid: guid, part: eventOf(0), remoteId: '$ev', chatGuid: chat });
  assert.equal(mx.messages.remote(guid, eventOf(0)), '$ev');
  assert.equal(dc.messages.remote(guid, FIRST_POST), null);
  assert.equal(dc.messages.byRemote('$ev'), null);
  assert.ok('outbox_queued' in mx.status(), 'the kit carries the bridge status');
  db.close();
});

test('two parts claiming one migration number are refused', () => {
  const db = openBridgeDb(':memory:');
  const kits = new ConnectorKits(db);
  assert.throws(() => kits.open({ id: 'x', migrations: [{ version: 1, name: 'not the core\'s', up: () => undefined }] }), MigrationClashError);
  openMatrixKit(kits);
  openMatrixKit(kits, 'matrix-b'); // the same connector twice (tests run two side by side): same migrations, applied once
  assert.throws(() => kits.open({ id: 'y', migrations: [{ version: 30, name: 'someone else\'s 30', up: () => undefined }] }), MigrationClashError);
  db.close();
});

test('part ids are each connector\'s own, stored in the one integer column; rows written before still read', () => {
  for (const p of [FIRST_POST, post(1), post(7), extra(0, 1), extra(3, 12), NOTICE, carrier(0), carrier(1), carrier(42)]) {
    assert.deepEqual(discordParts.decode(discordParts.encode(p)), p, JSON.stringify(p));
  }
  assert.equal(new Set([FIRST_POST, post(1), extra(0, 1), NOTICE, carrier(0), carrier(1)].map((p) => discordParts.encode(p))).size, 6, 'no two parts share a stored value');
  assert.deepEqual(discordParts.decode(2), carrier(2), 'a carrier row from before typed parts');
  assert.throws(() => discordParts.decode(0.5), DiscordPartError);
  assert.throws(() => matrixParts.decode(-1), MatrixPartError);

  const db = openBridgeDb(':memory:');
  const kits = new ConnectorKits(db);
  const dc = openDiscordKit(kits);
  const guid = messageGuid('M2');
  const chat = chatGuid('iMessage;-;+15551230001');
  // As the old Discord code wrote them: the attachment at part 1 under the bare number.
  new MessageMap(db).put('discord', { messageGuid: guid, part: 0, remoteId: 'first', chatGuid: chat });
  new MessageMap(db).put('discord', { messageGuid: guid, part: 1, remoteId: 'with-file', chatGuid: chat });
  assert.equal(dc.messages.remote(guid, carrier(1)), 'with-file');
  assert.deepEqual(dc.messages.remotes(guid).map((r) => r.part), [FIRST_POST, carrier(1)]);
  db.close();
});
