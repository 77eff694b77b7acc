// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// The hand-written JSON line of a message (json.ts messageJsonLine) is the
// public contract byte for byte: the same text as JSON.stringify(messageToJson(m)),
// over many generated messages with every field shape, odd unicode and escapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatGuid, messageGuid } from '../../src/ids.ts';
import { isoDate, messageJsonLine, messageToJson } from '../../src/imessage/json.ts';
import type { GroupEvent, IMessage, MessageKind, ReactionType, Service } from '../../src/imessage/model.ts';

/** Small seeded PRNG (mulberry32): the same cases every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['hello', ' ', 'He\u0301llo', '👋🏽', 'שלום', '"', '\\', '\n', '\r\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029',
  '\uFEFF', '\uFFFD', '\uFFFC', '\ud83d', '\ude00', '𝄞', '</script>', '\b\f', '😀', 'ä', '\u00a0', '{"a":1}', ''];

function generated(n: number): IMessage[] {
  const r = prng(1234);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const text = (): string => { let s = ''; const k = Math.floor(r() * 6); for (let i = 0; i < k; i++) s += pick(PIECES); return s; };
  const maybe = <T>(p: number, f: () => T): T | null => (r() < p ? f() : null);
  const when = (): number => pick([Math.floor(r() * 2e12), 1.7e12 + Math.floor(r() * 1e9), 0, 86_399_999, 253_402_300_799_999, -1, -86_400_001, 1.5e12 + 0.5, 9e15 / 2]);
  const out: IMessage[] = [];
  for (let i = 0; i < n; i++) {
    const kind = pick<MessageKind>(['text', 'reaction', 'group_event', 'url_preview', 'app', 'other']);
    const event = maybe<GroupEvent>(0.2, () => {
      const e: GroupEvent = { type: pick(['renamed', 'member_added', 'member_removed', 'member_left', 'photo_changed'] as const) };
      if (r() < 0.5) e.name = text();
      if (r() < 0.5) e.handle = `+1555${i}`;
      if (r() < 0.5) e.actor = pick(['me', text()]);
      return e;
    });
    out.push({
      rowid: pick([i + 1, 2 ** 53 - 1, 0]), guid: messageGuid(pick([`G-${i}`, text()])), chatGuid: maybe(0.9, () => chatGuid(pick(['iMessage;-;+15551230001', `any;+;chat${i}`, text()]))),
      kind, fromMe: r() < 0.5, sender: pick(['me', '+15551230001', 'bob@example.com', text()]), service: pick<Service>(['iMessage', 'SMS', 'RCS', 'any', 'unknown']),
      date: maybe(0.95, when), dateRead: maybe(0.5, when), dateDelivered: maybe(0.5, when), dateEdited: maybe(0.1, when), dateRetracted: maybe(0.1, when),
      text: text(), rawText: '',
      attachments: r() < 0.2 ? Array.from({ length: 1 + Math.floor(r() * 3) }, (_, part) => ({
        guid: `AT-${i}-${part}`, path: maybe(0.7, () => `/Users/me/Library/Messages/Attachments/${text()}.heic`), mimeType: maybe(0.8, () => 'image/heic'),
        uti: maybe(0.8, () => 'public.heic'), transferName: maybe(0.8, text), size: pick([0, 12345, 2 ** 40, NaN]), isSticker: r() < 0.1, part,
      })) : [],
      reaction: maybe(0.15, () => ({ type: pick<ReactionType>(['love', 'like', 'emoji', 'sticker']), emoji: maybe(0.8, () => pick(['❤️', '🫠', text()])),
        targetGuid: messageGuid(`T-${i}`), targetPart: pick([0, 1, 7]), removed: r() < 0.3 })),
      replyTo: maybe(0.1, () => ({ guid: messageGuid(text()), part: pick([0, 3]) })),
      edits: r() < 0.1 ? [text(), text()] : [], unsent: r() < 0.05, retractedParts: r() < 0.05 ? [0, 2, Infinity] : [],
      event, isSent: r() < 0.5, isDelivered: r() < 0.5, isRead: r() < 0.5, error: pick([0, 22, -1]),
      balloonBundleId: maybe(0.1, () => pick(['com.apple.messages.URLBalloonProvider', text()])), warnings: [],
    });
  }
  return out;
}

test('messageJsonLine is byte-identical to JSON.stringify(messageToJson(m)) over 50,000 generated messages', () => {
  let escaped = 0;
  for (const m of generated(50_000)) {
    const line = messageJsonLine(m);
    assert.equal(line, JSON.stringify(messageToJson(m)), `rowid ${m.rowid}`);
    if (line.includes('\\u')) escaped++;
  }
  assert.ok(escaped > 1000, `escapes were exercised (${escaped})`);
});

test('isoDate is toISOString for every kind of instant', () => {
  const r = prng(99);
  const samples = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, 951_782_400_000 /* 2000-02-29 */, 253_402_300_799_999, 253_402_300_800_000,
    -1, -86_400_000, -62_198_755_200_000, 8.64e15, -8.64e15, 1.5, 1_700_000_000_000.25];
  for (let i = 0; i < 100_000; i++) samples.push(Math.floor(r() * 2.6e14) - 1e12);
  for (const ms of samples) assert.equal(isoDate(ms), new Date(ms).toISOString(), String(ms));
  assert.throws(() => isoDate(NaN), RangeError);
});
