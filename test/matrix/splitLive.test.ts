// A 200 kB text with emoji, from chat.db to a real Synapse: every chunk
// accepted, in order, complete, no grapheme cut in two; then its edit and
// unsend reach every chunk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, ALICE, type World } from './liveWorld.ts';
import type { SeenEvent } from '../support/synapse/elementUser.ts';

let w: World;
const T = { timeout: 240_000 };
const LONG = 180_000;

before(async () => { w = await startWorld('appservice'); });
after(async () => { await w?.close(); });

const isGraphemeBoundary = (s: string, at: number): boolean => {
  const from = Math.max(0, at - 64);
  const ends = new Set<number>([from]);
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s.slice(from, at + 64))) ends.add(from + index + segment.length);
  return ends.has(at);
};

test('a 200 kB message with emoji arrives in order, complete, cut only between graphemes; edit and unsend reach every chunk', T, async () => {
  const line = 'Order 42 👩‍👩‍👧‍👦 shipped to Zoë 🇫🇷 — see https://example.com/track?id=42&x="y" <now>\n';
  const text = line.repeat(Math.ceil(200_000 / Buffer.byteLength(line))).trimEnd();
  assert.ok(Buffer.byteLength(text) >= 200_000);
  const chat = w.sim.addChat({ participants: [ALICE.handle] });
  const m = w.sim.receive(chat, { from: ALICE.handle, text });
  const ghost = w.ghost(ALICE.handle);
  const mine = (): SeenEvent[] => w.owner.events.filter((e) => e.type === 'm.room.message' && e.sender === ghost && !e.content['m.relates_to']);
  // Laid back in order, each chunk continues the text where the last ended (a cut may drop the one break it falls on).
  let chunks: SeenEvent[] = [];
  await w.owner.waitFor(() => {
    chunks = mine();
    return chunks.map((e) => String(e.content.body)).join('').length >= text.length - chunks.length;
  }, 'every chunk', LONG);
  let at = 0;
  for (const [i, e] of chunks.entries()) {
    const body = String(e.content.body);
    if (i > 0 && !text.startsWith(body, at) && (text[at] === '\n' || text[at] === ' ')) at++;
    assert.ok(text.startsWith(body, at), `chunk ${i} of ${chunks.length} continues the text at ${at}: ${JSON.stringify(body.slice(0, 40))} vs ${JSON.stringify(text.slice(at, at + 40))}`);
    at += body.length;
    assert.ok(isGraphemeBoundary(text, at), `chunk ${i} ends between graphemes`);
    assert.equal(e.room_id, chunks[0]!.room_id);
  }
  assert.equal(at, text.length, 'complete');
  assert.ok(chunks.length > 1 && chunks.length < 40, `${chunks.length} events`);
  // Every chunk kept its links clickable.
  assert.ok(chunks.every((e) => String(e.content.formatted_body).includes('<a href="https://example.com/track?id=42&amp;x=">')));

  // Edited to a short text: the first chunk is replaced, the rest redacted.
  w.sim.edit(m.guid, 'Order 42 shipped ✅');
  const edit = await w.owner.waitFor((e) => (e.content['m.relates_to'] as { rel_type?: string } | undefined)?.rel_type === 'm.replace', 'the edit', LONG);
  assert.equal((edit.content['m.relates_to'] as { event_id: string }).event_id, chunks[0]!.event_id);
  assert.equal((edit.content['m.new_content'] as { body: string }).body, 'Order 42 shipped ✅');
  const redacted = (id: string) => w.owner.events.some((e) => e.type === 'm.room.redaction' && e.redacts === id);
  await w.owner.waitFor(() => chunks.slice(1).every((c) => redacted(c.event_id)), 'the leftover chunks redacted', LONG);
  assert.ok(!redacted(chunks[0]!.event_id), 'the first chunk stays, edited');

  // Unsent: the first chunk goes too.
  w.sim.unsend(m.guid);
  await w.owner.waitFor(() => redacted(chunks[0]!.event_id), 'the first chunk redacted', LONG);
});
