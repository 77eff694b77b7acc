// The user stories both modes must tell the same way, against the live world
// (simulator → real core → Synapse → Element-like owner, and back through the
// outbox and the fake osascript into chat.db). Only who posts differs: the
// bot with the name in the body, or a ghost named "Name (iMessage)".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInvocations, setFakeOsascriptMode } from '../../src/sim/fakeOsascript/index.ts';
import type { SimChat } from '../../src/sim/simulator.ts';
import type { SeenEvent } from '../support/synapse/elementUser.ts';
import { ALICE, BOB, type World } from './liveWorld.ts';
import { tinyPng, until } from './helpers.ts';

export interface Portal { chat: SimChat; room: string }

type Rel = { rel_type?: string; event_id?: string; key?: string; 'm.in_reply_to'?: { event_id: string } };
const rel = (e: SeenEvent): Rel | undefined => e.content['m.relates_to'] as Rel | undefined;
const isMessage = (e: SeenEvent): boolean => e.type === 'm.room.message';
const LONG = 60_000;

/** The body a contact's line has in this mode. */
export const shown = (w: World, name: string, text: string): string => (w.mode === 'bot' ? `${name}: ${text}` : text);

async function ownerJoins(w: World, title: string): Promise<void> {
  // Bot mode: the owner accepts the invite like an Element user; appservice: the double puppet already joined.
  if (w.mode !== 'bot') return;
  const room = await w.owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === title), `invite to "${title}"`, LONG);
  await w.owner.join(room);
}

/** Wait for the ✅ the bridge puts on a Matrix message once Messages confirms it. */
export async function confirmed(w: World, eventId: string): Promise<void> {
  await w.owner.waitFor((e) => e.type === 'm.reaction' && rel(e)?.event_id === eventId && rel(e)?.key === '✅' && e.sender === w.botUserId, `✅ on ${eventId}`, LONG);
}

export async function contactWrites(w: World): Promise<Portal> {
  const chat = w.sim.addChat({ participants: [ALICE.handle] });
  const text = 'Hi, it is Alice. Still on for 7? https://example.com/menu';
  w.sim.receive(chat, { from: ALICE.handle, text });
  await ownerJoins(w, ALICE.name);
  const ev = await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, text), 'the contact\'s first message', LONG);
  const name = await w.owner.state<{ name: string }>(ev.room_id, 'm.room.name');
  assert.equal(name.name, ALICE.name, 'the portal is named after the AddressBook contact');
  assert.match(String(ev.content.formatted_body), /<a href="https:\/\/example.com\/menu">/);
  if (w.mode === 'bot') {
    assert.equal(ev.sender, w.botUserId);
  } else {
    assert.equal(ev.sender, w.ghost(ALICE.handle));
    const members = await w.owner.members(ev.room_id);
    assert.equal(members[w.ghost(ALICE.handle)]?.display_name, `${ALICE.name} (iMessage)`);
  }
  return { chat, room: ev.room_id };
}

export async function tapbackEditUnsend(w: World, p: Portal): Promise<void> {
  const m = w.sim.receive(p.chat, { from: ALICE.handle, text: 'dinner at 8 instead?' });
  const target = await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'dinner at 8 instead?'), 'target message', LONG);
  const poster = w.mode === 'bot' ? w.botUserId : w.ghost(ALICE.handle);
  assert.equal(target.sender, poster);

  w.sim.tapback(p.chat, { from: ALICE.handle, target: m.guid, type: 'love' });
  const heart = await w.owner.waitFor((e) => e.type === 'm.reaction' && rel(e)?.event_id === target.event_id && rel(e)?.key === '❤️', '❤️ reaction', LONG);
  assert.equal(heart.sender, poster);

  w.sim.edit(m.guid, 'dinner at 9 instead?');
  const edit = await w.owner.waitFor((e) => isMessage(e) && rel(e)?.rel_type === 'm.replace' && rel(e)?.event_id === target.event_id, 'm.replace', LONG);
  assert.equal((edit.content['m.new_content'] as { body: string }).body, shown(w, ALICE.name, 'dinner at 9 instead?'));
  assert.equal(edit.sender, poster);

  w.sim.unsend(m.guid);
  await w.owner.waitFor((e) => e.type === 'm.room.redaction' && e.redacts === target.event_id, 'redaction of the unsent message', LONG);
}

