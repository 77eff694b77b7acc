// The OpenAPI document: generated from the routes' zod schemas, valid per the
// OpenAPI 3.1 schema (an independent validator), with full typed schemas, and
// honoured by every response the API tests see (support/contract.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify from 'fastify';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';
import { contractStats, contractViolations, installContractCheck } from './support/contract.ts';

type Op = { operationId?: string; security?: unknown[]; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };

describe('the OpenAPI document', () => {
  let h: Harness;
  let doc: { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, Record<string, unknown>> } };
  before(async () => {
    h = await startHarness({}, (f) => { const c = f.addChat(['+15550000001']); f.addMessage(c, 'hello'); });
    doc = (await http(`${h.url}/v1/openapi.json`)).json();
  });
  after(async () => { await h.close(); });

  it('validates against the OpenAPI 3.1 schema', async () => {
    const v = new Validator();
    const res = await v.validate(structuredClone(doc) as never);
    assert.equal(res.valid, true, JSON.stringify(res.errors, null, 1)?.slice(0, 2000));
    assert.equal(doc.openapi, '3.1.0');
  });

  it('names the server it was fetched from', () => {
    assert.deepEqual(doc.servers.map((s) => s.url), [h.url]);
  });

  it('documents every route with an operationId, and every authenticated one with bearer security and error responses', () => {
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.entries(o).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));
    const keys = ops.map((o) => o.key).sort();
    for (const k of ['GET /v1/chats', 'GET /v1/chats/{guid}/messages', 'GET /v1/messages/{guid}', 'GET /v1/attachments/{guid}/{part}', 'POST /v1/send', 'GET /v1/outbox/{id}', 'GET /v1/search', 'GET /v1/events', 'GET /v1/ws', 'GET /healthz', 'GET /metrics', 'GET /v1/openapi.json']) {
      assert.ok(keys.includes(k), `${k} in ${keys.join(', ')}`);
    }
    const ids = ops.map((o) => o.op.operationId);
    assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), JSON.stringify(ids));
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const { key, op } of ops) {
      if (key.endsWith('/healthz') || key.endsWith('/openapi.json')) continue;
      assert.deepEqual(op.security, [{ bearer: [] }], key);
      assert.ok(op.responses['401'], `${key} documents 401`);
    }
  });

  it('has full component schemas with examples, and routes that reference them', () => {
    for (const name of ['Message', 'Chat', 'Attachment', 'OutboxItem', 'SearchHit', 'Event', 'Error', 'Fate']) {
      const s = doc.components.schemas[name];
      assert.ok(s, `${name} is a component`);
      assert.notDeepEqual(Object.keys(s), ['type'], `${name} is more than {type: object}`);
    }
    assert.ok(doc.components.schemas.Message!.examples, 'Message has an example');
    const message = doc.components.schemas.Message as { properties: Record<string, { format?: string; anyOf?: { format?: string }[] }> };
    assert.ok(JSON.stringify(message.properties.date).includes('date-time'), 'dates are ISO 8601 date-times');
    const page = doc.paths['/v1/chats/{guid}/messages']!.get!.responses['200']!.content!['application/json']!.schema;
    assert.deepEqual(page, { $ref: '#/components/schemas/MessagePage' });
    const send = doc.paths['/v1/send']!.post! as Op & { requestBody: { content: Record<string, unknown> } };
    assert.deepEqual(Object.keys(send.requestBody.content).sort(), ['application/json', 'multipart/form-data']);
  });

  it('the contract check flags a response that breaks the document', async () => {
    const { z } = await import('zod');
    const app = Fastify();
    const { registerOpenApi } = await import('../../src/api/openapi.ts');
    app.setValidatorCompiler(() => (d: unknown) => ({ value: d }));
    app.setSerializerCompiler(() => (d: unknown) => JSON.stringify(d));
    await registerOpenApi(app);
    installContractCheck(app);
    app.get('/probe', { schema: { operationId: 'probe', response: { 200: z.object({ n: z.number() }) } } }, async () => ({ n: 'not a number' }) as never);
    const before = contractViolations.length;
    await app.inject('/probe');
    await app.close();
    const found = contractViolations.splice(before);
    assert.equal(found.length, 1, 'one violation recorded');
    assert.match(found[0]!, /GET \/probe 200/);
  });

  it('every response of this suite was checked', async () => {
    await http(`${h.url}/v1/chats`, { headers: bearer(h.tokens.read) });
    assert.ok(contractStats.checked > 0);
  });
});
