// Numbered migrations, applied in order, once each. Ranges keep parts apart:
// 001–009 core, 010–019 api, 020–029 discord, 030–039 matrix, 040–049 backfill.
// The connectors' own migrations (020, 030, 031) live with each connector and
// are applied when its kit is opened (src/core/kit); this list is the core's.
// 021 and 022 stay here: they move Discord's old private state into core
// tables, which only the core writes (see their files).
import type { Database } from 'better-sqlite3';
import { m001Core } from './001_core.ts';
import { m002Delivery } from './002_delivery.ts';
import { m003Mirror } from './003_mirror.ts';
import { m004SendOrigin } from './004_sendOrigin.ts';
import { m009Scheduled } from './009_scheduled.ts';
import { m010Api } from './010_api.ts';
import { m011SearchEmoji } from './011_search_emoji.ts';
import { m012SearchNoPrefix } from './012_searchNoPrefix.ts';
import { m021DiscordMirror } from './021_discordMirror.ts';
import { m022DiscordLedger } from './022_discordLedger.ts';
import { m040Backfill } from './040_backfill.ts';
import { m041BackfillPlace } from './041_backfillPlace.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /**
   * Whether there is anything to do yet. A migration that doesn't apply is
   * left unrecorded and asked again at the next migrate (e.g. when the
   * connector whose old tables it converts registers them).
   */
  applies?(db: Database): boolean;
}

export const migrations: Migration[] = [
  m001Core,
  m002Delivery,
  m003Mirror,
  m004SendOrigin,
  m009Scheduled,
  m010Api,
  m011SearchEmoji,
  m012SearchNoPrefix,
  m021DiscordMirror,
  m022DiscordLedger,
  m040Backfill,
  m041BackfillPlace,
].sort((a, b) => a.version - b.version);
