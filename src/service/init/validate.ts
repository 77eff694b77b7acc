// Tokens are checked against the service before they are written, so a typo
// fails now, in the wizard, not at 3 a.m. in the LaunchAgent's log. Every
// message names the host that was tried, since a wrong URL looks like a wrong
// token otherwise. Plain answers are checked with the config schema's own
// rules, so the wizard accepts exactly what `config check` accepts.
import { discordSection } from '../../config/sections/discord.ts';
import { matrixSection } from '../../config/sections/matrix.ts';

const hostOf = (url: string): string => { try { return new URL(url).host; } catch { return url; } };

/** fetch, with a network failure turned into a sentence naming the host. */
async function reach(f: typeof fetch, url: string, init: RequestInit | undefined, what: string): Promise<Response> {
  try {
    return await f(url, init);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new Error(`cannot reach ${what} at ${hostOf(url)} (${why}); check the address and the network`);
  }
}

export async function validateDiscordToken(token: string, apiUrl: string | undefined, f: typeof fetch = fetch): Promise<string> {
  const base = `${(apiUrl ?? 'https://discord.com/api').replace(/\/$/, '')}/v10`;
  const host = hostOf(base);
  const r = await reach(f, `${base}/users/@me`, { headers: { authorization: `Bot ${token}` } }, 'Discord');
  if (r.status === 401) throw new Error(`Discord (${host}) rejected the bot token (401). Copy it again from Developer Portal › Bot › Reset Token.`);
  if (!r.ok) throw new Error(`Discord (${host}) answered ${r.status} to GET /users/@me`);
  return String(((await r.json()) as { username?: string }).username ?? 'bot');
}

export async function validateMatrixToken(homeserver: string, token: string, f: typeof fetch = fetch): Promise<string> {
  const host = hostOf(homeserver);
  const r = await reach(f, `${homeserver.replace(/\/$/, '')}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } }, 'the homeserver');
  if (r.status === 401 || r.status === 403) throw new Error(`The homeserver ${host} rejected the access token (${r.status}).`);
  if (!r.ok) throw new Error(`The homeserver ${host} answered ${r.status} to whoami`);
  return String(((await r.json()) as { user_id?: string }).user_id ?? '?');
}

export async function checkHomeserver(homeserver: string, f: typeof fetch = fetch): Promise<void> {
  const url = matrixSection.shape.homeserver_url.safeParse(homeserver);
  if (!url.success || !/^https?:\/\//.test(homeserver)) throw new Error(`"${homeserver}" is not a URL: give the homeserver's address, like https://matrix.example.org`);
  const r = await reach(f, `${homeserver.replace(/\/$/, '')}/_matrix/client/versions`, undefined, 'the homeserver');
  if (!r.ok) throw new Error(`${hostOf(homeserver)} does not look like a Matrix homeserver (GET /_matrix/client/versions answered ${r.status})`);
}

/** The schema's own message for a value, or null when `config check` would accept it. */
const schemaProblem = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | null => {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error?.issues[0]?.message ?? 'invalid');
};

export function checkGuildId(id: string): string {
  const p = schemaProblem(discordSection.shape.guild_id, id.trim());
  if (p) throw new Error(`"${id}" is not ${p} (17 to 20 digits): in Discord turn on Developer Mode, then right-click the server › Copy Server ID`);
  return id.trim();
}

export function checkRoleIds(list: string): string[] {
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((x) => !/^\d{17,20}$/.test(x));
  if (bad.length) throw new Error(`${bad.map((b) => `"${b}"`).join(', ')} ${bad.length > 1 ? 'are not role ids' : 'is not a role id'} (17 to 20 digits): Server Settings › Roles › right-click the role › Copy Role ID`);
  return ids;
}

export function checkServerName(name: string): string {
  const n = name.trim();
  if (!n || /[/\s@]|^https?:/.test(n)) throw new Error(`"${name}" is not a server name: give the part after ':' in user ids, like example.org`);
  return n;
}

export function checkOwner(mxid: string, serverName: string): string {
  const p = schemaProblem(matrixSection.shape.owners.element, mxid.trim());
  if (p) throw new Error(`"${mxid}" is not ${p}: give your full user id, e.g. @${mxid.replace(/^@/, '').split(':')[0] || 'you'}:${serverName}`);
  return mxid.trim();
}
