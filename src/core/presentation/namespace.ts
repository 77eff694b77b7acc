// Several bridges, one team (issue 10 §5): a team with several numbers runs
// one bridge per Mac, all in one Discord guild and on one Matrix homeserver.
// `bridge.name` gives each bridge its own names there, so two never share a
// category, a forum, a slash command, an appservice id, a bot or a ghost
// namespace. Without a name, the names are the single-bridge ones.

/** The default (unnamed) bridge's names: what a single bridge has always used. */
export const DEFAULT_NAMES = {
  discord: { category_name: 'iMessage', forum_channel_name: 'imessage-inbox', command_name: 'imessage' },
  matrix: { id: 'imessage-bridge', sender_localpart: 'imessagebot', user_prefix: '_imessage_', bot_display_name: 'iMessage bridge', space_name: 'iMessage' },
} as const;

/** `Sales Team` → `sales-team`, `+1 555 000 1111` → `1-555-000-1111`: safe in Discord command names and Matrix localparts. */
export function bridgeSlug(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20).replace(/-+$/, '');
}

export interface BridgeNames {
  discord: { category_name: string; forum_channel_name: string; command_name: string };
  matrix: { id: string; sender_localpart: string; user_prefix: string; bot_display_name: string; space_name: string };
}

/** The names a bridge uses in shared places; `name` is `bridge.name` (a team label or the Mac's number). */
export function bridgeNames(name?: string | null): BridgeNames {
  if (!name) return { discord: { ...DEFAULT_NAMES.discord }, matrix: { ...DEFAULT_NAMES.matrix } };
  const slug = bridgeSlug(name);
  const under = slug.replace(/-/g, '_');
  return {
    discord: { category_name: `iMessage · ${name}`.slice(0, 100), forum_channel_name: `imessage-${slug}`, command_name: `imessage-${slug}`.slice(0, 32) },
    matrix: {
      // `_imessage-<slug>_`: the unnamed bridge's `_imessage_` namespace can't claim it (a '-' follows
      // `_imessage`, not '_'), and as a slug has no '_', no named namespace is a prefix of another's.
      id: `imessage-bridge-${slug}`, sender_localpart: `imessagebot_${under}`, user_prefix: `_imessage-${slug}_`,
      bot_display_name: `iMessage bridge (${name})`, space_name: `iMessage · ${name}`,
    },
  };
}
