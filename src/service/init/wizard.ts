// `imessage-bridge init`: finds chat.db, picks mirrors, sets up connectors
// (validating each token first), creates an API token, and writes a commented
// config.yaml — editing it in place on later runs. A wrong answer (a rejected
// token, an unreachable homeserver, `me` for a Matrix user id) is asked again
// with the reason, so no earlier answer is lost; without a terminal (flags)
// it ends the run before anything is written.
import type { Document } from 'yaml';
import { loadConfigDocument, saveConfigDocument, setIn, commentKey } from './configDocument.ts';
import type { Prompter } from './prompter.ts';
import { checkGuildId, checkHomeserver, checkOwner, checkRoleIds, checkServerName, validateDiscordToken, validateMatrixToken } from './validate.ts';

export interface WizardDeps {
  prompter: Prompter;
  fetch: typeof fetch;
  /** Recent chats of the chat.db at `path`, newest first, labelled with contact names; throws if unreadable. */
  listChats(path: string): { guid: string; label: string }[];
  /** Create an API token; returns the secret, shown once. */
  createApiToken(databasePath: string, name: string, scopes: string[]): string;
  defaultChatDb: string;
  out: (line: string) => void;
}

export interface WizardResult { path: string; doc: Document; apiToken: string | null }

const get = <T>(doc: Document, path: string[], def: T): T => {
  const v = doc.getIn(path) as { toJSON?: () => unknown } | T | undefined;
  // Collections come back as yaml nodes; scalars as plain values.
  const plain = v && typeof v === 'object' && 'toJSON' in v && typeof v.toJSON === 'function' ? v.toJSON() : v;
  return (plain as T | undefined) ?? def;
};

/** Ask until `check` accepts the answer; `check` throws a sentence saying what is wrong. */
async function askUntil<T>(d: WizardDeps, ask: () => Promise<string>, check: (answer: string) => T | Promise<T>): Promise<T> {
  for (;;) {
    const answer = await ask();
    try {
      return await check(answer);
    } catch (err) {
      if (!d.prompter.interactive) throw err;
      d.out(`✘ ${(err as Error).message}\n  Please try again (your other answers are kept).`);
    }
  }
}

export async function runInit(path: string, d: WizardDeps): Promise<WizardResult> {
  const doc = loadConfigDocument(path);
  const p = d.prompter;

  const chatDb = await p.input('chat-db', 'Path of Messages\' chat.db', get(doc, ['imessage', 'chat_db'], d.defaultChatDb));
  setIn(doc, ['imessage', 'chat_db'], chatDb);
  let chats: { guid: string; label: string }[] = [];
  try {
    chats = d.listChats(chatDb.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    d.out(`✔ chat.db readable: ${chats.length} chats`);
  } catch (err) {
    d.out(`✘ cannot read chat.db yet: ${(err as Error).message}\n  (you can still finish; run \`imessage-bridge doctor\` afterwards)`);
  }

  const connectors = await p.checkbox('connectors', 'Which connectors do you want?', [
    { name: 'Discord', value: 'discord', checked: doc.hasIn(['discord']) },
    { name: 'Matrix', value: 'matrix', checked: doc.hasIn(['matrix']) },
  ]);
  const pickMirrors = async (section: string) => {
    if (chats.length === 0) return;
    const current = new Set(get<string[]>(doc, [section, 'mirrors'], []));
    const mirrors = await p.checkbox(`${section}-mirrors`, `Chats to mirror into ${section}`,
      chats.slice(0, 30).map((c) => ({ name: c.label, value: c.guid, checked: current.has(c.guid) })));
    setIn(doc, [section, 'mirrors'], mirrors);
  };

  if (connectors.includes('discord')) {
    const apiUrl = get<string | undefined>(doc, ['discord', 'api_url'], undefined);
    const token = await askUntil(d, () => p.secret('discord-token', 'Discord bot token'), async (t) => {
      d.out(`✔ Discord token valid (bot ${await validateDiscordToken(t, apiUrl, d.fetch)})`);
      return t;
    });
    setIn(doc, ['discord', 'token'], token);
    setIn(doc, ['discord', 'guild_id'], await askUntil(d, () => p.input('discord-guild', 'Discord server (guild) id', get(doc, ['discord', 'guild_id'], undefined)), checkGuildId));
    const roles = await askUntil(d, () => p.input('discord-roles', 'Role ids allowed to send (comma-separated)', get<string[]>(doc, ['discord', 'allowed_roles'], []).join(',')), checkRoleIds);
    setIn(doc, ['discord', 'allowed_roles'], roles);
    commentKey(doc, ['discord', 'allowed_roles'], 'Only these roles (and discord.allowed_users) may send into iMessage.');
    await pickMirrors('discord');
  }

  if (connectors.includes('matrix')) {
    const hs = await askUntil(d, () => p.input('matrix-homeserver', 'Matrix homeserver URL', get(doc, ['matrix', 'homeserver_url'], 'https://matrix.org')), async (url) => {
      await checkHomeserver(url, d.fetch);
      return url;
    });
    setIn(doc, ['matrix', 'homeserver_url'], hs);
    const serverName = await askUntil(d, () => p.input('matrix-server-name', 'Server name (after the : in user ids)', get(doc, ['matrix', 'homeserver_name'], new URL(hs).hostname)), checkServerName);
    setIn(doc, ['matrix', 'homeserver_name'], serverName);
    const mode = await p.select('matrix-mode', 'Mode', [
      { name: 'bot — one account, any homeserver', value: 'bot' },
      { name: 'appservice — ghosts per contact, your own homeserver', value: 'appservice' },
    ], get(doc, ['matrix', 'mode'], 'bot'));
    setIn(doc, ['matrix', 'mode'], mode);
    const owner = await askUntil(d, () => p.input('matrix-owner', `Your Matrix user id (owner), like @you:${serverName}`, get<string[]>(doc, ['matrix', 'owners'], [])[0]), (v) => checkOwner(v, serverName));
    setIn(doc, ['matrix', 'owners'], [owner]);
    if (mode === 'bot') {
      const token = await askUntil(d, () => p.secret('matrix-token', 'Bot account access token'), async (t) => {
        d.out(`✔ Matrix token valid (${await validateMatrixToken(hs, t, d.fetch)})`);
        return t;
      });
      setIn(doc, ['matrix', 'access_token'], token);
    } else {
      d.out('Next: `imessage-bridge matrix registration` and add the file to app_service_config_files in homeserver.yaml.');
    }
    await pickMirrors('matrix');
  }

  let apiToken: string | null = null;
  if (await p.confirm('api', 'Enable the local HTTP API (loopback only)?', true)) {
    if (!doc.hasIn(['api'])) {
      setIn(doc, ['api', 'host'], '127.0.0.1');
      setIn(doc, ['api', 'port'], 8787);
      commentKey(doc, ['api'], 'Local gateway. Reach it over `ssh -N -L 8787:127.0.0.1:8787 mac`, never by binding 0.0.0.0.');
    }
    if (await p.confirm('api-token', 'Create an API token now?', true)) {
      const db = String(get(doc, ['bridge', 'database'], '~/Library/Application Support/imessage-bridge/bridge.db')).replace(/^~(?=\/)/, process.env.HOME ?? '~');
      apiToken = d.createApiToken(db, 'init', ['read', 'send']);
    }
  }

  saveConfigDocument(doc, path);
  d.out(`✔ wrote ${path}`);
  if (apiToken) d.out(`API token (shown once, store it now): ${apiToken}`);
  return { path, doc, apiToken };
}
