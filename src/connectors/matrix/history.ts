// History posts in Matrix (src/core/backfill decides what; this only posts).
// Appservice mode: each line is sent by its contact's ghost with the
// appservice `ts` parameter, so its origin_server_ts is the message's original
// time and clients sort and date it as such. Senders that can't set `ts` (bot
// mode, and the owner's own account when double puppeting with a user token)
// show the original time in the line instead. Tapbacks, edits and unsends are
// folded into their line. A history line is posted as the message it stands
// for (same message map, transaction ids from the envelope key): a redelivery
// after a crash posts only what is missing, and later replies, tapbacks and
// edits find it.
import type { EventEnvelope } from '../../core/events.ts';
import type { FoldedReaction } from '../../core/backfill/plan.ts';
import { eventOf, textChunkPart } from './parts.ts';
import type { GroupEvent, IMessage } from '../../imessage/model.ts';
import type { OutgoingDeps } from './outgoing.ts';
import type { Poster } from './actors.ts';
import { txnIdFor } from './ids.ts';
import { attachmentContent } from './media.ts';
import { escapeHtml, linkify } from './html.ts';
import { noticeContent, textChunks, textPartOf, withReply, BRIDGE_MARK } from './render.ts';
import { errcodeOf } from './errors.ts';
import { replacedRoomKey } from '../../core/backfill/types.ts';

type HistoryEvent = Extract<EventEnvelope['event'], { type: 'history' }>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The original time as shown in a line whose sender can't set it: the bridge host's local time, to the minute. */
export function historyTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function groupLine(e: GroupEvent, who: (h: string) => string): string {
  const actor = !e.actor ? 'Someone' : who(e.actor);
  const target = e.handle ? who(e.handle) : 'someone';
  switch (e.type) {
    case 'renamed': return `${actor} named the conversation "${e.name ?? ''}"`;
    case 'member_added': return `${actor} added ${target}`;
    case 'member_removed': return `${actor} removed ${target}`;
    case 'member_left': return `${e.handle ? target : actor} left the conversation`;
    case 'photo_changed': return `${actor} changed the group photo`;
  }
}

/** A history line's text content: "[time] Label: text", with the time and edited mark only where needed. */
export function historyContent(text: string, o: { label: string | null; time: string | null; edited: boolean; notice?: boolean }): Record<string, unknown> {
  const head = [o.time ? `[${o.time}]` : '', o.label ? `${o.label}:` : ''].filter(Boolean).join(' ');
  const tail = o.edited ? ' (edited)' : '';
  const html = [o.time ? `<sup>${escapeHtml(o.time)}</sup>` : '', o.label ? `<strong>${escapeHtml(o.label)}</strong>:` : ''].filter(Boolean).join(' ');
  return {
    msgtype: o.notice ? 'm.notice' : 'm.text',
    body: `${head ? `${head} ` : ''}${text}${tail}`,
    format: 'org.matrix.custom.html',
    formatted_body: `${html ? `${html} ` : ''}${linkify(text)}${o.edited ? ' <em>(edited)</em>' : ''}`,
    [BRIDGE_MARK]: true,
  };
}

export class MatrixHistory {
  constructor(private readonly d: OutgoingDeps) {}

  private who(handle: string): string {
    return handle === 'me' ? 'You' : this.d.displayName(handle);
  }

  /** Can this account set origin_server_ts? Only appservice tokens (the bot and the ghosts) can. */
  private setsTime(p: Poster): boolean {
    return this.d.actors.mode === 'appservice' && p.api !== this.d.actors.puppet();
  }

