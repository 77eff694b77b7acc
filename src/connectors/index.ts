// The connectors `run` starts, built from the config. The lead wires Discord
// and Matrix in here; until then the bridge runs with none (API/watch only).
import type { Config } from '../config/schema.ts';
import type { Connector } from '../core/connector.ts';
import type { ConnectorDeps } from '../daemon.ts';

export function connectorsFromConfig(_config: Config, _deps: ConnectorDeps): Connector[] {
  return [];
}
