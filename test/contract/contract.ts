// The connector contract: the same user stories, told through each network's
// own surface (a Discord channel as a Discord user sees it, a Matrix room as
// an Element user sees it), against the real daemon and core. A connector
// passes when each story ends the same way on its side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBridge } from '../../src/daemon.ts';
import { SendRefusedError } from '../../src/core/errors.ts';
import { chatGuid } from '../../src/ids.ts';
import { storedText } from '../../src/sim/body.ts';
import { setFakeOsascriptMode } from '../../src/sim/fakeOsascript/index.ts';
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import { waitFor } from '../support/waitFor.ts';

/** The one mirror config every side runs with (macOS 26 simulator: every chat guid is `any;…`). */
export const MIRRORS = {
  mirrors: [
    'any;-;+15550103001',            // a chat guid as chat.db has it
    '(555) 010-3002',                // a handle, national form (default_region US)
    '+1 555-010-3005',               // a handle, international with spaces
    'SMS;-;+15550103006',            // a handle inside another service's guid
    'iMessage;-;+15550103003',       // a pre-macOS 26 guid: must match `any;-;…`
  ],
  auto_mirror: ['*@example.com', '/0103004$/', 'Weekend plans'],
};

export const CONTACT = {
  guid: '+15550103001', national: '+15550103002', spaced: '+15550103005', sms: '+15550103006', anyPrefix: '+15550103003',
  glob: 'carol@example.com', regex: '+15550103004', unmirrored: '+15550103009',
} as const;

/** One network as its users see it. Ids are the network's own (channel/room, message/event). */
export interface Side {
  readonly name: string;
  readonly sim: MessagesSimulator;
  readonly bridge: RunningBridge;
  /** The room a chat is mirrored to, once a line containing `text` shows there. */
  roomShowing(text: string): Promise<{ room: string; id: string }>;
  /** Rooms that exist for chats (to prove one was never made). */
  rooms(): string[];
  /** An allowed user, or someone not allowed, writes in a room. */
  post(who: 'allowed' | 'stranger', room: string, text: string): Promise<string>;
  /** What the bridge told under a message (notices/replies), oldest first. */
  notices(room: string, id: string): string[];
  /** Fate marks the bridge put on a message (✅ ❌ ⏳ …). */
  marks(room: string, id: string): string[];
  /** Reactions shown on a message by anyone but the bridge's fate marks (tapbacks). */
  reactions(room: string, id: string): string[];
  /** The message that shows the file named `file` (its own event, or the post it rides on); null until one does. */
  carrying(room: string, file: string): string | null;
  /** The message's text as shown now (after edits); null once it is gone or marked unsent. */
  textNow(room: string, id: string): string | null;
  close(): Promise<void>;
}

const LONG = 60_000;

const until = <T>(what: string, check: () => T | null | undefined | false, ms = LONG): Promise<T> => waitFor(what, check, { timeoutMs: ms, intervalMs: 50 });

