// Channel, message and reaction routes, as the bot uses them.
import { ApiError, notFound, type Router } from './restPlumbing.ts';
import { checkContent, checkUploads } from './validate.ts';
import { ChannelTypes, messagePayload } from './state.ts';
import type { RouteContext } from './routeContext.ts';
import type { ApiChannel, StoredMessage } from './types.ts';

export function channelOf(ctx: RouteContext, id: string): ApiChannel {
  const ch = ctx.state.channels.get(id);
  if (!ch) throw notFound('Channel', 10003);
  return ch;
}

export function messageOf(ctx: RouteContext, channelId: string, id: string): StoredMessage {
  channelOf(ctx, channelId);
  const m = ctx.state.findMessage(channelId, id);
  if (!m) throw notFound('Message', 10008);
  return m;
}

export function addMessageRoutes(r: Router, ctx: RouteContext): void {
  const { state, actions } = ctx;
  r.add('GET', '/channels/:channel', (q) => ({ status: 200, json: channelOf(ctx, q.params.channel!) }));
  r.add('PATCH', '/channels/:channel', (q) => {
    const ch = channelOf(ctx, q.params.channel!);
    const patch: Partial<ApiChannel> = {};
    if (typeof q.body.name === 'string') patch.name = q.body.name;
    if (q.body.topic !== undefined) {
      const topic = q.body.topic as string | null;
      if (topic && topic.length > 1024) throw new ApiError(400, 50035, 'Invalid Form Body');
      patch.topic = topic;
    }
    if (q.body.parent_id !== undefined) patch.parent_id = q.body.parent_id as string | null;
    return { status: 200, json: actions.updateChannel(ch, patch) };
  });

  r.add('GET', '/channels/:channel/messages', (q) => {
    channelOf(ctx, q.params.channel!);
    const limit = Math.min(100, Math.max(1, Number(q.query.get('limit') ?? 50)));
    const page = state.pageMessages(q.params.channel!, { limit, before: q.query.get('before') ?? undefined, after: q.query.get('after') ?? undefined });
    return { status: 200, json: page.map((m) => messagePayload(m, state.bot.id)) };
  });

  // A thread without a starter message (type 11, public), in a text channel.
  r.add('POST', '/channels/:channel/threads', (q) => {
    const ch = channelOf(ctx, q.params.channel!);
    if (ch.type !== ChannelTypes.text) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    const name = q.body.name;
    if (typeof name !== 'string' || !name || name.length > 100) throw new ApiError(400, 50035, 'Invalid Form Body');
    return { status: 201, json: actions.createThread(ch.id, name, state.bot.id) };
  });
  r.add('POST', '/channels/:channel/messages', (q) => {
    const ch = channelOf(ctx, q.params.channel!);
    if (ch.type === ChannelTypes.category || ch.type === ChannelTypes.forum) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    checkContent(q.body, q.files);
    checkUploads(q.files, ctx.maxUploadBytes);
    const ref = (q.body.message_reference as { message_id?: string } | undefined)?.message_id;
    if (ref && !state.findMessage(ch.id, ref)) {
      const failIfNotExists = (q.body.message_reference as { fail_if_not_exists?: boolean }).fail_if_not_exists !== false;
      if (failIfNotExists) throw new ApiError(400, 50035, 'Invalid Form Body', { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } });
    }
    const m = actions.createMessage({
      channelId: ch.id, author: state.bot, content: q.body.content as string | undefined, embeds: q.body.embeds as unknown[] | undefined,
      files: q.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })),
      reference: ref && state.findMessage(ch.id, ref) ? ref : undefined, allowedMentions: q.body.allowed_mentions, roles: [state.botRoleId],
    });
    return { status: 200, json: messagePayload(m, state.bot.id) };
  });

  r.add('GET', '/channels/:channel/messages/:message', (q) => ({ status: 200, json: messagePayload(messageOf(ctx, q.params.channel!, q.params.message!), state.bot.id) }));

  r.add('PATCH', '/channels/:channel/messages/:message', (q) => {
    const m = messageOf(ctx, q.params.channel!, q.params.message!);
    if (m.author.id !== state.bot.id) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
    checkContent(q.body, [], false);
    return { status: 200, json: messagePayload(actions.editMessage(m, { content: q.body.content as string | undefined, embeds: q.body.embeds as unknown[] | undefined, allowedMentions: q.body.allowed_mentions }), state.bot.id) };
  });

  r.add('DELETE', '/channels/:channel/messages/:message', (q) => {
    messageOf(ctx, q.params.channel!, q.params.message!);
    actions.deleteMessage(q.params.channel!, q.params.message!);
    return { status: 204 };
  });

  const reaction = (add: boolean) => (q: { params: Record<string, string> }) => {
    const m = messageOf(ctx, q.params.channel!, q.params.message!);
    const emoji = q.params.emoji!;
    if (!emoji || /^\w+$/.test(emoji)) throw new ApiError(400, 10014, 'Unknown Emoji');
    actions.react(m, state.bot.id, emoji, add);
    return { status: 204 };
  };
  r.add('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', reaction(true));
  r.add('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', reaction(false));
}