  async deliver(env: EventEnvelope, ev: HistoryEvent): Promise<void> {
    const { map } = this.d;
    const m = ev.message;
    const h = ev.history;
    // Matrix can't put events before existing ones: history only ever goes into a new room.
    if (h.into !== 'portal') {
      this.d.log.warn({ chat: ev.chat.guid, run: h.run }, 'history for an existing Matrix room is not posted (Matrix cannot insert earlier events)');
      return;
    }
    const roomId = await this.d.portals.ensure(ev.chat);
    await this.pointOldRoom(ev.chat.guid, roomId);
    const at = m.date ?? undefined;
    if (m.kind === 'group_event') {
      if (!m.event || map.remote(m.guid, eventOf(0))) return;
      const stamped = this.d.actors.mode === 'appservice';
      const content = historyContent(groupLine(m.event, (x) => this.who(x)), { label: null, time: stamped || at === undefined ? null : historyTime(at), edited: false, notice: true });
      const id = await this.d.actors.bot.send(roomId, 'm.room.message', content, txnIdFor(env.key), stamped ? at : undefined);
      map.put({ messageGuid: m.guid, part: eventOf(0), remoteId: id, chatGuid: ev.chat.guid });
      return;
    }
    const poster = await this.d.actors.poster(m.sender, m.fromMe, roomId);
    const stamped = this.setsTime(poster);
    const ts = stamped ? at : undefined;
    const time = stamped || at === undefined ? null : historyTime(at);
    // Bot mode: one account can't react as each person, so tapbacks are a line under the text.
    const reactionLine = this.d.actors.mode === 'bot' ? reactionsText(h.reactions, (x) => this.who(x)) : '';
    const replyTo = m.replyTo ? map.remote(m.replyTo.guid, eventOf(m.replyTo.part)) ?? map.remotes(m.replyTo.guid)[0]?.remoteId ?? null : null;
    const textPart = textPartOf(m.attachments.map((a) => a.part));
    // In iMessage's part order; a long text's chunks (as live, render.ts textChunks) stay together, in order.
    const parts: Array<{ part: number; order: [number, number]; make: () => Promise<Record<string, unknown>> }> = [];
    for (const a of m.attachments) {
      parts.push({ part: a.part, order: [a.part, 0], make: async () => {
        const caption = [time ? `[${time}]` : '', poster.label ?? ''].filter(Boolean).join(' ');
        const up = await attachmentContent(poster.api, a, caption ? `${caption}: ${a.transferName ?? 'attachment'}` : null);
        if (up.notice) await poster.api.send(roomId, 'm.room.message', noticeContent(`${poster.label ? `${poster.label}: ` : ''}📎 ${up.notice}`), txnIdFor(env.key, `media-note-${a.part}`), ts);
        return up.content ? { ...up.content, [BRIDGE_MARK]: true } : noticeContent(`${poster.label ? `${poster.label}: ` : ''}📎 ${up.missing ?? 'attachment'}`);
      } });
    }
    const body = h.unsent ? '(unsent)' : m.text || (parts.length ? '' : fallbackText(m));
    if (body) {
      const text = reactionLine ? `${body}\n${reactionLine}` : body;
      const chunks = textChunks(text, poster.label);
      chunks.forEach((chunk, i) => parts.push({
        part: textChunkPart(textPart, i), order: [textPart, i],
        // The time leads the first chunk and "(edited)" ends the last, as on one event.
        make: async () => historyContent(chunk, { label: poster.label, time: i === 0 ? time : null, edited: h.edited && i === chunks.length - 1, notice: h.unsent }),
      }));
    }
    parts.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    let first = true;
    for (const p of parts) {
      if (map.remote(m.guid, eventOf(p.part))) { first = false; continue; }
      const content = await p.make();
      const eventId = await poster.api.send(roomId, 'm.room.message', first ? withReply(content, replyTo) : content, txnIdFor(env.key, p.part), ts);
      map.put({ messageGuid: m.guid, part: eventOf(p.part), remoteId: eventId, chatGuid: ev.chat.guid });
      first = false;
    }
    if (this.d.actors.mode === 'appservice') await this.reactions(env, roomId, m, h.reactions);
  }

  /** `backfill --recreate`: the room this one replaces gets a tombstone (clients link to the new room) and a note. */
  private async pointOldRoom(chat: string, roomId: string): Promise<void> {
    const key = replacedRoomKey(this.d.connectorId, chat);
    const old = this.d.store.get(key);
    if (!old || old === roomId) return;
    const bot = this.d.actors.bot;
    await bot.send(old, 'm.room.message', noticeContent('This chat continues in a new room, which starts with its history.'), txnIdFor(`replaced:${old}:${roomId}`));
    await bot.setState(old, 'm.room.tombstone', '', { body: 'This chat continues in a new room, which starts with its history.', replacement_room: roomId });
    this.d.store.set(key, '');
  }

  /** Appservice mode: each standing tapback as its person's m.reaction, at the target's time (the tapback's own time is not kept). */
  private async reactions(env: EventEnvelope, roomId: string, m: IMessage, rs: FoldedReaction[]): Promise<void> {
    const { map, store } = this.d;
    for (const r of rs) {
      const target = map.remote(m.guid, eventOf(r.part)) ?? map.remotes(m.guid)[0]?.remoteId;
      const who = r.fromMe ? 'me' : r.sender;
      const key = r.emoji ?? '🏷️';
      if (!target || store.reaction(m.guid, r.part, who)?.key === key) continue;
      const poster = await this.d.actors.poster(r.sender, r.fromMe, roomId);
      const content = { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key }, [BRIDGE_MARK]: true };
      try {
        const eventId = await poster.api.send(roomId, 'm.reaction', content, txnIdFor(env.key, `reaction-${who}-${r.part}`), this.setsTime(poster) ? m.date ?? undefined : undefined);
        store.setReaction(m.guid, r.part, who, { key, roomId, eventId });
      } catch (e) {
        if (errcodeOf(e) !== 'M_DUPLICATE_ANNOTATION') throw e;
      }
    }
  }
}

function reactionsText(rs: FoldedReaction[], who: (h: string) => string): string {
  return rs.map((r) => `${r.emoji ?? '🏷️'} ${r.fromMe ? 'You' : who(r.sender)}`).join(' · ');
}

function fallbackText(m: IMessage): string {
  if (m.kind === 'app') return '[an iMessage app message; open Messages to see it]';
  return '';
}