export function contractSuite(start: () => Promise<Side>): void {
  let s: Side;
  const chats = new Map<string, SimChat>();
  /** What "my" Messages holds as sent in a chat (macOS 26 keeps the body only in attributedBody). */
  const fromMe = (chat: SimChat): string[] => (s.sim.db.prepare(`SELECT m.text, m.attributedBody FROM message m JOIN chat_message_join j ON j.message_id = m.ROWID JOIN chat c ON c.ROWID = j.chat_id
    WHERE c.guid = ? AND m.is_from_me = 1 AND m.associated_message_type = 0 ORDER BY m.ROWID`).all(chat.guid) as Array<{ text: string | null; attributedBody: Buffer | null }>)
    .map((r) => storedText(r.text, r.attributedBody));

  before(async () => {
    s = await start();
    for (const [key, handle] of Object.entries(CONTACT)) chats.set(key, s.sim.addChat({ participants: [handle] }));
    chats.set('name', s.sim.addChat({ participants: ['+15550103011', '+15550103012'], displayName: 'Weekend plans', group: true }));
  });
  after(async () => { await s?.close(); });

  const portals = new Map<string, string>();

  test('mirroring: by guid, by handle in several forms, by glob, by regex, by name; `any;` equals `iMessage;`; nothing else', { timeout: 180_000 }, async () => {
    // The unmirrored chat writes first: once every later line has its room, its turn has long passed.
    s.sim.receive(chats.get('unmirrored')!, { from: CONTACT.unmirrored, text: 'contract: not mirrored' });
    for (const key of ['guid', 'national', 'spaced', 'sms', 'anyPrefix', 'glob', 'regex', 'name']) {
      const chat = chats.get(key)!;
      s.sim.receive(chat, { from: chat.participants[0]!, text: `contract: hello from ${key}` });
    }
    for (const key of ['guid', 'national', 'spaced', 'sms', 'anyPrefix', 'glob', 'regex', 'name']) {
      const { room } = await s.roomShowing(`contract: hello from ${key}`);
      portals.set(key, room);
    }
    assert.equal(new Set(portals.values()).size, 8, 'one room per chat');
    assert.equal(s.rooms().length, 8, 'no room for the chat no rule matches');
  });

  test('tapback, edit and unsend of an iMessage reach the same message in the room', { timeout: 120_000 }, async () => {
    const chat = chats.get('guid')!;
    const m = s.sim.receive(chat, { from: CONTACT.guid, text: 'contract: dinner at 8?' });
    const { room, id } = await s.roomShowing('contract: dinner at 8?');
    assert.equal(room, portals.get('guid'));
    s.sim.tapback(chat, { from: CONTACT.guid, target: m.guid, type: 'love' });
    await until('the tapback', () => s.reactions(room, id).includes('❤️'));
    s.sim.edit(m.guid, 'contract: dinner at 9?');
    await until('the edit', () => s.textNow(room, id)?.includes('dinner at 9?'));
    s.sim.unsend(m.guid);
    await until('the unsend', () => s.textNow(room, id) === null);
  });

  test('a tapback on the attachment of a text-and-attachment message lands on the message that shows the attachment', { timeout: 120_000 }, async () => {
    const chat = chats.get('guid')!;
    // Messages lays the attachment out as part 0 and the text as part 1. The text is long enough
    // that Discord needs two posts for it and puts the file on the second; Matrix posts the file
    // and the text as two events. Either way the attachment's message is not the text's first.
    const text = `contract: the photo ${'and a long caption '.repeat(120)}`;
    const m = s.sim.receive(chat, { from: CONTACT.guid, text, attachments: [{ name: 'contract-photo.png' }] });
    const { room, id: first } = await s.roomShowing('contract: the photo');
    const withFile = await until('the attachment', () => s.carrying(room, 'contract-photo.png'));
    assert.notEqual(withFile, first, 'the attachment is shown apart from the text\'s first message');
    s.sim.tapback(chat, { from: CONTACT.guid, target: m.guid, part: 0, type: 'laugh' });
    await until('the tapback on the attachment', () => s.reactions(room, withFile).includes('😂'));
    assert.deepEqual(s.reactions(room, first), [], 'not on the text');
  });

  test('an allowed user\'s message is sent, and each fate is shown once', { timeout: 120_000 }, async () => {
    const chat = chats.get('guid')!;
    const room = portals.get('guid')!;
    const ok = await s.post('allowed', room, 'contract: on my way');
    await until('the row in chat.db', () => fromMe(chat).includes('contract: on my way'));
    await until('✅', () => s.marks(room, ok).includes('✅'));
    setFakeOsascriptMode(s.sim.dir, 'error:22');
    let bad: string;
    try {
      bad = await s.post('allowed', room, 'contract: this one fails');
      await until('the failure notice', () => s.notices(room, bad).length > 0);
    } finally { setFakeOsascriptMode(s.sim.dir, null); }
    // A later send's ✅ means every earlier fate was reported: nothing more will come for these two.
    const later = await s.post('allowed', room, 'contract: later');
    await until('✅ on the later one', () => s.marks(room, later).includes('✅'));
    assert.deepEqual(s.marks(room, ok).filter((m) => m === '✅'), ['✅'], 'sent: shown once');
    assert.equal(s.notices(room, ok).length, 0, 'no notice for a sent message');
    assert.equal(s.notices(room, bad).length, 1, 'failed: told once');
    assert.match(s.notices(room, bad)[0]!, /error 22|error_22/);
  });

  test('a stranger in a mirrored room is refused, audited, and told once', { timeout: 120_000 }, async () => {
    const chat = chats.get('glob')!;
    const room = portals.get('glob')!;
    const first = await s.post('stranger', room, 'contract: let me in');
    const second = await s.post('stranger', room, 'contract: hello?');
    await until('the notice', () => s.notices(room, first).length > 0);
    const denied = () => s.bridge.db.prepare("SELECT count(*) FROM audit WHERE action = 'denied' AND result = 'refused: not_allowed'").pluck().get() as number;
    await until('both attempts audited', () => denied() >= 2);
    const marker = await s.post('allowed', room, 'contract: after the stranger');
    await until('✅ on the marker', () => s.marks(room, marker).includes('✅'));
    assert.equal(s.notices(room, first).length, 1);
    assert.match(s.notices(room, first)[0]!, /aren't allowed to send/);
    assert.equal(s.notices(room, second).length, 0, 'told once, not per message');
    assert.deepEqual(fromMe(chat), ['contract: after the stranger'], 'nothing from the stranger reached Messages');
  });

  test('the API\'s mirrored-only restriction, with patterns present, opens no chat they miss', async () => {
    const api = s.bridge.core.gateway({ kind: 'api', restriction: 'mirrored', allowlist: [] });
    const from = { connector: 'api', userId: 'tok', displayName: 'ci' };
    for (const target of [chats.get('unmirrored')!.guid, '+15550109999', 'iMessage;-;+15550109999', 'nobody@example.org']) {
      await assert.rejects(api.send({ chatGuid: chatGuid(target), text: 'x', from }), (e: unknown) => e instanceof SendRefusedError && e.code === 'not_mirrored', target);
    }
    const ok = await api.send({ chatGuid: chatGuid(chats.get('regex')!.guid), text: 'contract: from the API', from });
    assert.equal(ok.fate.state, 'queued');
  });
}
