// What the Discord connector asks of the core: views scoped to `discord` and
// its own migrations (020–029). Its tables are named discord_*; it keeps
// none today (020's were folded into the core), so its storage has nothing to
// reach but keeps the prefix for the next one.
import type { ConnectorKit, ConnectorKits } from '../../core/kit/index.ts';
import { discordParts, type DiscordPart } from './parts.ts';
import { discordMigrations } from './migrations.ts';
import { CONNECTOR } from './portals.ts';

export const DISCORD_TABLES = ['discord_'] as const;

export type DiscordKit = ConnectorKit<DiscordPart>;

export function openDiscordKit(kits: ConnectorKits): DiscordKit {
  return kits.open({ id: CONNECTOR, tables: DISCORD_TABLES, migrations: discordMigrations, parts: discordParts });
}
