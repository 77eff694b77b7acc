// examples/client.ts (the README's ten-line script) runs as an integrator
// would run it: its own process, importing imessage-bridge/client, against a
// demo-like bridge. It reads, searches, sends and streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDemoGateway } from './support/demoGateway.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/client.ts', import.meta.url));

test('examples/client.ts reads, searches, sends and streams', async (t) => {
  const gw = await startDemoGateway();
  t.after(() => gw.stop());
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', EXAMPLE], { env: { ...process.env, IMB_URL: gw.url, IMB_TOKEN: gw.tokens.readSend }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`)); else resolve(stdout);
    });
  });
  const lines = out.trim().split('\n');
  assert.ok(lines.filter((l) => /^[^:]+: /.test(l) && !l.startsWith('found') && !l.startsWith('sent') && !l.startsWith('live')).length >= 1, `message lines in:\n${out}`);
  assert.ok(lines.some((l) => /^found in .+: .*lunch/i.test(l)), `a search hit in:\n${out}`);
  assert.ok(lines.includes('sent: sent'), out);
  assert.ok(lines.some((l) => l === 'live message: Hello from the typed client'), out);
});
