// Relay latency to Matrix: from the moment a message is handed to the
// connector (standing in for the chat.db commit until the live core lands) to
// the event arriving in an Element-like user's /sync, against a real Synapse.
// Prints matrix_relay_p50_ms / matrix_relay_p99_ms over N messages (default 500).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSynapse } from '../test/support/synapse/synapse.ts';
import { ElementUser } from '../test/support/synapse/elementUser.ts';
import { openBridgeDb } from '../src/core/db/bridgeDb.ts';
import { matrixSection } from '../src/config/sections/matrix.ts';
import { createMatrixConnector } from '../src/connectors/matrix/index.ts';
import { createLogger } from '../src/log.ts';
import { chatGuid, messageGuid, outboxId } from '../src/ids.ts';
import type { Chat, IMessage } from '../src/imessage/model.ts';

const N = Number(process.env.BENCH_MATRIX_N ?? 500);
const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const hs = await startSynapse();
const dir = mkdtempSync(join(tmpdir(), 'mx-bench-'));
const db = openBridgeDb(join(dir, 'bridge.db'));
try {
  const bot = await hs.registerUser('bot');
  const o = await hs.registerUser('owner');
  const owner = new ElementUser(hs.url, o.userId, o.accessToken);
  owner.startSync();
  const cfg = matrixSection.parse({ homeserver_url: hs.url, homeserver_name: hs.serverName, mode: 'bot', access_token: bot.accessToken, owners: [o.userId] });
  const conn = createMatrixConnector(cfg, { db, displayName: (h) => h, status: async () => ({}), log: createLogger('error'), dataDir: dir });
  await conn.start({ send: async (intent) => ({ id: outboxId('x'), intent, fate: { state: 'queued' } }), isMirrored: () => true });
  const chat: Chat = { rowid: 1, guid: chatGuid('iMessage;-;+15550000000'), service: 'iMessage', identifier: '+15550000000', displayName: 'Bench', isGroup: false, participants: ['+15550000000'], lastMessageAt: null };
  const mk = (i: number): IMessage => ({
    rowid: i, guid: messageGuid(`BENCH-${i}`), chatGuid: chat.guid, kind: 'text', fromMe: false, sender: '+15550000000', service: 'iMessage', date: Date.now(),
    dateRead: null, dateDelivered: null, dateEdited: null, dateRetracted: null, text: `bench ${i}`, rawText: `bench ${i}`, attachments: [], reaction: null,
    replyTo: null, edits: [], unsent: false, retractedParts: [], event: null, isSent: true, isDelivered: true, isRead: false, error: 0, balloonBundleId: null, warnings: [],
  });
  // Warm-up: create the portal and let the owner join it.
  await conn.deliver({ seq: 0, key: 'msg:BENCH-warm', chatGuid: chat.guid, event: { type: 'message', chat, message: { ...mk(0), guid: messageGuid('BENCH-warm') }, sentBy: null } });
  const room = await owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === 'Bench'), 'bench portal', 60_000);
  await owner.join(room);
  const lat: number[] = [];
  for (let i = 1; i <= N; i++) {
    const t0 = Date.now();
    await conn.deliver({ seq: i, key: `msg:BENCH-${i}`, chatGuid: chat.guid, event: { type: 'message', chat, message: mk(i), sentBy: null } });
    const body = `+15550000000: bench ${i}`;
    const ev = await owner.waitFor((e) => e.content.body === body, `bench ${i}`, 60_000);
    lat.push((owner.seenAt.get(ev.event_id) ?? Date.now()) - t0);
  }
  lat.sort((a, b) => a - b);
  console.log(`matrix_relay_p50_ms ${pct(lat, 50)} ms`);
  console.log(`matrix_relay_p99_ms ${pct(lat, 99)} ms`);
  await conn.stop();
  await owner.stop();
} finally {
  db.close();
  await hs.stop();
  rmSync(dir, { recursive: true, force: true });
}
