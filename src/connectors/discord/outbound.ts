// iMessage → Discord: one handler per event kind. Every handler is idempotent
// for its event (the core may redeliver after a crash): what was posted is in
// the message map, and edits, deletes and reactions converge to one state.
import { DiscordAPIError, Routes, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { BridgeEvent } from '../../core/events.ts';
import type { MessageMapView } from '../../core/kit/index.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import { loadForDiscord } from './attachments.ts';
import { discordCodeOf } from './requestErrors.ts';
import { CONNECTOR, type DiscordPortal } from './portals.ts';
import { planSlots, sendSlot, slotMessagePart, type Slot } from './slots.ts';
import { carrier, FIRST_POST, isFirstPost, isOwnMessage, NOTICE, type DiscordPart } from './parts.ts';
import {
  groupEventLine, isUnsentText, messageBody, messageLink, replyPrefix, splitText, tapbackLine, unsentText, escapeDiscordMarkdown, type NameOf,
} from './toDiscord.ts';
import { editedText, notDeliveredSentence, senderLabel, SYSTEM_LABEL } from '../../core/presentation/index.ts';
import { sanitizeWebhookUsername } from './usernames.ts';
import { historyBody } from './history.ts';
import type { OutFile, WebhookSender } from './webhookSender.ts';

type Ev<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

export interface OutboundDeps {
  client: Client;
  sender: WebhookSender;
  map: MessageMapView<DiscordPart>;
  nameOf: NameOf;
  guildId: string;
  log: Logger;
  settings: { max_upload_bytes: number; unsend_action: 'delete' | 'mark'; tapbacks: 'reactions' | 'lines' };
  /** Ids the bot itself posted: never relayed back. */
  recentlySent: Set<string>;
}

const SYSTEM_NAME = SYSTEM_LABEL;

/** What a message will look like in Discord; null when Discord can't show it. */
export interface MessagePlan { username: string; slots: Slot<OutFile & { part: number }>[] }
/** A single-message post (tapback line, notice, system line) and its map part. */
export interface SinglePost { username: string; content: string; part: DiscordPart }

export class Outbound {
  constructor(private readonly d: OutboundDeps) {}

  /** A live message, or a history line posted as the message it stands for (same plan, same map). */
  async message(p: DiscordPortal, ev: Ev<'message'> | Ev<'history'>): Promise<void> {
    const m = ev.message;
    // Sent from Discord: the agent's own message already shows it (with its fate).
    if (ev.type === 'message' && ev.sentBy?.connector === CONNECTOR) return;
    const plan = await this.messagePlan(p, ev);
    if (!plan) return; // nothing Discord can show (e.g. a system row)
    for (const slot of plan.slots) {
      if (this.d.map.remote(m.guid, slot.part)) continue; // posted before a crash
      await sendSlot(this.d.sender, p, plan.username, slot, (id, n) => {
        this.d.map.put({ messageGuid: m.guid, part: slotMessagePart(slot, n), remoteId: id, chatGuid: p.chatGuid });
        // Tapbacks and replies on an attachment part find the post that carries it (the last text post, not the first).
        if (n === 0) for (const f of slot.files) if (!this.d.map.remote(m.guid, carrier(f.part))) this.d.map.put({ messageGuid: m.guid, part: carrier(f.part), remoteId: id, chatGuid: p.chatGuid });
      });
    }
  }

  async messagePlan(p: DiscordPortal, ev: Ev<'message'> | Ev<'history'>): Promise<MessagePlan | null> {
    const m = ev.message;
    const username = sanitizeWebhookUsername(senderLabel(m, ev.type === 'message' ? ev.sentBy : null, this.d.nameOf, CONNECTOR));
    const prefix = m.replyTo ? await this.replyPrefixFor(p, m.replyTo.guid, m.replyTo.part) : '';
    const body = ev.type === 'history' ? historyBody(ev, this.d.nameOf) : messageBody(m);
    const { files, notices } = await loadForDiscord(m.attachments, this.d.settings.max_upload_bytes);
    const text = [prefix + body, ...notices].filter((s) => s.trim()).join('\n');
    if (!text && files.length === 0) return null;
    return { username, slots: planSlots(text, files) };
  }

  async edit(p: DiscordPortal, m: IMessage): Promise<void> {
    const target = this.d.map.remote(m.guid, FIRST_POST);
    const text = editedText(m);
    // An unsend moves date_edited too: that "edit" keeps the last text, which the unsend then strikes out.
    if (!target || text === null) return;
    const prefix = m.replyTo ? await this.replyPrefixFor(p, m.replyTo.guid, m.replyTo.part) : '';
    const [first = ''] = splitText(prefix + escapeDiscordMarkdown(text));
    await this.ignoreGone(() => this.d.sender.edit(p, target, { content: first }));
  }

  async unsend(p: DiscordPortal, m: IMessage): Promise<void> {
    const remotes = this.d.map.remotes(m.guid).filter((r) => isOwnMessage(r.part));
    if (this.d.settings.unsend_action === 'delete') {
      for (const r of remotes) await this.d.sender.delete(p, r.remoteId);
      return;
    }
    const first = remotes.find((r) => isFirstPost(r.part));
    if (!first) return;
    const current = await this.fetchContent(p, first.remoteId);
    if (current === null || isUnsentText(current)) return;
    await this.ignoreGone(() => this.d.sender.edit(p, first.remoteId, { content: unsentText(current) }));
  }

  async reaction(p: DiscordPortal, chat: Chat, m: IMessage): Promise<void> {
    const r = m.reaction;
    if (!r) return;
    const target = this.reactionTarget(m);
    // A bot reaction can't say who reacted: only use it when that's obvious.
    if (this.asBotReaction(chat, m)) {
      const route = Routes.channelMessageOwnReaction(p.channelId, target!, encodeURIComponent(r.emoji!));
      await this.ignoreGone(() => (r.removed ? this.d.client.rest.delete(route) : this.d.client.rest.put(route)));
      return;
    }
    await this.postOnce(p, m.guid, this.tapbackPost(p, chat, m));
  }

  async groupEvent(p: DiscordPortal, m: IMessage): Promise<void> {
    await this.postOnce(p, m.guid, this.groupEventPost(m));
  }

  async deliveryFailed(p: DiscordPortal, m: IMessage): Promise<void> {
    await this.postOnce(p, m.guid, this.failureNotice(p, m));
  }

  /** The tapback as a line, or null when it becomes a bot reaction instead. */
  tapbackPost(p: DiscordPortal, chat: Chat, m: IMessage): SinglePost | null {
    if (!m.reaction || this.asBotReaction(chat, m)) return null;
    const target = this.reactionTarget(m);
    const who = senderLabel(m, null, this.d.nameOf);
    const link = target ? messageLink(this.d.guildId, p.channelId, target) : null;
    return { username: sanitizeWebhookUsername(who), content: tapbackLine(m.reaction, who, link), part: FIRST_POST };
  }

  groupEventPost(m: IMessage): SinglePost | null {
    return m.event ? { username: SYSTEM_NAME, content: groupEventLine(m.event, this.d.nameOf), part: FIRST_POST } : null;
  }

  failureNotice(p: DiscordPortal, m: IMessage): SinglePost {
    const target = this.d.map.remote(m.guid, FIRST_POST);
    const link = target ? ` ${messageLink(this.d.guildId, p.channelId, target)}` : '';
    return { username: SYSTEM_NAME, content: `⚠️ ${notDeliveredSentence(m.error)}${link}`, part: NOTICE };
  }

  private async postOnce(p: DiscordPortal, guid: IMessage['guid'], post: SinglePost | null): Promise<void> {
    if (!post || this.d.map.remote(guid, post.part)) return;
    await this.post(p, post.username, post.content, [], (id, i) => {
      if (i === 0) this.d.map.put({ messageGuid: guid, part: post.part, remoteId: id, chatGuid: p.chatGuid });
    });
  }

  private reactionTarget(m: IMessage): string | null {
    const r = m.reaction;
    return r ? this.targetOf(r.targetGuid, r.targetPart) : null;
  }

  /** The Discord message standing for iMessage part `part`: the post carrying it (an attachment), else the first post. */
  private targetOf(guid: string, part: number): string | null {
    return this.d.map.remote(guid, carrier(part)) ?? this.d.map.remote(guid, FIRST_POST);
  }

  private asBotReaction(chat: Chat, m: IMessage): boolean {
    const r = m.reaction;
    return Boolean(this.d.settings.tapbacks === 'reactions' && !chat.isGroup && !m.fromMe && r?.emoji && r.type !== 'sticker' && this.reactionTarget(m));
  }

  /** Post text (split to Discord's limit) and files; returns the message ids in order. */
  async post(p: DiscordPortal, username: string, text: string, files: OutFile[], posted: (id: string, i: number) => void = () => undefined): Promise<string[]> {
    const ids: string[] = [];
    for (const slot of planSlots(text, files)) {
      await sendSlot(this.d.sender, p, username, slot, (id) => { posted(id, ids.length); ids.push(id); });
    }
    return ids;
  }

  private async replyPrefixFor(p: DiscordPortal, guid: string, part: number): Promise<string> {
    const target = this.targetOf(guid, part);
    if (!target) return '';
    const content = await this.fetchContent(p, target);
    const quoted = content?.split('\n').filter((l) => !l.startsWith('> ↩️')).join('\n') ?? null;
    return replyPrefix(quoted, messageLink(this.d.guildId, p.channelId, target));
  }

  private async fetchContent(p: DiscordPortal, messageId: string): Promise<string | null> {
    try {
      const m = await this.d.client.rest.get(Routes.channelMessage(p.channelId, messageId)) as { content: string };
      return m.content;
    } catch (e) {
      if (e instanceof DiscordAPIError && e.status === 404) return null;
      throw e;
    }
  }

  private async ignoreGone(f: () => Promise<unknown>): Promise<void> {
    try { await f(); } catch (e) {
      const code = discordCodeOf(e);
      if (code === 10008 || code === 10003) { this.d.log.debug({ code }, 'discord target gone; nothing to update'); return; }
      throw e;
    }
  }
}
