// iMessage → Discord: one handler per event kind. Every handler is idempotent
// for its event (the core may redeliver after a crash): what was posted is in
// the message map, and edits, deletes and reactions converge to one state.
import { DiscordAPIError, Routes, type Client } from 'discord.js';
import type { Logger } from 'pino';
import type { BridgeEvent } from '../../core/events.ts';
import type { MessageMap } from '../../core/store/messageMap.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import { loadForDiscord } from './attachments.ts';
import { CONNECTOR, type DiscordPortal } from './portals.ts';
import {
  formatBytes, groupEventLine, messageLink, otherKindLine, replyPrefix, senderName, splitText, tapbackLine, unsentText, type NameOf,
} from './toDiscord.ts';
import { sanitizeWebhookUsername } from './usernames.ts';
import { isTooLarge, type OutFile, type WebhookSender } from './webhookSender.ts';

type Ev<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

export interface OutboundDeps {
  client: Client;
  sender: WebhookSender;
  map: MessageMap;
  nameOf: NameOf;
  guildId: string;
  log: Logger;
  settings: { max_upload_bytes: number; unsend_action: 'delete' | 'mark'; tapbacks: 'reactions' | 'lines' };
  /** Ids the bot itself posted: never relayed back. */
  recentlySent: Set<string>;
}

/** Extra message-map parts: text overflow and notices live beside the real parts. */
export const OVERFLOW_PART = 1000;
export const NOTICE_PART = -1;
const SYSTEM_NAME = 'iMessage';
const MAX_FILES_PER_MESSAGE = 10;

export class Outbound {
  constructor(private readonly d: OutboundDeps) {}

  async message(p: DiscordPortal, ev: Ev<'message'>): Promise<void> {
    const m = ev.message;
    if (this.d.map.remote(CONNECTOR, m.guid, 0)) return;
    // Sent from Discord: the agent's own message already shows it (with its fate).
    if (ev.sentBy?.connector === CONNECTOR) return;
    const username = sanitizeWebhookUsername(senderName(m, ev.sentBy, this.d.nameOf));
    const prefix = m.replyTo ? await this.replyPrefixFor(p, m.replyTo.guid, m.replyTo.part) : '';
    const body = m.text || otherKindLine(m) || '';
    const { files, notices } = await loadForDiscord(m.attachments, this.d.settings.max_upload_bytes);
    const text = [prefix + body, ...notices].filter((s) => s.trim()).join('\n');
    if (!text && files.length === 0) return; // nothing Discord can show (e.g. a system row)
    const ids = await this.post(p, username, text, files);
    ids.forEach((id, i) => this.d.map.put(CONNECTOR, { messageGuid: m.guid, part: i === 0 ? 0 : OVERFLOW_PART + i, remoteId: id, chatGuid: p.chatGuid }));
    // Tapbacks on an attachment part find the message that carries it.
    for (const f of files) if (f.part !== 0 && !this.d.map.remote(CONNECTOR, m.guid, f.part)) this.d.map.put(CONNECTOR, { messageGuid: m.guid, part: f.part, remoteId: ids.at(-1)!, chatGuid: p.chatGuid });
  }

  async edit(p: DiscordPortal, m: IMessage): Promise<void> {
    const target = this.d.map.remote(CONNECTOR, m.guid, 0);
    if (!target) return;
    const prefix = m.replyTo ? await this.replyPrefixFor(p, m.replyTo.guid, m.replyTo.part) : '';
    const [first = ''] = splitText(prefix + m.text);
    await this.ignoreGone(() => this.d.sender.edit(p, target, { content: first || '*(empty)*' }));
  }

  async unsend(p: DiscordPortal, m: IMessage): Promise<void> {
    const remotes = this.d.map.remotes(CONNECTOR, m.guid).filter((r) => r.part !== NOTICE_PART);
    if (this.d.settings.unsend_action === 'delete') {
      for (const r of remotes) await this.d.sender.delete(p, r.remoteId);
      return;
    }
    const first = remotes.find((r) => r.part === 0);
    if (!first) return;
    const current = await this.fetchContent(p, first.remoteId);
    if (current === null || current.endsWith('*(unsent)*')) return;
    await this.ignoreGone(() => this.d.sender.edit(p, first.remoteId, { content: unsentText(current) }));
  }

