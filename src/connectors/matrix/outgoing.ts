// iMessage → Matrix, one handler per event type. Every remote write uses a
// transaction id derived from the envelope key, and every mapped part is
// skipped on re-delivery, so a crash and restart never post twice.
import type { Logger } from 'pino';
import type { EventEnvelope } from '../../core/events.ts';
import type { HistoryView, MessageMapView } from '../../core/kit/index.ts';
import { chunkOfPart, eventOf, textChunkPart, type MatrixPart } from './parts.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import type { Attribution } from '../../core/events.ts';
import type { Actors } from './actors.ts';
import type { PortalManager } from './portals.ts';
import type { MatrixStore } from './store.ts';
import { txnIdFor } from './ids.ts';
import type { MatrixApi } from './api.ts';
import { attachmentContent } from './media.ts';
import { editContent, noticeContent, textChunks, textContent, textPartOf, withReply, BRIDGE_MARK } from './render.ts';
import { reactions } from './reactions.ts';
import { errcodeOf } from './errors.ts';
import { MatrixHistory } from './history.ts';
import { actorName, editedText, fallbackLine, groupEventSentence, notDeliveredSentence, senderLabel } from '../../core/presentation/index.ts';

/** Store key marking a chunk event redacted by a shortening edit, so a later, longer edit posts it anew. */
const REDACTED_CHUNK = 'redacted_chunk:';

export interface OutgoingDeps {
  connectorId: string;
  actors: Actors;
  portals: PortalManager;
  map: MessageMapView<MatrixPart>;
  store: MatrixStore;
  displayName(handle: string): string;
  log: Logger;
  /** Backfill runs: which edits a history line already shows (src/core/backfill). */
  runs: HistoryView;
}

export class Outgoing {
  private readonly history: MatrixHistory;

  constructor(private readonly d: OutgoingDeps) {
    this.history = new MatrixHistory(d);
  }

  async deliver(env: EventEnvelope): Promise<void> {
    const ev = env.event;
    switch (ev.type) {
      case 'message': return this.message(env, ev.chat, ev.message, ev.sentBy);
      case 'reaction': return reactions(this.d, env, ev.chat, ev.message, await this.d.portals.ensure(ev.chat));
      case 'edit': return this.edit(env, ev.chat, ev.message);
      case 'unsend': return this.unsend(env, ev.chat, ev.message);
      case 'group_event': return this.groupEvent(env, ev.chat, ev.message);
      case 'delivery': return this.delivery(env, ev.chat, ev.message, ev.status);
      case 'history': return this.history.deliver(env, ev);
    }
  }

  private who(handle: string): string {
    return actorName(handle, this.d.displayName);
  }

  private async message(env: EventEnvelope, chat: Chat, m: IMessage, sentBy: Attribution | null): Promise<void> {
    // Sent from Matrix: the user already sees it; reportFate links the guid to their event.
    if (sentBy?.connector === this.d.connectorId) return;
    const { map, connectorId: cid } = this.d;
    const roomId = await this.d.portals.ensure(chat);
    const poster = await this.d.actors.poster(m.sender, m.fromMe, roomId);
    let label = poster.label;
    if (m.fromMe && sentBy) label = senderLabel(m, sentBy, this.d.displayName, cid);
    const replyTo = m.replyTo ? map.remote(m.replyTo.guid, eventOf(m.replyTo.part)) ?? map.remotes(m.replyTo.guid)[0]?.remoteId ?? null : null;
    const textPart = textPartOf(m.attachments.map((a) => a.part));
    // In iMessage's part order; a long text's chunks stay together, in order.
    const parts: Array<{ part: number; order: [number, number]; make: () => Promise<Record<string, unknown>> }> = [];
    for (const a of m.attachments) {
      parts.push({ part: a.part, order: [a.part, 0], make: async () => {
        const up = await attachmentContent(poster.api, a, label ? `${label}: ${a.transferName ?? 'attachment'}` : null);
        if (up.notice) await poster.api.send(roomId, 'm.room.message', noticeContent(`${label ? `${label}: ` : ''}📎 ${up.notice}`), txnIdFor(env.key, `media-note-${a.part}`));
        return up.content ? { ...up.content, [BRIDGE_MARK]: true } : noticeContent(`${label ? `${label}: ` : ''}${up.missing ?? '📎 attachment'}`);
      } });
    }
    const text = m.text || (parts.length ? '' : fallbackLine(m) ?? '');
    if (text) {
      textChunks(text, label).forEach((chunk, i) => parts.push({ part: textChunkPart(textPart, i), order: [textPart, i], make: async () => textContent(chunk, label) }));
    }
    parts.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    let first = true;
    for (const p of parts) {
      if (map.remote(m.guid, eventOf(p.part))) { first = false; continue; }
      const content = await p.make();
      const eventId = await poster.api.send(roomId, 'm.room.message', first ? withReply(content, replyTo) : content, txnIdFor(env.key, p.part));
      map.put({ messageGuid: m.guid, part: eventOf(p.part), remoteId: eventId, chatGuid: chat.guid });
      first = false;
    }
  }

