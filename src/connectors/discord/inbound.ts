// Discord → iMessage. Only allowed people in mirrored channels reach the
// outbox; notes, our own echoes and everyone else stay in Discord. Messages of
// one channel are handled one at a time so they reach the outbox in order.
import { join } from 'node:path';
import type { Message, PartialMessage } from 'discord.js';
import type { Logger } from 'pino';
import type { CoreHandle } from '../../core/connector.ts';
import type { Attribution, SendIntent } from '../../core/events.ts';
import type { ConnectorState } from './connectorState.ts';
import { DownloadTooLarge, download, removeQuietly } from './attachments.ts';
import type { FateReactions } from './fate.ts';
import { decide, outboundText, type MessageFacts } from './fromDiscord.ts';
import { deniedNotice, maySend, type AllowList } from './permissions.ts';
import { CONNECTOR, type DiscordPortal, type Portals } from './portals.ts';
import { RecentIds } from './recentIds.ts';

export interface InboundDeps {
  core: () => CoreHandle;
  portals: Portals;
  state: ConnectorState;
  fate: FateReactions;
  botUserId: () => string;
  recentlySent: ReadonlySet<string>;
  settings: AllowList & { note_prefix: string; signature: boolean; max_outbound_file_bytes: number };
  downloadDir: string;
  log: Logger;
}

export class Inbound {
  private readonly chains = new Map<string, Promise<void>>();
  /** Bounded: a long-running bridge sees edits forever. */
  private readonly notifiedEdits = new RecentIds(10_000);
  /** Messages handled in this process: a catch-up and the gateway may both bring one. */
  private readonly handled = new RecentIds(10_000);

  constructor(private readonly d: InboundDeps) {}