  async reaction(p: DiscordPortal, chat: Chat, m: IMessage): Promise<void> {
    const r = m.reaction;
    if (!r) return;
    const target = this.d.map.remote(CONNECTOR, r.targetGuid, r.targetPart) ?? this.d.map.remote(CONNECTOR, r.targetGuid, 0);
    // A bot reaction can't say who reacted: only use it when that's obvious.
    const asReaction = this.d.settings.tapbacks === 'reactions' && !chat.isGroup && !m.fromMe && target && r.emoji && r.type !== 'sticker';
    if (asReaction) {
      const route = Routes.channelMessageOwnReaction(p.channelId, target, encodeURIComponent(r.emoji!));
      await this.ignoreGone(() => (r.removed ? this.d.client.rest.delete(route) : this.d.client.rest.put(route)));
      return;
    }
    if (this.d.map.remote(CONNECTOR, m.guid, 0)) return;
    const who = senderName(m, null, this.d.nameOf);
    const link = target ? messageLink(this.d.guildId, p.channelId, target) : null;
    const [id] = await this.post(p, sanitizeWebhookUsername(who), tapbackLine(r, who, link), []);
    if (id) this.d.map.put(CONNECTOR, { messageGuid: m.guid, part: 0, remoteId: id, chatGuid: p.chatGuid });
  }

  async groupEvent(p: DiscordPortal, m: IMessage): Promise<void> {
    if (!m.event || this.d.map.remote(CONNECTOR, m.guid, 0)) return;
    const [id] = await this.post(p, SYSTEM_NAME, groupEventLine(m.event, this.d.nameOf), []);
    if (id) this.d.map.put(CONNECTOR, { messageGuid: m.guid, part: 0, remoteId: id, chatGuid: p.chatGuid });
  }

  async deliveryFailed(p: DiscordPortal, m: IMessage): Promise<void> {
    if (this.d.map.remote(CONNECTOR, m.guid, NOTICE_PART)) return;
    const target = this.d.map.remote(CONNECTOR, m.guid, 0);
    const link = target ? ` ${messageLink(this.d.guildId, p.channelId, target)}` : '';
    const [id] = await this.post(p, SYSTEM_NAME, `⚠️ Messages reports this message was not delivered (error ${m.error}).${link}`, []);
    if (id) this.d.map.put(CONNECTOR, { messageGuid: m.guid, part: NOTICE_PART, remoteId: id, chatGuid: p.chatGuid });
  }

  /** Post text (split to Discord's limit) and files; returns the message ids in order. */
  async post(p: DiscordPortal, username: string, text: string, files: OutFile[]): Promise<string[]> {
    const parts = text ? splitText(text) : [];
    const fileGroups: OutFile[][] = [];
    for (let i = 0; i < files.length; i += MAX_FILES_PER_MESSAGE) fileGroups.push(files.slice(i, i + MAX_FILES_PER_MESSAGE));
    const ids: string[] = [];
    const send = async (content: string | undefined, group: OutFile[]) => {
      try {
        ids.push((await this.d.sender.execute(p, { ...(content ? { content } : {}), username }, group)).id);
      } catch (e) {
        if (!isTooLarge(e) || group.length === 0) throw e;
        // Discord's real limit can be below ours (boost level): send what fits, one by one, and a notice for the rest.
        const tooLarge: OutFile[] = [];
        let pending = content;
        for (const f of group) {
          try {
            ids.push((await this.d.sender.execute(p, { ...(pending ? { content: pending } : {}), username }, [f])).id);
            pending = undefined;
          } catch (e2) {
            if (!isTooLarge(e2)) throw e2;
            tooLarge.push(f);
          }
        }
        const notice = tooLarge.map((f) => `📎 ${f.name} (${formatBytes(f.data.length)}) is too large for Discord; it stays in Messages.`).join('\n');
        for (const c of splitText([pending, notice].filter(Boolean).join('\n'))) if (c) ids.push((await this.d.sender.execute(p, { content: c, username }, [])).id);
      }
    };
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      await send(parts[i], last ? fileGroups.shift() ?? [] : []);
    }
    for (const g of fileGroups) await send(undefined, g);
    return ids;
  }

  private async replyPrefixFor(p: DiscordPortal, guid: string, part: number): Promise<string> {
    const target = this.d.map.remote(CONNECTOR, guid, part) ?? this.d.map.remote(CONNECTOR, guid, 0);
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
      if (e instanceof DiscordAPIError && (e.code === 10008 || e.code === 10003)) { this.d.log.debug({ code: e.code }, 'discord target gone; nothing to update'); return; }
      throw e;
    }
  }
}