  private async edit(env: EventEnvelope, chat: Chat, m: IMessage): Promise<void> {
    // Already shown by the line's history post; and an edit alone never opens a room (a new room's history shows it).
    if (this.d.runs.showsEdit(chat.guid, m.guid, m.dateEdited) || !this.d.portals.roomFor(chat.guid)) return;
    const text = editedText(m);
    // An unsend moves date_edited too: that "edit" shows nothing; the unsend redacts.
    if (text === null) return;
    const roomId = await this.d.portals.ensure(chat);
    const part = textPartOf(m.attachments.map((a) => a.part));
    const target = this.d.map.remote(m.guid, eventOf(part)) ?? this.d.map.remotes(m.guid)[0]?.remoteId;
    const poster = await this.d.actors.poster(m.sender, m.fromMe, roomId);
    if (!target) {
      for (const [i, chunk] of textChunks(`(edited) ${text}`, poster.label).entries()) {
        await poster.api.send(roomId, 'm.room.message', textContent(chunk, poster.label), txnIdFor(env.key, i === 0 ? 0 : `chunk-${i}`));
      }
      return;
    }
    await this.editChunks(env, chat, m, roomId, poster.api, poster.label, part, target, text);
  }

  /**
   * A long text's edit, chunk by chunk: chunk 0 and every chunk that still
   * exists are replaced (m.replace), chunks the new text needs beyond those are
   * posted (after whatever came since, the only place Matrix allows), and
   * chunks it no longer needs are redacted.
   */
  private async editChunks(env: EventEnvelope, chat: Chat, m: IMessage, roomId: string, api: MatrixApi, label: string | null,
    textPart: number, first: string, text: string): Promise<void> {
    const { map, store } = this.d;
    const chunks = textChunks(text, label);
    const live = (k: number): string | null => {
      const id = k === 0 ? first : map.remote(m.guid, textChunkPart(textPart, k));
      return id && store.get(`${REDACTED_CHUNK}${id}`) !== '1' ? id : null;
    };
    for (const [k, chunk] of chunks.entries()) {
      const target = live(k);
      const txn = txnIdFor(env.key, k === 0 ? 0 : `chunk-${k}`);
      if (target) {
        await api.send(roomId, 'm.room.message', editContent(target, chunk, label), txn);
      } else {
        const eventId = await api.send(roomId, 'm.room.message', textContent(chunk, label), txn);
        map.put({ messageGuid: m.guid, part: textChunkPart(textPart, k), remoteId: eventId, chatGuid: chat.guid });
      }
    }
    const extra = map.remotes(m.guid).filter((r) => { const c = chunkOfPart(r.part); return c.textPart === textPart && c.chunk >= chunks.length; });
    for (const r of extra) {
      if (store.get(`${REDACTED_CHUNK}${r.remoteId}`) === '1') continue;
      await this.d.actors.bot.redact(roomId, r.remoteId, txnIdFor(env.key, `chunk-gone-${r.part}`), 'the edited text is shorter');
      store.set(`${REDACTED_CHUNK}${r.remoteId}`, '1');
    }
  }

  private async unsend(env: EventEnvelope, chat: Chat, m: IMessage): Promise<void> {
    const roomId = await this.d.portals.ensure(chat);
    const all = this.d.map.remotes(m.guid);
    const whole = m.unsent || m.retractedParts.length === 0;
    for (const r of all) {
      // A retracted text part takes all of its chunks with it.
      if (!whole && !m.retractedParts.includes(chunkOfPart(r.part).textPart)) continue;
      await this.d.actors.bot.redact(roomId, r.remoteId, txnIdFor(env.key, r.part), `${this.who(m.sender)} unsent this message`);
    }
  }

  private async groupEvent(env: EventEnvelope, chat: Chat, m: IMessage): Promise<void> {
    const ge = m.event;
    if (!ge) return;
    const roomId = await this.d.portals.ensure(chat);
    const { actors } = this.d;
    // The actor of a group event defaults to the row's sender.
    const e = { ...ge, actor: ge.actor ?? m.sender };
    const note = async (): Promise<void> => {
      await actors.bot.send(roomId, 'm.room.message', noticeContent(groupEventSentence(e, this.d.displayName)), txnIdFor(env.key, 'notice'));
    };
    const actor = this.who(e.actor);
    // Ghosts joining, leaving and renames show as room state; a notice says what state can't.
    switch (ge.type) {
      case 'renamed':
        if (ge.name) await actors.bot.setState(roomId, 'm.room.name', '', { name: ge.name });
        if (actors.mode === 'bot') await note();
        return;
      case 'member_added':
        if (!(ge.handle && await actors.addMember(roomId, ge.handle))) await note();
        return;
      case 'member_removed':
        if (!(ge.handle && await actors.removeMember(roomId, ge.handle, `removed by ${actor} in iMessage`))) await note();
        return;
      case 'member_left': {
        const who = ge.handle ?? e.actor;
        if (!(who !== 'me' && await actors.removeMember(roomId, who, 'left the conversation in iMessage'))) await note();
        return;
      }
      case 'photo_changed':
        await note();
        return;
    }
  }

  private async delivery(env: EventEnvelope, chat: Chat, m: IMessage, status: 'delivered' | 'read' | 'failed'): Promise<void> {
    const target = this.d.map.remotes(m.guid).at(-1)?.remoteId;
    const roomId = this.d.portals.roomFor(chat.guid);
    if (!roomId) return;
    if (status === 'failed') {
      const content = withReply(noticeContent(`⚠️ ${notDeliveredSentence(m.error)}`), target ?? null);
      await this.d.actors.bot.send(roomId, 'm.room.message', content, txnIdFor(env.key));
      return;
    }
    // Read by the other side of a 1:1: show it as the contact's read receipt.
    if (status === 'read' && target && this.d.actors.mode === 'appservice' && !chat.isGroup && chat.participants[0]) {
      const poster = await this.d.actors.poster(chat.participants[0], false, roomId);
      await poster.api.receipt(roomId, target).catch((e: unknown) => this.d.log.debug({ errcode: errcodeOf(e) }, 'read receipt failed'));
    }
  }
}
