// Webhook and interaction tokens are credentials, message text is private: a
// failed Discord request must carry neither into errors, logs or the journal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { DiscordRequestError, redactRoute } from '../../src/connectors/discord/requestErrors.ts';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, envelope, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

let h: Harness;
const jane = directChat('+15550001111');
let webhookId = '';
let webhookToken = '';

before(async () => {
  h = await startHarness();
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'first message' })));
  const extra = JSON.parse(h.db.prepare("SELECT extra FROM portal WHERE connector = 'discord'").pluck().get() as string) as { webhookId: string; webhookToken: string };
  ({ webhookId, webhookToken } = extra);
  assert.ok(webhookToken.length > 20);
});
after(async () => { await h.close(); });

/** Everything a log line or the delivery journal could contain about an error. */
function everyRendering(e: unknown): string {
  const lines: string[] = [];
  pino({ level: 'info' }, { write: (l: string) => { lines.push(l); } }).warn({ err: e }, 'delivery failed; will retry');
  return [String(e), (e as Error).stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), ...lines].join('\n');
}

test('a refused webhook send throws a redacted error: route without token, no message text', async () => {
  const secret = 'my card number is 4111 1111 1111 1111';
  h.discord.failNext({ method: 'POST', path: /^\/webhooks\//, status: 400, code: 50035, message: 'Invalid Form Body' });
  const err = await h.connector.deliver(messageEvent(jane, imsg(jane, { text: secret }))).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof DiscordRequestError, `got ${String(err)}`);
  assert.equal(err.discordCode, 50035);
  assert.equal(err.status, 400);
  assert.equal(err.route, `/webhooks/${webhookId}/[redacted]`);
  assert.ok(err.advice.length > 0);
  const all = everyRendering(err);
  assert.ok(!all.includes(webhookToken), 'no webhook token anywhere');
  assert.ok(!all.includes('4111'), 'no message text anywhere');
  assert.match(err.message, /Invalid Form Body/);
});

test('a refused webhook edit is redacted too', async () => {
  const m = imsg(jane, { text: 'will be edited' });
  await h.connector.deliver(messageEvent(jane, m));
  h.discord.failNext({ method: 'PATCH', path: /^\/webhooks\//, status: 403, code: 50013, message: 'Missing Permissions' });
  const err = await h.connector.deliver(envelope({ type: 'edit', chat: jane, message: { ...m, text: 'secret correction 9876', dateEdited: Date.now() } })).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof DiscordRequestError);
  const all = everyRendering(err);
  assert.ok(!all.includes(webhookToken));
  assert.ok(!all.includes('9876'));
  assert.match(err.route, /^\/webhooks\/\d+\/\[redacted\]\/messages\/\d+$/);
});

test('a failed slash-command reply is logged without the interaction token', async () => {
  const ch = h.discord.channelByName('jane-customer')!.id;
  h.discord.failNext({ method: 'POST', path: /^\/interactions\//, status: 404, code: 10062, message: 'Unknown interaction' });
  const i = h.discord.slash(h.users.alice, ch, 'imessage', 'status');
  const line = await waitFor(() => h.logs.find((l) => l.includes('slash command failed')), 10_000, 'error log');
  assert.ok(!line.includes(i.token), 'no interaction token in the log');
  assert.ok(!h.logs.some((l) => l.includes(i.token)));
  assert.match(line, /\/interactions\/\d+\/\[redacted\]\/callback/);
  assert.match(line, /10062/);
});

test('redactRoute strips tokens from webhook and interaction URLs', () => {
  assert.equal(redactRoute('http://127.0.0.1:9/api/v10/webhooks/123/SECRET/messages/@original?thread_id=1'), '/webhooks/123/[redacted]/messages/@original');
  assert.equal(redactRoute('https://discord.com/api/v10/interactions/55/TOK/callback'), '/interactions/55/[redacted]/callback');
  assert.equal(redactRoute('/channels/1/messages'), '/channels/1/messages');
});
