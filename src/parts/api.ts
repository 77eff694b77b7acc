// The HTTP gateway as a daemon part: started after the core (it needs the
// core's event and fate feeds), stopped before it.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Part } from '../daemon.ts';
import { homeOf } from '../daemon.ts';
import { startApi, type RunningApi } from '../api/index.ts';
import type { JsonContract } from '../api/json.ts';

export function apiPart(config: Config, log: Logger, onStarted?: (api: RunningApi) => void, json?: JsonContract): Part | null {
  const api = config.api;
  if (!api) return null;
  let running: RunningApi | null = null;
  return {
    async start(core, db) {
      // The API applies its own send restriction (api.send_restriction); the
      // core's policy is only for connectors' mirrored-chat rule.
      running = await startApi({ config: api, chatDbPath: config.imessage.chat_db, home: homeOf(config.imessage.chat_db), db, gateway: core.gateway(() => true), log: log.child({ part: 'api' }), ...(json ? { json } : {}) });
      log.info({ url: running.url }, 'API listening');
      onStarted?.(running);
    },
    async stop() {
      await running?.stop();
      running = null;
    },
  };
}
