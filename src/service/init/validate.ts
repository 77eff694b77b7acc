// Tokens are checked against the service before they are written, so a typo
// fails now, in the wizard, not at 3 a.m. in the LaunchAgent's log.
export async function validateDiscordToken(token: string, apiUrl: string | undefined, f: typeof fetch = fetch): Promise<string> {
  const base = `${(apiUrl ?? 'https://discord.com/api').replace(/\/$/, '')}/v10`;
  const r = await f(`${base}/users/@me`, { headers: { authorization: `Bot ${token}` } });
  if (r.status === 401) throw new Error('Discord rejected the bot token (401). Copy it again from Developer Portal › Bot › Reset Token.');
  if (!r.ok) throw new Error(`Discord answered ${r.status} to GET /users/@me`);
  return String(((await r.json()) as { username?: string }).username ?? 'bot');
}

export async function validateMatrixToken(homeserver: string, token: string, f: typeof fetch = fetch): Promise<string> {
  const r = await f(`${homeserver.replace(/\/$/, '')}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${token}` } });
  if (r.status === 401 || r.status === 403) throw new Error('The homeserver rejected the access token.');
  if (!r.ok) throw new Error(`The homeserver answered ${r.status} to whoami`);
  return String(((await r.json()) as { user_id?: string }).user_id ?? '?');
}

export async function checkHomeserver(homeserver: string, f: typeof fetch = fetch): Promise<void> {
  const r = await f(`${homeserver.replace(/\/$/, '')}/_matrix/client/versions`).catch((e: Error) => { throw new Error(`cannot reach ${homeserver}: ${e.message}`); });
  if (!r.ok) throw new Error(`${homeserver} does not look like a Matrix homeserver (${r.status})`);
}