export async function groupRename(w: World): Promise<void> {
  const g = w.sim.addChat({ participants: [ALICE.handle, BOB.handle], displayName: 'Weekend plans' });
  w.sim.receive(g, { from: BOB.handle, text: 'who brings the tent?' });
  await ownerJoins(w, 'Weekend plans');
  const first = await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, BOB.name, 'who brings the tent?'), 'group message', LONG);
  if (w.mode === 'appservice') assert.equal(first.sender, w.ghost(BOB.handle));
  w.sim.groupEvent(g, { type: 'renamed', actor: ALICE.handle, name: 'Lisbon trip' });
  await w.owner.waitFor((e) => e.room_id === first.room_id && e.type === 'm.room.name' && e.content.name === 'Lisbon trip', 'room renamed', LONG);
  if (w.mode === 'bot') await w.owner.waitFor((e) => e.room_id === first.room_id && e.content.body === `${ALICE.name} named the conversation “Lisbon trip”`, 'rename notice', LONG);
}

export async function replyConfirmedNotEchoed(w: World, p: Portal): Promise<void> {
  // Non-ASCII, emoji with a variation selector, a newline: must land byte-exact.
  const text = 'Yes! See you at 9 🍝❤️ — “Chez Léa”\nI\'ll book a table';
  const id = await w.owner.send(p.room, { msgtype: 'm.text', body: text });
  await confirmed(w, id);
  const last = w.sentRows(p.chat.guid).at(-1);
  assert.ok(last, 'a row was written into chat.db');
  assert.deepEqual(Buffer.from(last.text, 'utf8'), Buffer.from(text, 'utf8'));
  // Something later from the contact arrives: by then an echo would have been posted.
  w.sim.receive(p.chat, { from: ALICE.handle, text: 'perfect, booked' });
  await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'perfect, booked'), 'later contact message', LONG);
  const copies = w.owner.events.filter((e) => e.room_id === p.room && isMessage(e) && String(e.content.body).includes('Chez Léa'));
  assert.deepEqual(copies.map((e) => e.event_id), [id], 'the confirmed row is not echoed back as a second message');
}

export async function refusedSendShowsReason(w: World, p: Portal): Promise<void> {
  setFakeOsascriptMode(w.sim.dir, 'fail:-1743');
  let id = '';
  try {
    id = await w.owner.send(p.room, { msgtype: 'm.text', body: 'this one Messages refuses' });
    const n = await w.owner.waitFor((e) => e.content.msgtype === 'm.notice' && rel(e)?.['m.in_reply_to']?.event_id === id, 'failure notice', LONG);
    assert.match(String(n.content.body), /^❌ Not sent to iMessage: .+/);
    assert.match(String(n.content.body), /Automation|not authori[sz]ed/i, 'the notice says why');
  } finally {
    setFakeOsascriptMode(w.sim.dir, null);
  }
  assert.ok(!w.sentRows(p.chat.guid).some((r) => r.text.includes('Messages refuses')));
  assert.ok(!w.owner.events.some((e) => e.type === 'm.reaction' && rel(e)?.event_id === id), 'no ✅ on a refused send');
}

export async function strangerIsIgnored(w: World, p: Portal): Promise<void> {
  await w.owner.api('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(p.room)}/invite`, { user_id: w.stranger.userId });
  await w.stranger.join(p.room);
  const sid = await w.stranger.send(p.room, { msgtype: 'm.text', body: 'sneaky line from the stranger' });
  const marker = await w.owner.send(p.room, { msgtype: 'm.text', body: 'owner writes after the stranger' });
  await confirmed(w, marker);
  assert.ok(!w.sentRows(p.chat.guid).some((r) => r.text.includes('sneaky line')), 'nothing from the stranger reached chat.db');
  assert.ok(!readInvocations(w.sim.dir).some((i) => i.argv.some((a) => a.includes('sneaky line'))), 'osascript never saw it');
  assert.ok(!w.owner.events.some((e) => e.type === 'm.reaction' && rel(e)?.event_id === sid));
}

export async function ownPhoneMessage(w: World, p: Portal): Promise<void> {
  const sends = readInvocations(w.sim.dir).length;
  w.sim.sendFromMe(p.chat, { text: 'typed on my own phone' });
  const ev = await w.owner.waitFor((e) => isMessage(e) && String(e.content.body).includes('typed on my own phone'), 'own phone message', LONG);
  if (w.mode === 'appservice') {
    assert.equal(ev.sender, w.owner.userId, 'double puppet: it is the owner\'s own message');
    assert.equal(ev.content.body, 'typed on my own phone');
  } else {
    assert.equal(ev.sender, w.botUserId);
    assert.equal(ev.content.body, 'Me: typed on my own phone', 'clearly marked as the user\'s');
  }
  // Relayed back it would be a second row and an osascript call.
  w.sim.receive(p.chat, { from: ALICE.handle, text: 'saw your text' });
  await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'saw your text'), 'later message', LONG);
  assert.equal(w.sentRows(p.chat.guid).filter((r) => r.text === 'typed on my own phone').length, 1);
  assert.equal(readInvocations(w.sim.dir).length, sends);
}

