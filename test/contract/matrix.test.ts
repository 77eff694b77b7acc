// The connector contract (contract.ts) against Matrix: the real daemon and
// core, the Matrix connector in appservice mode, and a real Synapse, seen as
// an Element user (the owner) and a stranger.
import { startWorld } from '../matrix/liveWorld.ts';
import type { SeenEvent } from '../support/synapse/elementUser.ts';
import { contractSuite, MIRRORS, type Side } from './contract.ts';

type Rel = { rel_type?: string; event_id?: string; key?: string; 'm.in_reply_to'?: { event_id: string } };
const rel = (e: SeenEvent): Rel | undefined => e.content['m.relates_to'] as Rel | undefined;

async function startMatrixSide(): Promise<Side> {
  const w = await startWorld('appservice', { matrix: MIRRORS, macos: 'tahoe' });
  const joined = new Set<string>();
  const inRoom = (room: string) => w.owner.events.filter((e) => e.room_id === room);
  const isGhost = (u: string): boolean => u.startsWith('@_imessage_');
  return {
    name: 'matrix', sim: w.sim,
    get bridge() { return w.bridge; },
    async roomShowing(text) {
      const e = await w.owner.waitFor((x) => x.type === 'm.room.message' && isGhost(x.sender) && String(x.content.body ?? '').includes(text), `"${text}" in a room`, 60_000);
      return { room: e.room_id, id: e.event_id };
    },
    rooms: () => [...new Set(w.owner.events.filter((e) => e.type === 'm.room.message' && isGhost(e.sender)).map((e) => e.room_id))],
    async post(who, room, text) {
      if (who === 'allowed') return w.owner.send(room, { msgtype: 'm.text', body: text });
      if (!joined.has(room)) {
        await w.owner.api('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/invite`, { user_id: w.stranger.userId });
        await w.stranger.join(room);
        joined.add(room);
      }
      return w.stranger.send(room, { msgtype: 'm.text', body: text });
    },
    notices: (room, id) => inRoom(room).filter((e) => e.type === 'm.room.message' && e.sender === w.botUserId && rel(e)?.['m.in_reply_to']?.event_id === id).map((e) => String(e.content.body)),
    marks: (room, id) => inRoom(room).filter((e) => e.type === 'm.reaction' && e.sender === w.botUserId && rel(e)?.event_id === id).map((e) => rel(e)?.key ?? ''),
    reactions: (room, id) => inRoom(room).filter((e) => e.type === 'm.reaction' && e.sender !== w.botUserId && rel(e)?.event_id === id).map((e) => rel(e)?.key ?? ''),
    carrying: (room, file) => inRoom(room).find((e) => e.type === 'm.room.message' && isGhost(e.sender) && e.content.msgtype !== 'm.text' && String(e.content.body ?? '').includes(file))?.event_id ?? null,
    textNow(room, id) {
      const events = inRoom(room);
      if (events.some((e) => e.type === 'm.room.redaction' && (e.redacts === id || (e.content as { redacts?: string }).redacts === id))) return null;
      const edit = events.filter((e) => rel(e)?.rel_type === 'm.replace' && rel(e)?.event_id === id).at(-1);
      if (edit) return String((edit.content['m.new_content'] as { body?: unknown } | undefined)?.body ?? '');
      const original = events.find((e) => e.event_id === id);
      return original ? String(original.content.body ?? '') : null;
    },
    close: () => w.close(),
  };
}

contractSuite(startMatrixSide);
