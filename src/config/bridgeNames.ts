// `bridge.name` namespaces the names a bridge uses in places a team's bridges
// share (src/core/presentation/namespace.ts). Filled in before validation, and
// only where the config leaves a key unset, so an explicit value always wins
// and every reader (run, `matrix registration`, doctor) sees the same names.
import { bridgeNames } from '../core/presentation/namespace.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fill(target: Obj, defaults: Record<string, string>, keys: string[]): Obj {
  const out = { ...target };
  for (const k of keys) if (out[k] === undefined) out[k] = defaults[k];
  return out;
}

export function withBridgeNames(raw: unknown): unknown {
  if (!isObj(raw) || !isObj(raw.bridge) || typeof raw.bridge.name !== 'string' || raw.bridge.name.trim() === '') return raw;
  const names = bridgeNames(raw.bridge.name.trim());
  const out: Obj = { ...raw };
  if (isObj(raw.discord)) out.discord = fill(raw.discord, names.discord, ['category_name', 'forum_channel_name', 'command_name']);
  if (isObj(raw.matrix)) {
    const m = fill(raw.matrix, names.matrix, ['space_name']);
    m.appservice = fill(isObj(raw.matrix.appservice) ? raw.matrix.appservice : {}, names.matrix, ['id', 'sender_localpart', 'user_prefix', 'bot_display_name']);
    out.matrix = m;
  }
  return out;
}
