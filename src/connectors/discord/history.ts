// History posts in Discord. Webhooks can't set a message's time, so each line
// starts with a compact time line (Discord's <t:…> renders in the reader's own
// time zone); tapbacks, edits and unsends are folded into the line. A history
// line is posted as the message it stands for (same plan, same message map),
// so replies, later tapbacks and edits find it, a redelivery posts only what is
// missing, and reconcile after a crash works as for live messages. Posts are
// paced per channel under Discord's limit (about 30 a minute).
import type { BridgeEvent } from '../../core/events.ts';
import type { Pacer } from '../../core/backfill/pace.ts';
import type { FoldedReaction } from '../../core/backfill/plan.ts';
import type { Outbound } from './outbound.ts';
import type { DiscordPortal } from './portals.ts';
import { asComposed, escapeDiscordMarkdown, groupEventLine, messageBody, unsentText, type NameOf } from './toDiscord.ts';
import { OWN_LABEL } from '../../core/presentation/index.ts';

type Ev<T extends BridgeEvent['type']> = Extract<BridgeEvent, { type: T }>;

/** The time line: Discord subtext with a full date-time in the reader's zone. */
export const timeLine = (ms: number, edited: boolean): string => `-# <t:${Math.floor(ms / 1000)}:f>${edited ? ' · edited' : ''}`;

function reactionsLine(rs: FoldedReaction[], nameOf: NameOf): string {
  if (rs.length === 0) return '';
  return `-# ${rs.map((r) => `${r.emoji ?? '🏷️'} ${escapeDiscordMarkdown(r.fromMe ? OWN_LABEL : nameOf(r.sender))}`).join(' · ')}`;
}

/** The history line as the live message it stands for, its text composed for Discord. */
export function historyAsMessage(ev: Ev<'history'>, nameOf: NameOf): Ev<'message'> {
  const m = ev.message;
  const h = ev.history;
  const body = h.unsent ? unsentText('') : m.kind === 'group_event' && m.event ? groupEventLine(m.event, nameOf) : messageBody(m);
  const text = [m.date !== null ? timeLine(m.date, h.edited) : '', body, reactionsLine(h.reactions, nameOf)].filter(Boolean).join('\n');
  return { type: 'message', chat: ev.chat, message: asComposed({ ...m, kind: 'text', text }), sentBy: null };
}

export class DiscordHistory {
  constructor(private readonly outbound: Outbound, private readonly pacer: Pacer, private readonly nameOf: NameOf) {}

  /** Throws NotYet (the lane retries then, without a failure) while the channel's pace is used up. */
  async deliver(p: DiscordPortal, ev: Ev<'history'>): Promise<void> {
    this.pacer.take(p.threadId ?? p.channelId);
    await this.outbound.message(p, historyAsMessage(ev, this.nameOf));
  }
}
