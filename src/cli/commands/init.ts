import type { Command } from 'commander';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { runInit } from '../../service/init/wizard.ts';
import { flagPrompter, ttyPrompter } from '../../service/init/prompter.ts';
import { recentChats } from '../../service/init/recentChats.ts';
import { openBridgeDb } from '../../core/db/bridgeDb.ts';
import { TokenStore, type Scope } from '../../api/tokens.ts';
import { setLogger, terminalLogger } from '../../log.ts';
import { apiKit } from '../../core/kit/api.ts';

export function registerInit(program: Command): void {
  program.command('init')
    .description('Interactive setup: find chat.db, pick mirrors, set up Discord/Matrix, create an API token, write config.yaml')
    .option('--config <file>', 'config file to write (edited in place if it exists)', 'config.yaml')
    .option('--chat-db <path>', 'path of chat.db')
    .option('--connectors <list>', 'comma-separated: discord,matrix')
    .option('--discord-token <token>').option('--discord-guild <id>').option('--discord-roles <ids>', 'comma-separated role ids allowed to send')
    .option('--discord-mirrors <guids>', 'comma-separated chat guids')
    .option('--matrix-homeserver <url>').option('--matrix-server-name <name>').option('--matrix-mode <mode>', 'bot or appservice')
    .option('--matrix-owner <mxid>').option('--matrix-token <token>').option('--matrix-mirrors <guids>', 'comma-separated chat guids')
    .option('--no-api', 'do not enable the local API').option('--no-api-token', 'do not create an API token')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      // A conversation, not a daemon: reading chat.db may log notes (an older
      // schema, a missing index) that would land as raw JSON between the
      // prompts. Only warnings are shown, as readable lines.
      setLogger(terminalLogger('warn', process.stderr, 'pretty'));
      const flags: Record<string, string | boolean | undefined> = {};
      for (const [k, v] of Object.entries(o)) flags[k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = v;
      const prompter = process.stdin.isTTY && process.stdout.isTTY ? ttyPrompter : flagPrompter(flags);
      await runInit(String(o.config), {
        prompter, fetch: globalThis.fetch,
        listChats: (path) => recentChats(path, join(homedir(), 'Library/Application Support/AddressBook')), defaultChatDb: join(homedir(), 'Library/Messages/chat.db'),
        createApiToken: (dbPath, name, scopes) => {
          const db = openBridgeDb(dbPath);
          try {
            const store = new TokenStore(apiKit(db).storage);
            const unique = `${name}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
            return store.create(scopes as Scope[], unique).token;
          } finally { db.close(); }
        },
        out: (l) => process.stdout.write(`${l}\n`),
      });
    });
}
