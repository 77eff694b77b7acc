// The typed client's types are generated from the API's own document: this
// fails when src/client/openapi.gen.ts and GET /v1/openapi.json drift apart
// (regenerate: UPDATE_CLIENT_TYPES=1 node scripts/test.mjs test/api/clientTypes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { http, startHarness } from './support/harness.ts';
import { CLIENT_TYPES_FILE, clientTypesFrom } from './support/clientTypes.ts';

test('src/client/openapi.gen.ts is what openapi-typescript makes of the served document', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const doc = (await http(`${h.url}/v1/openapi.json`)).json() as Record<string, unknown>;
  const fresh = await clientTypesFrom(doc);
  if (process.env.UPDATE_CLIENT_TYPES === '1') writeFileSync(CLIENT_TYPES_FILE, fresh);
  const committed = readFileSync(CLIENT_TYPES_FILE, 'utf8');
  assert.ok(committed === fresh, 'src/client/openapi.gen.ts is stale: run UPDATE_CLIENT_TYPES=1 node scripts/test.mjs test/api/clientTypes, then check the client still compiles (npm run typecheck)');
});

test('the drift check notices a changed document', async () => {
  const h = await startHarness();
  try {
    const doc = (await http(`${h.url}/v1/openapi.json`)).json() as { components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> } };
    doc.components.schemas.Message!.properties.new_field = { type: 'string' };
    doc.components.schemas.Message!.required.push('new_field');
    assert.notEqual(await clientTypesFrom(doc), readFileSync(CLIENT_TYPES_FILE, 'utf8'));
  } finally {
    await h.close();
  }
});
