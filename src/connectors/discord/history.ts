// History posts in Discord. Webhooks can't set a message's time, so each line
// starts with a compact time line (Discord's <t:…> renders in the reader's own
// time zone); tapbacks, edits and unsends are folded into the line. A history
// line is posted as the message it stands for (same plan, same message map),
// so replies, later tapbacks and edits find it, a redelivery posts only what is
// missing, and reconcile after a crash works as for live messages. Posts are
// paced per channel under Discord's limit (about 30 a minute).
import { ChannelType, Routes, type REST } from 'discord.js';
import type { BridgeEvent } from '../../core/events.ts';
import type { HistoryView } from '../../core/kit/index.ts';
import { EARLIER_THREAD } from '../../core/backfill/types.ts';
import type { Pacer } from '../../core/backfill/pace.ts';
import type { FoldedReaction } from '../../core/backfill/plan.ts';
import type { Outbound } from './outbound.ts';
import type { DiscordPortal } from './portals.ts';
import { escapeDiscordMarkdown, groupEventLine, messageBody, unsentText, type NameOf } from './toDiscord.ts';
import { OWN_LABEL } from '../../core/presentation/index.ts';

type Ev<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

/** The time line: Discord subtext with a full date-time in the reader's zone. */
export const timeLine = (ms: number, edited: boolean): string => `-# <t:${Math.floor(ms / 1000)}:f>${edited ? ' · edited' : ''}`;

function reactionsLine(rs: FoldedReaction[], nameOf: NameOf): string {
  if (rs.length === 0) return '';
  return `-# ${rs.map((r) => `${r.emoji ?? '🏷️'} ${escapeDiscordMarkdown(r.fromMe ? OWN_LABEL : nameOf(r.sender))}`).join(' · ')}`;
}

/** A history line's body as Discord Markdown: its time line, the message (or its unsend / group event) and its folded tapbacks. */
export function historyBody(ev: Ev<'history'>, nameOf: NameOf): string {
  const m = ev.message;
  const h = ev.history;
  const body = h.unsent ? unsentText('') : m.kind === 'group_event' && m.event ? groupEventLine(m.event, nameOf) : messageBody(m);
  return [m.date !== null ? timeLine(m.date, h.edited) : '', body, reactionsLine(h.reactions, nameOf)].filter(Boolean).join('\n');
}


/** The "Earlier messages" thread of a run: made once, its id kept with the run so a redelivery posts into the same one. */
export class EarlierThreads {
  constructor(private readonly rest: REST, private readonly runs: HistoryView) {}

  /** The portal as the run's target, or null where a thread can't go (a forum post can't hold threads). */
  async target(p: DiscordPortal, ev: Ev<'history'>): Promise<DiscordPortal | null> {
    if (ev.history.into === 'portal') return p;
    if (p.mode === 'forum' || p.threadId) return null;
    let id = this.runs.placeOf(ev.history.run);
    if (!id) {
      const th = await this.rest.post(Routes.threads(p.channelId), { body: { name: EARLIER_THREAD, type: ChannelType.PublicThread, auto_archive_duration: 10080 } }) as { id: string };
      id = th.id;
      this.runs.setPlace(ev.history.run, id);
    }
    return { ...p, threadId: id };
  }

  /** An edit the line's history post already shows (made just before the portal opened). */
  showsEdit(ev: Ev<'edit'>): boolean {
    return this.runs.showsEdit(ev.chat.guid, ev.message.guid, ev.message.dateEdited);
  }

  /** The run's thread if it has one yet (reconcile after a crash looks there). */
  known(p: DiscordPortal, ev: Ev<'history'>): DiscordPortal {
    const id = ev.history.into === 'thread' ? this.runs.placeOf(ev.history.run) : null;
    return id ? { ...p, threadId: id } : p;
  }
}

export class DiscordHistory {
  constructor(private readonly outbound: Outbound, private readonly pacer: Pacer, private readonly nameOf: NameOf, readonly threads: EarlierThreads) {}

  /** Throws NotYet (the lane retries then, without a failure) while the channel's pace is used up. */
  async deliver(p: DiscordPortal, ev: Ev<'history'>): Promise<void> {
    this.pacer.take(p.channelId);
    const target = await this.threads.target(p, ev);
    if (!target) return; // the CLI refuses this case; a run queued anyway has nowhere honest to go
    await this.outbound.message(target, ev);
  }
}
