// Discord → iMessage. Notes and our own echoes stay in Discord; everything
// else goes to the core, whose send policy decides (mirrored chat, allowed
// user or role), audits refusals and has the sender told once. The outbox is
// the send ledger: a message already handed over (a catch-up, a restart) is
// never sent twice. Messages of one channel are handled one at a time so they
// reach the outbox in order.
import { join } from 'node:path';
import type { Message, PartialMessage } from 'discord.js';
import type { Logger } from 'pino';
import type { CoreHandle } from '../../core/connector.ts';
import { isDenial } from '../../core/errors.ts';
import type { Attribution, SendIntent, SenderFacts } from '../../core/events.ts';
import { DownloadTooLarge, download } from './attachments.ts';
import type { FateReactions } from './fate.ts';
import { decide, outboundText, type MessageFacts } from './fromDiscord.ts';
import { factsOf } from './permissions.ts';
import { CONNECTOR, type DiscordPortal, type Portals } from './portals.ts';
import { RecentIds } from './recentIds.ts';

export interface InboundDeps {
  core: () => CoreHandle;
  portals: Portals;
  fate: FateReactions;
  botUserId: () => string;
  recentlySent: ReadonlySet<string>;
  settings: { note_prefix: string; signature: boolean; max_outbound_file_bytes: number };
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
    if (this.notifiedEdits.has(key) || this.sentFrom(msg.id).length === 0) return;
    this.notifiedEdits.add(key);
    await this.d.fate.reply(msg.channelId, msg.id, "✏️ This edit stays in Discord: iMessage can't change a message that was already sent. Send a correction as a new message.");
  }

  async onDelete(msg: Message | PartialMessage): Promise<void> {
    const sent = this.sentFrom(msg.id);
    const channelId = sent[0]?.intent.origin?.room ?? msg.channelId;
    if (sent.length === 0 || !this.d.portals.byChannel(channelId)) return;
    await this.d.fate.reply(channelId, msg.id, "🗑️ A Discord message was deleted, but it was already sent and can't be unsent in iMessage: the recipient still has it.");
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
      this.d.core().note(who, portal?.chatGuid ?? null, decision.reason);
      return;
    }
    if (!portal) return;
    // Handed to the outbox before a crash or restart: never twice (and not downloaded again).
    if (this.sentFrom(msg.id).length > 0) return;
    const ask = { chatGuid: portal.chatGuid, from: who, facts: await this.facts(msg), origin: { connector: CONNECTOR, remoteId: msg.id, room: msg.channelId } };
    try {
      // The core's policy first: nothing is downloaded for someone who may not send.
      this.d.core().check(ask);
    } catch (e) {
      if (!isDenial(e)) throw e;
      return; // audited by the core, which has the sender told once (tellRefused)
    }
    await this.relay(msg, ask);
  }

  /** Parts of one Discord message: 0 the text, 1… its attachments, in order. */
  private async relay(msg: Message<true>, ask: Pick<SendIntent, 'chatGuid' | 'from' | 'facts' | 'origin'> & { origin: NonNullable<SendIntent['origin']> }): Promise<void> {
    const intents: SendIntent[] = [];
    const text = outboundText(msg.cleanContent, this.d.settings.signature ? ask.from.displayName : null);
    if (text) intents.push({ ...ask, text });
    let part = 0;
    for (const a of msg.attachments.values()) {
      part++;
      try {
        const path = await download(a.url, a.name, join(this.d.downloadDir, msg.id), this.d.settings.max_outbound_file_bytes, a.size);
        intents.push({ ...ask, origin: { ...ask.origin, part }, file: { path, name: a.name, owned: true } });
      } catch (e) {
        const reason = e instanceof DownloadTooLarge ? `${e.message}. ${e.advice}` : `couldn't download ${a.name}: ${e instanceof Error ? e.message : String(e)}`;
        await this.d.fate.failBeforeQueue(msg.channelId, msg.id, reason);
      }
    }
    for (const intent of intents) {
      try {
        // The core shows the fate (⏳, then ✅/❌) through reportFate, and owns the file from here.
        await this.d.core().send(intent);
      } catch (e) {
        if (isDenial(e)) return;
        const reason = e instanceof Error ? e.message : String(e);
        const advice = (e as { advice?: unknown }).advice;
        await this.d.fate.failBeforeQueue(msg.channelId, msg.id, typeof advice === 'string' ? `${reason}. ${advice}` : reason);
      }
    }
  }

  private sentFrom(messageId: string): ReturnType<CoreHandle['sentFrom']> {
    return this.d.core().sentFrom({ connector: CONNECTOR, remoteId: messageId });
  }

  /** Username and roles, for the core's allow list. Messages fetched over REST (catch-up) carry no member: look it up. */
  private async facts(msg: Message<true>): Promise<SenderFacts> {
    const member = msg.member ?? (await msg.guild.members.fetch(msg.author.id).catch(() => null));
    return factsOf({ userId: msg.author.id, username: msg.author.username, roleIds: member ? [...member.roles.cache.keys()] : [], roleNames: member ? member.roles.cache.map((r) => r.name) : [] });
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
