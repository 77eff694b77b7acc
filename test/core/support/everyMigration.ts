// The full list of migrations a bridge with both connectors applies, as one
// list (what src/core/db/migrations used to hold before the connectors took
// theirs): tests build "old" databases from a prefix of it.
import type { Migration } from '../../../src/core/db/migrations/index.ts';
import { migrations } from '../../../src/core/db/migrations/index.ts';
import { discordMigrations } from '../../../src/connectors/discord/migrations.ts';
import { matrixMigrations } from '../../../src/connectors/matrix/migrations.ts';

export const everyMigration: Migration[] = [
  ...migrations,
  ...[...discordMigrations, ...matrixMigrations].map((m): Migration => ({ version: m.version, name: m.name, up: (db) => m.up(db) })),
].sort((a, b) => a.version - b.version);
