// The HTTP gateway as a daemon part: started after the core (it needs the
// core's event and fate feeds), stopped before it. Chats and messages carry
// contact names, so clients show "Ada Lovelace", not "+15551230001".
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Part } from '../daemon.ts';
import { homeOf } from '../daemon.ts';
import { startApi, type RunningApi } from '../api/index.ts';
import { apiKit } from '../core/kit/api.ts';
import { namedJson } from '../api/namedJson.ts';
import { ContactBook } from '../imessage/contacts/index.ts';
import { ensureWebClient } from '../demo/webBuild.ts';

export function apiPart(config: Config, log: Logger, onStarted?: (api: RunningApi) => void): Part | null {
  const api = config.api;
  if (!api) return null;
  let running: RunningApi | null = null;
  let contacts: ContactBook | null = null;
  return {
    async start(core, db, chatDb) {
      // A fresh clone has no web/dist yet: build it on first use (one notice line).
      if (api.web_client) await ensureWebClient((line) => log.warn(line));
      contacts = new ContactBook({ dir: config.imessage.contacts_dir, defaultRegion: config.imessage.default_region, log });
      // The core's send policy decides every API send; the API supplies only
      // its scope (api.send_restriction), the token scope is checked by the API.
      running = await startApi({
        config: api, chatDb, home: homeOf(config.imessage.chat_db), kit: apiKit(db),
        gateway: core.gateway({ kind: 'api', restriction: api.send_restriction, allowlist: api.send_allowlist }), eventLog: core.events, log: log.child({ part: 'api' }), json: namedJson(contacts),
      });
      onStarted?.(running);
    },
    async stop() {
      await running?.stop();
      contacts?.close();
      running = null;
      contacts = null;
    },
  };
}
