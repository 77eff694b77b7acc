// What agents typed while the bridge was away (a restart, or a gateway session
// Discord would not resume, op 9) never arrives on the gateway. On each READY,
// read every portal channel from the last message we saw and hand the rest to
// the inbound path, which skips anything already sent (the core outbox knows each origin).
import type { Client, Message } from 'discord.js';
import type { Logger } from 'pino';
import type { Inbound } from './inbound.ts';
import type { DiscordPortal, Portals } from './portals.ts';

const PAGE = 100;
/** A bound on one channel's catch-up: 5,000 messages is far beyond any outage's worth of replies. */
const MAX_PAGES = 50;

export class CatchUp {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: { client: Client<true>; portals: Portals; inbound: Inbound; log: Logger }) {}

  /** Queue a pass over every portal; passes never overlap. */
  run(): Promise<void> {
    this.chain = this.chain.then(() => this.pass());
    return this.chain;
  }

  /** Resolves when every pass queued so far is done. */
  settled(): Promise<void> { return this.chain; }

  private async pass(): Promise<void> {
    for (const p of this.d.portals.all()) {
      try {
        await this.portal(p);
      } catch (e) {
        this.d.log.warn({ err: e, channel: p.channelId }, 'discord catch-up of a channel failed; messages typed while the bridge was away may be missing');
      }
    }
  }

  private async portal(p: DiscordPortal): Promise<void> {
    let after = p.lastSeenId;
    if (!after) return; // never seen the channel: nothing to catch up from
    const channel = await this.d.client.channels.fetch(p.channelId);
    if (!channel?.isTextBased() || !('messages' in channel)) return;
    for (let page = 0; page < MAX_PAGES; page++) {
      const batch = await channel.messages.fetch({ after, limit: PAGE, cache: false });
      const oldestFirst = [...batch.values()].sort((a, b) => compareIds(a.id, b.id)) as Message[];
      let last: Promise<void> = Promise.resolve();
      for (const m of oldestFirst) last = this.d.inbound.onMessage(m);
      await last;
      const newest = oldestFirst.at(-1);
      if (!newest || oldestFirst.length < PAGE) return;
      after = newest.id;
    }
  }
}

const compareIds = (a: string, b: string): number => { const x = BigInt(a), y = BigInt(b); return x < y ? -1 : x > y ? 1 : 0; };
