// Guild, application and interaction routes: channel creation (text, category,
// forum), slash-command registration, and interaction callbacks.
import { ApiError, notFound, type Router } from './restPlumbing.ts';
import { ChannelTypes } from './state.ts';
import { snowflake } from './snowflake.ts';
import type { RouteContext } from './routeContext.ts';

const ALLOWED_TYPES = new Set<number>([ChannelTypes.text, ChannelTypes.category, ChannelTypes.forum]);

export function addGuildRoutes(r: Router, ctx: RouteContext): void {
  const { state, actions } = ctx;
  const guild = (id: string) => { if (id !== state.guildId) throw notFound('Guild', 10004); };

  r.add('GET', '/gateway/bot', () => ({ status: 200, json: { url: ctx.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } } }));
  r.add('GET', '/gateway', () => ({ status: 200, json: { url: ctx.gatewayUrl() } }));
  r.add('GET', '/users/@me', () => ({ status: 200, json: state.bot }));

  r.add('GET', '/guilds/:guild/channels', (q) => { guild(q.params.guild!); return { status: 200, json: [...state.channels.values()].filter((c) => c.type !== ChannelTypes.publicThread) }; });
  r.add('POST', '/guilds/:guild/channels', (q) => {
    guild(q.params.guild!);
    const type = Number(q.body.type ?? ChannelTypes.text);
    const name = String(q.body.name ?? '');
    if (!ALLOWED_TYPES.has(type)) throw new ApiError(400, 50035, 'Invalid Form Body', { type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of …' }] } });
    if (name.length < 1 || name.length > 100) throw new ApiError(400, 50035, 'Invalid Form Body', { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } });
    const parent = q.body.parent_id as string | undefined;
    if (parent && state.channels.get(parent)?.type !== ChannelTypes.category) throw new ApiError(400, 50035, 'Invalid Form Body', { parent_id: { _errors: [{ code: 'CHANNEL_PARENT_INVALID_TYPE', message: 'Not a category' }] } });
    // Discord lowercases text channel names and turns spaces into dashes.
    const finalName = type === ChannelTypes.text ? name.toLowerCase().replace(/\s+/g, '-') : name;
    const ch = actions.createChannel({ name: finalName, type, parent_id: parent ?? null, topic: (q.body.topic as string | undefined) ?? null });
    return { status: 201, json: ch };
  });
  r.add('GET', '/guilds/:guild/members/:user', (q) => {
    guild(q.params.guild!);
    const m = state.memberPayload(q.params.user!);
    if (!m) throw notFound('Member', 10007);
    return { status: 200, json: m };
  });
  r.add('GET', '/guilds/:guild/roles', (q) => { guild(q.params.guild!); return { status: 200, json: [...state.roles.values()] }; });

  const putCommands = (q: { params: Record<string, string>; body: unknown }) => {
    if (q.params.app !== state.applicationId) throw notFound('Application', 10002);
    if (!Array.isArray(q.body)) throw new ApiError(400, 50035, 'Invalid Form Body');
    state.commands.length = 0;
    for (const c of q.body as Array<Record<string, unknown>>) state.commands.push({ ...c, id: snowflake(), application_id: state.applicationId, version: snowflake(), default_member_permissions: null, type: 1 });
    return { status: 200, json: state.commands };
  };
  r.add('PUT', '/applications/:app/guilds/:guild/commands', putCommands);
  // Create one command, or overwrite the one with the same name (Discord's upsert).
  r.add('POST', '/applications/:app/guilds/:guild/commands', (q) => {
    if (q.params.app !== state.applicationId) throw notFound('Application', 10002);
    const body = q.body as Record<string, unknown> | null;
    if (!body || typeof body.name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(body.name)) throw new ApiError(400, 50035, 'Invalid Form Body');
    const known = state.commands as Array<{ id: string; name: string }>;
    const at = known.findIndex((c) => c.name === body.name);
    const made = { ...body, id: at >= 0 ? known[at]!.id : snowflake(), application_id: state.applicationId, version: snowflake(), default_member_permissions: null, type: 1 };
    if (at >= 0) state.commands[at] = made; else state.commands.push(made);
    return { status: at >= 0 ? 200 : 201, json: made };
  });
  r.add('PUT', '/applications/:app/commands', putCommands);
  r.add('GET', '/applications/:app/guilds/:guild/commands', () => ({ status: 200, json: state.commands }));

  r.add('POST', '/interactions/:id/:token/callback', (q) => {
    const i = ctx.interactions.get(q.params.id!);
    if (!i || i.token !== q.params.token) throw notFound('Interaction', 10062);
    if (i.responses.length > 0) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    i.responses.push({ type: Number(q.body.type), data: q.body.data as Record<string, unknown> | undefined });
    return { status: 204 };
  }, false);
}
