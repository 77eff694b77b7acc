// Tapbacks → m.reaction annotations. One current tapback per sender and
// message part (a new one replaces the old, as on the phone); a removed
// tapback redacts its reaction.
import type { EventEnvelope } from '../../core/events.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import type { OutgoingDeps } from './outgoing.ts';
import { txnIdFor } from './ids.ts';
import { eventOf } from './parts.ts';
import { errcodeOf } from './errors.ts';
import { noticeContent, BRIDGE_MARK } from './render.ts';

export async function reactions(d: OutgoingDeps, env: EventEnvelope, _chat: Chat, m: IMessage, roomId: string): Promise<void> {
  const r = m.reaction;
  if (!r) return;
  const target = d.map.remote(r.targetGuid, eventOf(r.targetPart)) ?? d.map.remotes(r.targetGuid)[0]?.remoteId;
  if (!target) {
    d.log.info({ target: r.targetGuid }, 'tapback on a message that was never bridged; skipped');
    return;
  }
  const who = m.fromMe ? 'me' : m.sender;
  const prev = d.store.reaction(r.targetGuid, r.targetPart, who);
  const key = r.emoji ?? '🏷️';
  if (r.removed) {
    if (prev) {
      await d.actors.bot.redact(prev.roomId, prev.eventId, txnIdFor(env.key), 'tapback removed');
      d.store.setReaction(r.targetGuid, r.targetPart, who, null);
    }
    return;
  }
  if (prev?.key === key) return;
  if (prev) await d.actors.bot.redact(prev.roomId, prev.eventId, txnIdFor(env.key, 'replaced'), 'tapback replaced');
  const poster = await d.actors.poster(m.sender, m.fromMe, roomId);
  // Marked: with double puppeting this is posted as the owner, and must not come back as their own reaction.
  const content = { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key }, [BRIDGE_MARK]: true };
  try {
    const eventId = await poster.api.send(roomId, 'm.reaction', content, txnIdFor(env.key));
    d.store.setReaction(r.targetGuid, r.targetPart, who, { key, roomId, eventId });
  } catch (e) {
    // Bot mode: one account can react with a key only once per message.
    if (errcodeOf(e) !== 'M_DUPLICATE_ANNOTATION') throw e;
    const name = m.fromMe ? 'You' : d.displayName(m.sender);
    await poster.api.send(roomId, 'm.room.message', { ...noticeContent(`${name} reacted ${key}`), 'm.relates_to': { 'm.in_reply_to': { event_id: target } } }, txnIdFor(env.key, 'dup'));
  }
}
