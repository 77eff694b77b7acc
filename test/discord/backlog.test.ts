// Rate limits: a backlog drains through discord.js's REST queue at the local
// Discord's ceiling, in order within each chat, with nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';

test('three chats with a 60-message backlog each drain in order, nothing lost, no 429s', { timeout: 60_000 }, async () => {
  // 3 × 10/s stays under discord.js's own 50 requests/s global cap.
  const limit = { limit: 5, windowMs: 500 };
  const h = await startHarness({}, { rateLimits: { webhook: limit, channel: { limit: 50, windowMs: 1000 } } });
  try {
    const chats = ['+15550001111', '+15550004444', 'joe@example.com'].map(directChat);
    for (const c of chats) await h.connector.deliver(messageEvent(c, imsg(c, { text: 'opening', sender: c.identifier })));
    const n = 60;
    const started = Date.now();
    // The core delivers chats in parallel, each chat strictly in order.
    await Promise.all(chats.map(async (c) => {
      for (let i = 0; i < n; i++) await h.connector.deliver(messageEvent(c, imsg(c, { text: `${c.identifier} #${i}`, sender: c.identifier })));
    }));
    const seconds = (Date.now() - started) / 1000;
    for (const c of chats) {
      const ch = h.discord.channels().find((x) => x.topic?.endsWith(c.identifier) || x.topic?.endsWith(`(${c.identifier})`))!;
      const got = h.discord.view(ch.id).map((m) => m.content).filter((t) => t.includes(' #'));
      assert.deepEqual(got, Array.from({ length: n }, (_, i) => `${c.identifier} #${i}`));
    }
    assert.equal(h.discord.limiter.rejected.webhook, 0, 'discord.js paced itself from the headers');
    // Each webhook is its own bucket: a 3 × 10/s ceiling. Expect most of it even on a loaded machine.
    const perSecond = (3 * n) / seconds;
    assert.ok(perSecond > 0.5 * 3 * (limit.limit / (limit.windowMs / 1000)) || seconds < 3, `drained ${perSecond.toFixed(1)}/s`);
  } finally { await h.close(); }
});