/** Returns how many of the burst had reached Matrix when the bridge began to stop. */
export async function restartMidStream(w: World, p: Portal): Promise<number> {
  const before = Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`);
  const during = Array.from({ length: 4 }, (_, i) => `while down ${i + 1}`);
  for (const t of before) w.sim.receive(p.chat, { from: ALICE.handle, text: t });
  await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'burst 1'), 'first of the burst', LONG);
  let fromElement = '';
  const seenAtStop = before.filter((t) => w.owner.events.some((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, t))).length;
  await w.restart(async () => {
    for (const t of during) w.sim.receive(p.chat, { from: ALICE.handle, text: t });
    fromElement = await w.owner.send(p.room, { msgtype: 'm.text', body: 'sent from Element while the bridge was down' });
  });
  const all = [...before, ...during];
  const bodies = all.map((t) => shown(w, ALICE.name, t));
  await until(() => bodies.every((b) => w.owner.events.some((e) => isMessage(e) && e.content.body === b)), 'every message after the restart', LONG);
  await confirmed(w, fromElement);
  w.sim.receive(p.chat, { from: ALICE.handle, text: 'after the restart' });
  await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'after the restart'), 'marker after restart', LONG);
  const seen = w.owner.events.filter((e) => e.room_id === p.room && isMessage(e) && bodies.includes(String(e.content.body))).map((e) => e.content.body);
  assert.deepEqual(seen, bodies, 'each message exactly once, in order');
  assert.equal(w.sentRows(p.chat.guid).filter((r) => r.text === 'sent from Element while the bridge was down').length, 1);
  return seenAtStop;
}

export async function imageFromElement(w: World, p: Portal): Promise<void> {
  const mxc = await w.owner.upload(tinyPng(), 'image/png', 'sunset.png');
  const id = await w.owner.send(p.room, { msgtype: 'm.image', body: 'sunset.png', url: mxc, info: { mimetype: 'image/png', size: tinyPng().length, w: 3, h: 2 } });
  await confirmed(w, id);
  const last = w.sentRows(p.chat.guid).at(-1);
  assert.deepEqual(last?.attachments, ['sunset.png']);
  const file = w.sim.db.prepare(`SELECT a.filename FROM attachment a WHERE a.transfer_name = 'sunset.png' ORDER BY a.ROWID DESC LIMIT 1`).pluck().get() as string;
  assert.deepEqual(readFileSync(file.startsWith('~/') ? join(w.sim.home, file.slice(2)) : file), tinyPng(), 'the same bytes are in Messages');
}

export async function newConversationFromCommand(w: World): Promise<void> {
  const room = w.connector.managementRoom;
  assert.ok(room, 'the bridge has a management room');
  await w.owner.join(room);
  const cmd = await w.owner.send(room, { msgtype: 'm.text', body: '!imessage new +1 (555) 010-2077 Your table is booked for 9' });
  const answer = await w.owner.waitFor((e) => e.room_id === room && rel(e)?.['m.in_reply_to']?.event_id === cmd, 'command answer', LONG);
  assert.match(String(answer.content.body), /^Sending to \+15550102077: .* its own room when \+15550102077 answers/, 'the answer says where the chat will show up');
  await confirmed(w, cmd);
  const chat = await until(() => w.sim.findChat('+15550102077'), 'the new chat in chat.db');
  assert.deepEqual(w.sentRows(chat.guid).map((r) => r.text), ['Your table is booked for 9']);
  // The answer opens the portal, named by the number (no contact card).
  w.sim.receive(chat, { from: '+15550102077', text: 'Thanks, see you' });
  await ownerJoins(w, '+15550102077');
  const ev = await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, '+15550102077', 'Thanks, see you'), 'the answer in its portal', LONG);
  assert.notEqual(ev.room_id, room);
}

export async function contactSendsPhotoAndReply(w: World, p: Portal): Promise<void> {
  const photo = w.sim.receive(p.chat, { from: ALICE.handle, text: 'the view from here', attachments: [{ name: 'view.png', bytes: tinyPng() }] });
  const img = await w.owner.waitFor((e) => isMessage(e) && e.content.msgtype === 'm.image' && e.content.filename === 'view.png', 'm.image from chat.db', LONG);
  assert.equal((img.content.info as { mimetype: string }).mimetype, 'image/png');
  assert.deepEqual(await w.owner.download(String(img.content.url)), tinyPng(), 'the bytes from Messages\' Attachments folder');
  await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'the view from here'), 'its caption', LONG);
  w.sim.receive(p.chat, { from: ALICE.handle, text: 'nice, right?', replyTo: { guid: photo.guid } });
  const reply = await w.owner.waitFor((e) => isMessage(e) && e.content.body === shown(w, ALICE.name, 'nice, right?'), 'threaded reply', LONG);
  assert.equal(rel(reply)?.['m.in_reply_to']?.event_id, img.event_id);
}
