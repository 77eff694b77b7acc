// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// Connectors register their own migrations (src/connectors/<name>/migrations.ts);
// the core applies them, with its own, when a connector is built from the
// config, before the core starts. Version numbers are the old ones, so a
// database made when the list was one stays as it is and upgrades cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { migrate, openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import type { ChatDbHandle } from '../../src/imessage/db/handle.ts';
import { everyMigration } from './support/everyMigration.ts';

const dir = mkdtempSync(join(tmpdir(), 'conn-mig-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const DISCORD = 'discord:\n  token: "12345"\n  guild_id: "123456789012345678"\n';
const MATRIX = 'matrix:\n  homeserver_url: http://127.0.0.1:9\n  homeserver_name: localhost\n  mode: bot\n  access_token: x\n  owners: ["@o:localhost"]\n';

/** What `run` does before the core starts: open the bridge database, build the configured connectors. */
async function boot(path: string, yaml: string): Promise<BridgeDb> {
  const config = parseConfig(`${yaml}bridge:\n  database: ${path}\n`);
  const db = openBridgeDb(path);
  const connectors = await connectorsFromConfig(config, { kits: new ConnectorKits(db), log: pino({ level: 'silent' }), config, chatDb: {} as ChatDbHandle });
  assert.equal(connectors.length, yaml.split('\n').filter((l) => /^(discord|matrix):/.test(l)).length);
  return db;
}

const versions = (db: Database.Database): number[] => db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all() as number[];
const tables = (db: Database.Database): string[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
/** Every table's and index's definition: two databases with the same schema answer the same. */
const schema = (db: Database.Database): string[] => (db.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").pluck().all() as string[]);
const ALL = everyMigration.map((m) => m.version);

test('a new database with only Matrix configured has Matrix\'s tables and no Discord ones; Discord added later ends where both from the start would', async () => {
  const db = await boot(join(dir, 'matrix-only.db'), MATRIX);
  assert.ok(tables(db).includes('matrix_inbound') && tables(db).includes('matrix_state'));
  assert.deepEqual(tables(db).filter((t) => t.startsWith('discord_')), []);
  assert.deepEqual(versions(db).filter((v) => v >= 20 && v < 30), [], 'Discord\'s 020 and the core\'s conversions of its state (021, 022) wait for Discord');
  assert.ok(versions(db).includes(30) && versions(db).includes(31));
  db.close();

  const both = await boot(join(dir, 'matrix-only.db'), MATRIX + DISCORD);
  assert.deepEqual(versions(both), ALL);
  assert.deepEqual(tables(both).filter((t) => t.startsWith('discord_')), [], '020\'s tables are folded into the core right after');
  const fresh = await boot(join(dir, 'both.db'), DISCORD + MATRIX);
  assert.deepEqual(schema(both), schema(fresh));
  both.close();
  fresh.close();

  const none = await boot(join(dir, 'none.db'), '');
  assert.deepEqual(tables(none).filter((t) => /^(discord|matrix)_/.test(t)), [], 'no connector configured: no connector tables');
  none.close();
});

test('an old database at any version upgrades cleanly, re-running nothing it already had', async () => {
  const reference = await boot(join(dir, 'reference.db'), DISCORD + MATRIX);
  for (const n of [11, 20, 21, 22, 30, 31, 41]) {
    const path = join(dir, `old-${n}.db`);
    const old = new Database(path);
    migrate(old, everyMigration.filter((m) => m.version <= n)); // the database as the one list left it
    const stamped = old.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all();
    old.close();
    const db = await boot(path, DISCORD + MATRIX);
    assert.deepEqual(versions(db), ALL, `from ${n}`);
    assert.deepEqual(schema(db), schema(reference), `from ${n}: the same schema as a new database`);
    assert.deepEqual(db.prepare(`SELECT version, applied_at FROM schema_version WHERE version <= ? ORDER BY version`).all(n), stamped, `from ${n}: nothing re-applied`);
    db.close();
  }
  reference.close();
});

test('Discord\'s old state is moved into the core even when Discord is no longer configured, once, before the core reads it', async () => {
  const path = join(dir, 'old-discord.db');
  const old = new Database(path);
  migrate(old, everyMigration.filter((m) => m.version <= 20));
  old.prepare("INSERT INTO discord_unlinked (chat_guid, at) VALUES ('iMessage;-;+15551230001', 1)").run();
  old.close();
  const db = await boot(path, MATRIX);
  assert.deepEqual(db.prepare('SELECT connector, chat_guid, mirrored FROM mirror_override').all(), [{ connector: 'discord', chat_guid: 'iMessage;-;+15551230001', mirrored: 0 }]);
  assert.deepEqual(tables(db).filter((t) => t.startsWith('discord_')), []);
  assert.deepEqual(versions(db), ALL, '020 was there already; 021 and 022 ran with the core\'s migrations');
  db.close();
});
