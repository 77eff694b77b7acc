// One owner for the core's tables: code outside src/core reaches them only
// through the core's interfaces (CoreHandle, the API gateway, the connector
// kit's views; the CLI also through core stores), never with its own SQL.
// The table list is read from the core's own migrations, so a new core table
// is guarded without touching this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const CORE = join(SRC, 'core');
const MIGRATIONS = join(CORE, 'db', 'migrations');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Tables created by the core's migrations, minus the API's own (010–019: api_token,
 * search_fts, api_state, webhook_queue, which the API part keeps). The connectors'
 * migrations live in their folders (src/connectors/<name>/migrations.ts), so every other
 * file here is the core's.
 */
function coreTables(): string[] {
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d{3}_.*\.ts$/.test(f) && !/^01\d_/.test(f));
  const names = files.flatMap((f) => [...readFileSync(join(MIGRATIONS, f), 'utf8').matchAll(/CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/gi)].map((m) => m[1]!));
  return [...new Set(names)];
}

/** Comments don't run: drop them (a URL's `//` in a string costs at most a false negative in the rest of that line). */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

/** `FROM outbox`, `INSERT INTO audit`, `UPDATE delivery`, `JOIN portal`, `ALTER TABLE event_log`… */
function sqlOn(text: string, tables: string[]): string[] {
  const re = new RegExp(`\\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\\s+(${tables.join('|')})\\b`, 'gi');
  return [...code(text).matchAll(re)].map((m) => m[0]);
}

test('no code outside src/core runs SQL on a core table', () => {
  const tables = coreTables();
  for (const t of ['outbox', 'audit', 'event_log', 'delivery', 'portal', 'message_map', 'mirror_override', 'send_denial_notice', 'backfill_run']) assert.ok(tables.includes(t), `${t} is found as a core table`);
  assert.ok(!tables.some((t) => /^(matrix|discord|api)_/.test(t)), 'connector and API tables are not the core\'s');
  assert.deepEqual(readdirSync(MIGRATIONS).filter((f) => /^0[23]\d_/.test(f)), ['021_discordMirror.ts', '022_discordLedger.ts'], 'only the core\'s conversions of Discord\'s old state stay here');
  // The scanner itself: it must see SQL in a string, and not in a comment.
  assert.deepEqual(sqlOn("db.prepare(`SELECT 1 FROM outbox WHERE x`); // read from audit\n/* UPDATE delivery */", tables), ['FROM outbox']);
  assert.deepEqual(sqlOn("db.prepare('select id from Outbox')", tables), ['from Outbox'], 'any case');
  const offenders = walk(SRC)
    .filter((f) => !f.startsWith(CORE + '/'))
    .flatMap((f) => sqlOn(readFileSync(f, 'utf8'), tables).map((hit) => `${relative(ROOT, f)}: ${hit}`));
  assert.deepEqual(offenders, [], 'use a core method (CoreHandle, the gateway, a core store) instead');
});
