// Files agents attach are downloaded for the outbox: never forever (a stalled
// CDN), never kept forever (disk), and edit notices are remembered in bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageGuid } from '../../src/ids.ts';
import { download } from '../../src/connectors/discord/attachments.ts';
import { sweepDownloads } from '../../src/connectors/discord/downloads.ts';
import { RecentIds } from '../../src/connectors/discord/recentIds.ts';
import { startHarness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin` };
}

test('a download that stalls (no headers, or a body that never ends) fails with a timeout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'discord-dl-'));
  const silent = await listen(() => { /* never answers */ });
  const dribble = await listen((_req, res) => { res.writeHead(200, { 'Content-Length': '100' }); res.write('x'); });
  t.after(() => {
    silent.server.closeAllConnections(); silent.server.close();
    dribble.server.closeAllConnections(); dribble.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = Date.now();
  await assert.rejects(download(silent.url, 'a.bin', dir, 1000, 10, 300), /download of a\.bin timed out/);
  await assert.rejects(download(dribble.url, 'b.bin', dir, 1000, 10, 300), /download of b\.bin timed out/);
  assert.ok(Date.now() - started < 10_000);
});

test('a downloaded file is deleted once its send is final', async () => {
  const h = await startHarness();
  try {
    const jane = directChat('+15550001111');
    await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'send me the label' })));
    const ch = h.discord.channelByName('jane-customer')!.id;
    const sent = h.discord.post(h.users.alice, ch, '', { files: [{ name: 'label.pdf', data: Buffer.from('PDF') }] });
    const failed = h.discord.post(h.users.alice, ch, '', { files: [{ name: 'other.pdf', data: Buffer.from('PDF2') }] });
    const r1 = await waitFor(() => h.core.receipts.find((r) => r.intent.origin?.remoteId === sent), 10_000, 'file intent');
    const r2 = await waitFor(() => h.core.receipts.find((r) => r.intent.origin?.remoteId === failed), 10_000, 'file intent');
    assert.ok(existsSync(r1.intent.file!.path) && existsSync(r2.intent.file!.path), 'kept while the outbox needs them');
    await h.core.settle(r1, { state: 'sending' });
    assert.ok(existsSync(r1.intent.file!.path), 'not final yet');
    await h.core.settle(r1, { state: 'sent', messageGuid: messageGuid('SENT-FILE') });
    await h.core.settle(r2, { state: 'failed', code: 'x', reason: 'no' });
    assert.equal(existsSync(r1.intent.file!.path), false);
    assert.equal(existsSync(r2.intent.file!.path), false);
    assert.equal(existsSync(join(h.dir, 'downloads', sent)), false, 'the message folder goes too');
  } finally { await h.close(); }
});

test('leftovers older than a day are swept; recent ones stay', async () => {
  const root = mkdtempSync(join(tmpdir(), 'discord-sweep-'));
  try {
    for (const name of ['old', 'fresh']) { mkdirSync(join(root, name)); writeFileSync(join(root, name, 'f.bin'), 'x'); }
    const twoDaysAgo = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(join(root, 'old'), twoDaysAgo, twoDaysAgo);
    assert.equal(await sweepDownloads(root), 1);
    assert.equal(existsSync(join(root, 'old')), false);
    assert.equal(existsSync(join(root, 'fresh', 'f.bin')), true);
    assert.equal(await sweepDownloads(join(root, 'absent')), 0, 'no folder yet is fine');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('remembered ids are bounded: the oldest are forgotten first', () => {
  const ids = new RecentIds(3);
  for (const id of ['a', 'b', 'c', 'd']) ids.add(id);
  assert.equal(ids.size, 3);
  assert.deepEqual([...ids], ['b', 'c', 'd']);
});