  /** Queue per channel: order within a chat is kept all the way to the outbox. */
  onMessage(msg: Message): Promise<void> {
    const key = msg.channelId;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.handle(msg)).catch((e: unknown) => {
      this.d.log.error({ err: e, messageId: msg.id }, 'discord message could not be handed to the outbox');
    });
    this.chains.set(key, next);
    void next.then(() => { if (this.chains.get(key) === next) this.chains.delete(key); });
    return next;
  }

  /** Resolves when everything received so far has been handed on (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
    await this.d.fate.settled();
  }

  async onEdit(msg: Message | PartialMessage): Promise<void> {
    if (!msg.editedTimestamp) return; // embed unfurls also update messages
    const key = `${msg.id}:${msg.editedTimestamp}`;
    if (this.notifiedEdits.has(key) || this.d.state.originsOfMessage(msg.id).length === 0) return;
    this.notifiedEdits.add(key);
    await this.d.fate.reply(msg.channelId, msg.id, "✏️ This edit stays in Discord: iMessage can't change a message that was already sent. Send a correction as a new message.");
  }

  async onDelete(msg: Message | PartialMessage): Promise<void> {
    const origins = this.d.state.originsOfMessage(msg.id);
    const first = origins[0];
    if (!first) return;
    const portal = this.d.portals.byChannel(first.channelId);
    if (!portal) return;
    await this.d.fate.reply(first.channelId, msg.id, "🗑️ A Discord message was deleted, but it was already sent and can't be unsent in iMessage: the recipient still has it.");
  }

  private async handle(msg: Message): Promise<void> {
    if (!msg.inGuild() || this.handled.has(msg.id)) return;
    this.handled.add(msg.id);
    const { portal, place } = this.locate(msg);
    try {
      await this.decideAndRelay(msg, portal, place);
    } finally {
      // Where a catch-up after a restart starts reading again.
      if (place === 'portal') this.d.portals.markSeen(msg.channelId, msg.id);
    }
  }

  private async decideAndRelay(msg: Message<true>, portal: DiscordPortal | null, place: MessageFacts['place']): Promise<void> {
    const facts: MessageFacts = { id: msg.id, authorId: msg.author.id, webhookId: msg.webhookId, type: msg.type, content: msg.content, place };
    const decision = decide(facts, { botUserId: this.d.botUserId(), ownWebhookIds: this.d.portals.ownWebhookIds, recentlySent: this.d.recentlySent }, this.d.settings.note_prefix);
    const who = this.attribution(msg);
    if (decision.kind === 'ignore') return;
    if (decision.kind === 'note') {
      this.d.state.audit({ userId: who.userId, userName: who.displayName, action: 'note', chatGuid: portal?.chatGuid ?? null, detail: decision.reason });
      return;
    }
    if (!portal) return;
    // Handed to the outbox before a crash or restart: never twice.
    if (this.d.state.originsOfMessage(msg.id).length > 0) return;
    // Messages fetched over REST (catch-up) carry no member: look it up for the roles.
    const member = msg.member ?? (await msg.guild.members.fetch(msg.author.id).catch(() => null));
    const allowed = maySend({
      userId: msg.author.id, username: msg.author.username,
      roleIds: member ? [...member.roles.cache.keys()] : [], roleNames: member ? member.roles.cache.map((r) => r.name) : [],
    }, this.d.settings);
    if (!allowed) {
      this.d.state.audit({ userId: who.userId, userName: who.displayName, action: 'denied', chatGuid: portal.chatGuid, detail: msg.content.slice(0, 200) });
      if (this.d.state.firstDenial(msg.channelId, msg.author.id)) await this.d.fate.reply(msg.channelId, msg.id, deniedNotice(msg.author.id));
      return;
    }
    await this.relay(msg, portal, who);
  }

  private async relay(msg: Message<true>, portal: DiscordPortal, from: Attribution): Promise<void> {
    const origin = { connector: CONNECTOR, remoteId: msg.id };
    const intents: SendIntent[] = [];
    const text = outboundText(msg.cleanContent, this.d.settings.signature ? from.displayName : null);
    if (text) intents.push({ chatGuid: portal.chatGuid, text, from, origin });
    for (const a of msg.attachments.values()) {
      try {
        const path = await download(a.url, a.name, join(this.d.downloadDir, msg.id), this.d.settings.max_outbound_file_bytes, a.size);
        intents.push({ chatGuid: portal.chatGuid, file: { path, name: a.name }, from, origin });
      } catch (e) {
        const reason = e instanceof DownloadTooLarge ? `${e.message}. ${e.advice}` : `couldn't download ${a.name}: ${e instanceof Error ? e.message : String(e)}`;
        await this.d.fate.failBeforeQueue(msg.channelId, msg.id, reason);
      }
    }
    for (const intent of intents) {
      try {
        const receipt = await this.d.core().send(intent);
        this.d.state.recordOrigin({ outboxId: receipt.id, messageId: msg.id, channelId: msg.channelId, chatGuid: portal.chatGuid, state: 'new' });
        void this.d.fate.report(receipt);
        void this.d.fate.adopt(receipt.id);
      } catch (e) {
        if (intent.file) await removeQuietly(intent.file.path);
        const reason = e instanceof Error ? e.message : String(e);
        const advice = (e as { advice?: unknown }).advice;
        await this.d.fate.failBeforeQueue(msg.channelId, msg.id, typeof advice === 'string' ? `${reason}. ${advice}` : reason);
      }
    }
  }

  private locate(msg: Message<true>): { portal: DiscordPortal | null; place: MessageFacts['place'] } {
    const direct = this.d.portals.byChannel(msg.channelId);
    if (direct) return { portal: direct, place: 'portal' };
    const parentId = msg.channel.isThread() ? msg.channel.parentId : null;
    const parent = parentId ? this.d.portals.byChannel(parentId) : null;
    return parent ? { portal: parent, place: 'thread_of_portal' } : { portal: null, place: 'elsewhere' };
  }

  private attribution(msg: Message): Attribution {
    return { connector: CONNECTOR, userId: msg.author.id, displayName: msg.member?.displayName ?? msg.author.globalName ?? msg.author.username };
  }
}
