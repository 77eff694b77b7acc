// Upgrading a bridge database from the connectors' private send ledgers to the
// core's one outbox ledger: nothing already sent is sent again, no fate is
// shown twice, nobody already told is told again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate } from '../../src/core/db/bridgeDb.ts';
import { everyMigration as migrations } from './support/everyMigration.ts';
import { OutboxStore } from '../../src/core/store/outboxStore.ts';

const NEW = new Set([4, 22, 31]);

test('discord_origin, Discord denial notices and Matrix hand-off marks move into the core; duplicate origins get parts', () => {
  const db = new Database(':memory:');
  migrate(db, migrations.filter((m) => !NEW.has(m.version)));
  const now = Date.now();
  const row = db.prepare(`INSERT INTO outbox (id, seq, chat_guid, text, file_path, file_name, from_connector, from_user, from_name, origin_connector, origin_remote_id, state, created_at, updated_at)
    VALUES (?, ?, 'iMessage;-;+15551230001', ?, ?, ?, ?, 'u', 'U', ?, ?, ?, ?, ?)`);
  row.run('ob-text', 1, 'hi', null, null, 'discord', 'discord', 'm1', 'sent', now, now);
  row.run('ob-file', 2, null, '/tmp/x/a.png', 'a.png', 'discord', 'discord', 'm1', 'queued', now, now);
  row.run('ob-mx', 3, 'yo', null, null, 'matrix', null, '$ev', 'failed', now, now);
  db.prepare("INSERT INTO portal (connector, chat_guid, remote_id, created_at) VALUES ('discord', 'iMessage;-;+15551230001', 'chan-1', ?)").run(now);
  db.prepare("INSERT INTO discord_origin (outbox_id, message_id, channel_id, chat_guid, state, created_at) VALUES ('ob-text', 'm1', 'chan-1', 'iMessage;-;+15551230001', 'sent', ?)").run(now);
  db.prepare("INSERT INTO discord_origin (outbox_id, message_id, channel_id, chat_guid, state, created_at) VALUES ('ob-file', 'm1', 'chan-1', 'iMessage;-;+15551230001', 'new', ?)").run(now);
  db.prepare("INSERT INTO discord_denied_notice (channel_id, user_id, at) VALUES ('chan-1', 'carol', ?)").run(now);
  db.prepare("INSERT INTO matrix_state (key, value) VALUES ('handoff:$ev', '{}'), ('sync_token', 's1')").run();

  migrate(db, migrations);

  const rows = db.prepare('SELECT id, origin_connector, origin_part, origin_room, reported_state FROM outbox ORDER BY seq').all();
  assert.deepEqual(rows, [
    { id: 'ob-text', origin_connector: 'discord', origin_part: 0, origin_room: 'chan-1', reported_state: 'sent' },
    { id: 'ob-file', origin_connector: 'discord', origin_part: 1, origin_room: 'chan-1', reported_state: null },
    { id: 'ob-mx', origin_connector: 'matrix', origin_part: 0, origin_room: null, reported_state: 'failed' },
  ]);
  const store = new OutboxStore(db);
  assert.equal(store.byOrigin({ connector: 'discord', remoteId: 'm1', part: 1 })?.id, 'ob-file');
  assert.equal(store.byOrigin({ connector: 'matrix', remoteId: '$ev' })?.id, 'ob-mx', 'the connector comes from the sender when no origin connector was stored');
  assert.throws(() => store.insert({ chatGuid: 'iMessage;-;+15551230001' as never, text: 'again', from: { connector: 'discord', userId: 'u', displayName: 'U' }, origin: { connector: 'discord', remoteId: 'm1' } }), /UNIQUE/);
  assert.deepEqual(db.prepare('SELECT connector, chat_key, user_id FROM send_denial_notice').all(), [{ connector: 'discord', chat_key: 'h:+15551230001', user_id: 'carol' }]);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  assert.ok(!tables.includes('discord_origin') && !tables.includes('discord_denied_notice'));
  assert.deepEqual(db.prepare('SELECT key FROM matrix_state').pluck().all(), ['sync_token']);
});
