// Webhooks: created per channel by the bot, executed with their token (no bot
// auth), with username override, forum threads via thread_name / thread_id,
// and the message edit/delete routes. Interaction followups share these paths.
import { ApiError, notFound, type Req, type Router } from './restPlumbing.ts';
import { checkContent, checkUploads, checkWebhookUsername } from './validate.ts';
import { ChannelTypes, messagePayload } from './state.ts';
import { snowflake } from './snowflake.ts';
import { channelOf, messageOf } from './routesMessages.ts';
import { randomBytes } from 'node:crypto';
import type { RouteContext } from './routeContext.ts';
import type { StoredMessage, StoredWebhook } from './types.ts';

export function addWebhookRoutes(r: Router, ctx: RouteContext): void {
  const { state, actions } = ctx;

  r.add('GET', '/channels/:channel/webhooks', (q) => {
    channelOf(ctx, q.params.channel!);
    return { status: 200, json: [...state.webhooks.values()].filter((w) => w.channel_id === q.params.channel).map((w) => webhookPayload(w, state.bot)) };
  });
  r.add('POST', '/channels/:channel/webhooks', (q) => {
    const ch = channelOf(ctx, q.params.channel!);
    if (ch.type !== ChannelTypes.text && ch.type !== ChannelTypes.forum) throw new ApiError(400, 50008, 'Cannot create webhooks in this channel type');
    if ([...state.webhooks.values()].filter((w) => w.channel_id === ch.id).length >= 15) throw new ApiError(400, 30007, 'Maximum number of webhooks reached (15)');
    const name = String(q.body.name ?? '');
    checkWebhookUsername(name);
    const w: StoredWebhook = { id: snowflake(), token: randomBytes(34).toString('base64url'), channel_id: ch.id, guild_id: state.guildId, name, application_id: state.applicationId, type: 1 };
    state.webhooks.set(w.id, w);
    return { status: 200, json: webhookPayload(w, state.bot) };
  });

  r.add('GET', '/webhooks/:id/:token', (q) => ({ status: 200, json: webhookPayload(webhookOf(ctx, q), state.bot) }), false);

  r.add('POST', '/webhooks/:id/:token', (q) => {
    const followup = interactionOf(ctx, q);
    if (followup) {
      checkContent(q.body, q.files);
      const m = actions.createMessage({ channelId: followup.channelId, author: state.bot, content: q.body.content as string | undefined, webhookId: state.applicationId, allowedMentions: q.body.allowed_mentions });
      followup.followups.push(m);
      return { status: 200, json: messagePayload(m) };
    }
    const w = webhookOf(ctx, q);
    checkContent(q.body, q.files);
    checkWebhookUsername(q.body.username);
    checkUploads(q.files, ctx.maxUploadBytes);
    const channelId = targetChannel(ctx, w, q);
    const parent = channelOf(ctx, w.channel_id);
    const threadName = q.body.thread_name;
    let newThreadId: string | undefined;
    if (parent.type === ChannelTypes.forum && !q.query.get('thread_id')) {
      if (typeof threadName !== 'string' || !threadName) throw new ApiError(400, 220001, 'Webhooks posted to forum channels must have a thread_name or thread_id');
      newThreadId = snowflake(); // a forum post's id is its starter message's id
      actions.createThread(parent.id, threadName.slice(0, 100), w.id, newThreadId);
    }
    const author = { id: w.id, username: (q.body.username as string | undefined) ?? w.name, discriminator: '0000', global_name: null, avatar: null, bot: true };
    const m = actions.createMessage({
      channelId: newThreadId ?? channelId, author, content: q.body.content as string | undefined, embeds: q.body.embeds as unknown[] | undefined,
      files: q.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })), webhookId: w.id, allowedMentions: q.body.allowed_mentions,
      ...(newThreadId ? { id: newThreadId } : {}),
    });
    return q.query.get('wait') === 'true' ? { status: 200, json: messagePayload(m) } : { status: 204 };
  }, false);

  const webhookMessage = (q: Req): StoredMessage => {
    const followup = interactionOf(ctx, q);
    if (followup) {
      const m = q.params.message === '@original' ? undefined : followup.followups.find((f) => f.id === q.params.message);
      if (!m) throw notFound('Message', 10008);
      return m;
    }
    const w = webhookOf(ctx, q);
    const m = messageOf(ctx, targetChannel(ctx, w, q), q.params.message!);
    if (m.webhook_id !== w.id) throw notFound('Message', 10008);
    return m;
  };

  r.add('GET', '/webhooks/:id/:token/messages/:message', (q) => ({ status: 200, json: messagePayload(webhookMessage(q)) }), false);
  r.add('PATCH', '/webhooks/:id/:token/messages/:message', (q) => {
    const followup = interactionOf(ctx, q);
    if (followup && q.params.message === '@original') {
      followup.responses.push({ type: 4, data: q.body });
      return { status: 200, json: { id: snowflake(), channel_id: followup.channelId, content: q.body.content ?? '', author: state.bot, attachments: [], embeds: [], timestamp: new Date().toISOString(), edited_timestamp: null, type: 20, mentions: [], mention_roles: [], pinned: false, tts: false, mention_everyone: false } };
    }
    checkContent(q.body, [], false);
    const m = webhookMessage(q);
    return { status: 200, json: messagePayload(actions.editMessage(m, { content: q.body.content as string | undefined, embeds: q.body.embeds as unknown[] | undefined, allowedMentions: q.body.allowed_mentions })) };
  }, false);
  r.add('DELETE', '/webhooks/:id/:token/messages/:message', (q) => {
    const m = webhookMessage(q);
    actions.deleteMessage(m.channel_id, m.id);
    return { status: 204 };
  }, false);
}

function webhookOf(ctx: RouteContext, q: Req): StoredWebhook {
  const w = ctx.state.webhooks.get(q.params.id!);
  if (!w || w.token !== q.params.token) throw notFound('Webhook', 10015);
  return w;
}

/** The channel a webhook call acts in: its own, or a thread of it via ?thread_id. */
function targetChannel(ctx: RouteContext, w: StoredWebhook, q: Req): string {
  const threadId = q.query.get('thread_id');
  if (!threadId) return w.channel_id;
  const th = ctx.state.channels.get(threadId);
  if (!th || th.parent_id !== w.channel_id) throw notFound('Channel', 10003);
  return th.id;
}

function interactionOf(ctx: RouteContext, q: Req) {
  if (q.params.id !== ctx.state.applicationId) return undefined;
  return [...ctx.interactions.values()].find((i) => i.token === q.params.token);
}

const webhookPayload = (w: StoredWebhook, user: unknown) => ({ id: w.id, type: w.type, guild_id: w.guild_id, channel_id: w.channel_id, name: w.name, avatar: null, token: w.token, application_id: w.application_id, user });
