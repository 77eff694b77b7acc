// Showing a send's fate on the Discord message that asked for it: ⏳ while
// pending, ✅ once Messages confirms, ❌ plus a reply with the reason on failure.
// The core reports each stage once (the outbox is the ledger); this only draws.
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { SendReceipt } from '../../core/events.ts';
import { NO_MENTIONS } from './toDiscord.ts';
import { fateSentence, refusedSentence } from '../../core/presentation/index.ts';

export const FATE_EMOJI = { pending: '⏳', sent: '✅', failed: '❌', unknown: '❓' } as const;

export class FateReactions {
  constructor(private readonly rest: REST, private readonly log: Logger, private readonly recentlySent: Set<string>) {}

  private readonly chains = new Map<string, Promise<void>>();

  /**
   * Show a fate. Runs in order per Discord message, but never holds up the
   * relay: reactions have a tight rate limit and must not slow sending.
   */
  report(r: SendReceipt, fallbackChannel: string | null): Promise<void> {
    const key = r.intent.origin?.remoteId ?? r.id;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.apply(r, fallbackChannel)).catch((e: unknown) => {
      this.log.warn({ err: e, outbox: r.id }, 'could not show send fate on Discord');
    });
    this.chains.set(key, next);
    void next.then(() => { if (this.chains.get(key) === next) this.chains.delete(key); });
    return next;
  }

  /** Resolves when every fate reported so far is shown. */
  async settled(): Promise<void> { await Promise.all([...this.chains.values()]); }

  private async apply(r: SendReceipt, fallbackChannel: string | null): Promise<void> {
    const messageId = r.intent.origin?.remoteId;
    const channelId = r.intent.origin?.room ?? fallbackChannel;
    if (!messageId || !channelId) return;
    const fate = r.fate;
    switch (fate.state) {
      case 'queued':
      case 'sending':
        return this.react(channelId, messageId, FATE_EMOJI.pending, true);
      case 'sent':
        await this.react(channelId, messageId, FATE_EMOJI.pending, false);
        return this.react(channelId, messageId, FATE_EMOJI.sent, true);
      case 'failed':
        await this.react(channelId, messageId, FATE_EMOJI.pending, false);
        await this.react(channelId, messageId, FATE_EMOJI.failed, true);
        return this.reply(channelId, messageId, fateSentence(fate) ?? '');
      case 'unknown':
        await this.react(channelId, messageId, FATE_EMOJI.pending, false);
        await this.react(channelId, messageId, FATE_EMOJI.unknown, true);
        return this.reply(channelId, messageId, fateSentence(fate) ?? '');
    }
  }

  /** A failure before the outbox accepted the message (download too large, bad input…). */
  async failBeforeQueue(channelId: string, messageId: string, reason: string): Promise<void> {
    await this.react(channelId, messageId, FATE_EMOJI.failed, true);
    await this.reply(channelId, messageId, refusedSentence(reason));
  }

  async react(channelId: string, messageId: string, emoji: string, add: boolean): Promise<void> {
    const route = Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(emoji));
    try {
      if (add) await this.rest.put(route); else await this.rest.delete(route);
    } catch (e) {
      // The Discord message may have been deleted meanwhile; the fate still stands in the outbox.
      if (e instanceof DiscordAPIError && (e.code === 10008 || e.code === 10003)) return;
      this.log.warn({ err: e, channelId, messageId }, 'could not show send fate on Discord');
    }
  }

  async reply(channelId: string, messageId: string, content: string): Promise<void> {
    const sent = await this.rest.post(Routes.channelMessages(channelId), {
      body: { content, allowed_mentions: NO_MENTIONS, message_reference: { message_id: messageId, fail_if_not_exists: false } },
    }) as { id: string };
    this.recentlySent.add(sent.id);
  }
}
