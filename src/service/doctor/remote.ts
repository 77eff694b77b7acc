// Checks of the services the bridge talks to. Each answers with the exact
// setting to change, because a wrong intent or permission fails silently later.
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'yaml';
import type { Check, CheckResult } from './types.ts';

// Discord permission bits and application flags (Discord API v10).
const PERM = { administrator: 1n << 3n, manageChannels: 1n << 4n, addReactions: 1n << 6n, manageWebhooks: 1n << 29n } as const;
const MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19);

export const discordReady: Check = async (env) => {
  const d = env.config.discord;
  if (!d) return null;
  const base = `${(d.api_url ?? 'https://discord.com/api').replace(/\/$/, '')}/v10`;
  const headers = { authorization: `Bot ${d.token}` };
  const title = 'Discord bot';
  const get = async (path: string) => {
    const r = await env.fetch(`${base}${path}`, { headers });
    return { status: r.status, body: r.ok ? ((await r.json()) as Record<string, unknown>) : null };
  };
  try {
    const me = await get('/users/@me');
    if (me.status === 401) return { id: 'discord', title, ok: false, detail: 'token rejected (401)', fix: 'Reset the bot token in the Developer Portal › Bot and put it in discord.token.' };
    if (!me.body) return { id: 'discord', title, ok: false, detail: `GET /users/@me answered ${me.status}`, fix: 'Check discord.token and the network.' };
    const app = await get('/applications/@me');
    const flags = Number(app.body?.flags ?? 0);
    if (!(flags & MESSAGE_CONTENT_FLAGS)) {
      return { id: 'discord', title, ok: false, detail: 'the Message Content intent is not enabled', fix: 'Developer Portal › your app › Bot › Privileged Gateway Intents: enable MESSAGE CONTENT INTENT (without it the gateway closes with 4014).' };
    }
    const guild = await get(`/guilds/${d.guild_id}`);
    const member = await get(`/guilds/${d.guild_id}/members/${String(me.body.id)}`);
    if (!guild.body || !member.body) return { id: 'discord', title, ok: false, detail: `the bot is not in guild ${d.guild_id}`, fix: 'Invite the bot with the OAuth2 URL generator (scopes bot + applications.commands).' };
    const roles = (guild.body.roles as { id: string; permissions: string }[]) ?? [];
    const memberRoles = new Set([d.guild_id, ...((member.body.roles as string[]) ?? [])]);
    let perms = 0n;
    for (const r of roles) if (memberRoles.has(r.id)) perms |= BigInt(r.permissions);
    const has = (bit: bigint) => (perms & PERM.administrator) !== 0n || (perms & bit) !== 0n;
    const missing = (['manageWebhooks', 'manageChannels', 'addReactions'] as const).filter((k) => !has(PERM[k]));
    if (missing.length) {
      const names = { manageWebhooks: 'Manage Webhooks', manageChannels: 'Manage Channels', addReactions: 'Add Reactions' };
      return { id: 'discord', title, ok: false, detail: `missing permissions: ${missing.map((m) => names[m]).join(', ')}`, fix: `Server Settings › Roles › the bot's role: enable ${missing.map((m) => names[m]).join(', ')}.` };
    }
    return { id: 'discord', title, ok: true, detail: `signed in as ${String(me.body.username)}, intents and permissions ok` };
  } catch (err) {
    return { id: 'discord', title, ok: false, detail: `cannot reach Discord: ${(err as Error).message}`, fix: 'Check the network (or discord.api_url).' };
  }
};

export const matrixReady: Check = async (env) => {
  const m = env.config.matrix;
  if (!m) return null;
  const base = m.homeserver_url.replace(/\/$/, '');
  const title = 'Matrix homeserver';
  const fail = (detail: string, fix: string): CheckResult => ({ id: 'matrix', title, ok: false, detail, fix });
  try {
    const versions = await env.fetch(`${base}/_matrix/client/versions`);
    if (!versions.ok) return fail(`${base} answered ${versions.status}`, 'Check matrix.homeserver_url.');
  } catch (err) {
    return fail(`cannot reach ${base}: ${(err as Error).message}`, 'Start the homeserver or fix matrix.homeserver_url.');
  }
  let token = m.access_token;
  if (m.mode === 'appservice') {
    token = m.appservice.as_token;
    if (!token && existsSync(m.appservice.registration)) token = (parse(readFileSync(m.appservice.registration, 'utf8')) as { as_token?: string }).as_token;
    if (!token) return fail('no appservice registration', `Run \`imessage-bridge matrix registration\` and list the file under app_service_config_files in homeserver.yaml.`);
  }
  if (!token) return fail('no access token', 'Set matrix.access_token for bot mode.');
  const who = await env.fetch(`${base}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
  if (who.status === 401 || who.status === 403) {
    return m.mode === 'appservice'
      ? fail('the homeserver does not know the appservice token', `Add ${m.appservice.registration} to app_service_config_files in homeserver.yaml and restart the homeserver.`)
      : fail('access token rejected', 'Log the bot in again and update matrix.access_token.');
  }
  if (!who.ok) return fail(`whoami answered ${who.status}`, 'Check the homeserver logs.');
  const body = (await who.json()) as { user_id?: string };
  return { id: 'matrix', title, ok: true, detail: `${m.mode} mode as ${body.user_id ?? '?'}${m.mode === 'appservice' ? ', registration loaded' : ''}` };
};
