// allowed_mentions is per request: Discord applies it to the create or edit
// that carries it and remembers nothing. So every payload the bot sends —
// webhook posts and edits, bot replies, interaction responses and followups —
// must carry {parse: []}, or an edit could ping @everyone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '../support/discord/harness.ts';
import { directChat, envelope, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

test('every payload the bot sends carries allowed_mentions {parse: []}', async () => {
  const h = await startHarness();
  try {
    const jane = directChat('+15550001111');
    const m = imsg(jane, { text: 'hi @everyone' });
    await h.connector.deliver(messageEvent(jane, m));
    const ch = h.discord.channelByName('jane-customer')!.id;
    await h.connector.deliver(envelope({ type: 'edit', chat: jane, message: { ...m, text: 'edited @everyone', dateEdited: Date.now() } }));
    await h.connector.deliver(envelope({ type: 'unsend', chat: jane, message: { ...m, text: '', unsent: true } }));
    const id = h.discord.post(h.users.alice, ch, 'agent reply');
    const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'relay');
    await h.core.settle(r, { state: 'failed', code: 'x', reason: 'nope' });
    h.discord.post(h.users.carol, ch, 'may I?'); // denial notice
    const s = h.discord.slash(h.users.alice, ch, 'imessage', 'status');
    const n = h.discord.slash(h.users.alice, ch, 'imessage', 'new', { to: '+15550009999', text: 'hello new' });
    await waitFor(() => s.responses.length > 0 && n.responses.some((x) => /Started/.test(String(x.data?.content ?? ''))), 10_000, 'command answers');
    await waitFor(() => h.discord.view(ch).some((x) => /aren't allowed/.test(x.content)), 10_000, 'denial');
    await h.connector.idle();

    const shown = h.discord.payloads.filter((p) => p.content !== null);
    const routes = new Set(shown.map((p) => `${p.method} ${p.route}`));
    for (const want of ['POST /webhooks/:id/:token', 'PATCH /webhooks/:id/:token/messages/:message', 'POST /channels/:channel/messages', 'POST /interactions/:id/:token/callback']) {
      assert.ok(routes.has(want), `exercised ${want}`);
    }
    for (const p of shown) assert.deepEqual(p.allowedMentions, { parse: [] }, `${p.method} ${p.route}: ${p.content}`);
    // And what Discord stores reflects the last request, not the first.
    assert.deepEqual(h.discord.view(ch).find((x) => x.content.includes('edited'))?.allowedMentions, { parse: [] });
  } finally { await h.close(); }
});
