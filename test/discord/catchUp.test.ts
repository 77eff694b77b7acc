// What agents typed while the bridge was away never arrives on the gateway:
// after a restart or an unresumable session (op 9) it is read back over REST,
// relayed once, and shows its fate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

let h: Harness;
const jane = directChat('+15550001111');
let ch = '';

before(async () => {
  h = await startHarness({ note_prefix: '//' });
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'Hello, I need help' })));
  ch = h.discord.channelByName('jane-customer')!.id;
});
after(async () => { await h.close(); });

const sentFor = (id: string) => h.core.receipts.filter((r) => r.intent.origin?.remoteId === id);
const reactionsOn = (id: string) => h.discord.view(ch).find((m) => m.id === id)?.reactions ?? {};

test('bridge stopped, agent posts, bridge restarts: the message reaches the outbox exactly once, with its fate', async () => {
  const earlier = h.discord.post(h.users.alice, ch, 'relayed while running');
  await waitFor(() => sentFor(earlier).length === 1, 10_000, 'live relay');
  await h.connector.idle();
  await h.connector.stop();
  const whileDown = h.discord.post(h.users.bob, ch, 'typed while the bridge was down');
  const note = h.discord.post(h.users.bob, ch, '// a note typed while down');
  await h.connector.start(h.core);
  await waitFor(() => sentFor(whileDown).length === 1, 15_000, 'caught-up relay');
  await h.connector.idle();
  assert.equal(sentFor(whileDown)[0]!.intent.text, 'typed while the bridge was down');
  assert.deepEqual(sentFor(whileDown)[0]!.intent.from, { connector: 'discord', userId: h.users.bob, displayName: 'bob' });
  assert.equal(sentFor(earlier).length, 1, 'what was relayed before the restart is not sent again');
  assert.equal(sentFor(note).length, 0, 'notes stay notes');
  await waitFor(() => reactionsOn(whileDown)['⏳'], 10_000, 'fate shown');
  // Another restart finds nothing new to send.
  await h.connector.stop();
  await h.connector.start(h.core);
  await h.connector.idle();
  assert.equal(sentFor(whileDown).length, 1);
  assert.equal(sentFor(earlier).length, 1);
});

test('a crash after handing a message on but before remembering it: not sent twice', async () => {
  const id = h.discord.post(h.users.alice, ch, 'handed on just before the crash');
  await waitFor(() => sentFor(id).length === 1, 10_000, 'relay');
  await h.connector.idle();
  await h.connector.stop();
  // The last-seen marker was not saved: the catch-up reads this message again.
  const row = h.db.prepare("SELECT chat_guid, extra FROM portal WHERE connector = 'discord' AND remote_id = ?").get(ch) as { chat_guid: string; extra: string };
  const extra = JSON.parse(row.extra) as Record<string, unknown>;
  extra.lastSeenId = (BigInt(id) - 1n).toString();
  h.db.prepare("UPDATE portal SET extra = ? WHERE connector = 'discord' AND chat_guid = ?").run(JSON.stringify(extra), row.chat_guid);
  const later = h.discord.post(h.users.alice, ch, 'after the crash');
  await h.connector.start(h.core);
  await waitFor(() => sentFor(later).length === 1, 15_000, 'caught-up relay');
  await h.connector.idle();
  assert.equal(sentFor(id).length, 1, 'deduplicated on discord_origin');
});

test('an unresumable session (op 9): what was posted before the new READY is caught up', async () => {
  h.discord.gateway.invalidateSession(false);
  const id = h.discord.post(h.users.alice, ch, 'posted while the session was gone');
  await waitFor(() => sentFor(id).length === 1, 20_000, 'caught-up relay after op 9');
  await h.connector.idle();
  assert.equal(sentFor(id).length, 1);
  // And the fresh session is live again.
  const next = h.discord.post(h.users.alice, ch, 'after the new session');
  await waitFor(() => sentFor(next).length === 1, 10_000, 'live relay');
});
