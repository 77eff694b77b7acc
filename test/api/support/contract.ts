// Every response the API tests see is checked against /v1/openapi.json (the
// document as served), with a standard JSON Schema 2020-12 validator: an
// undocumented status or content type, or a body that breaks its schema, is
// recorded, and the harness fails the test run on close.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/** Every violation seen in this process: `METHOD /path status: what`. */
export const contractViolations: string[] = [];
/** How many responses were checked (so a test can prove the check ran). */
export const contractStats = { checked: 0 };

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };

const pointer = (...parts: string[]): string => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export function installContractCheck(app: FastifyInstance): void {
  let doc: Doc | null = null;
  let ajv: Ajv2020 | null = null;
  const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();
  const validatorFor = (ref: string) => {
    if (!doc) {
      doc = app.swagger() as unknown as Doc;
      ajv = new Ajv2020({ strict: false, allErrors: false, formats: { binary: true } });
      (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
      ajv.addSchema(doc, 'openapi');
    }
    let v = compiled.get(ref);
    if (!v) { v = ajv!.compile({ $ref: `openapi#/${ref}` }); compiled.set(ref, v); }
    return v;
  };

  app.addHook('onSend', async (req, reply, payload) => {
    const route = req.routeOptions.url;
    if (!route || req.method === 'HEAD' || req.method === 'OPTIONS') return payload;
    contractStats.checked++;
    const path = route.replace(/:(\w+)/g, '{$1}');
    const method = req.method.toLowerCase();
    const status = String(reply.statusCode);
    const where = `${req.method} ${path} ${status}`;
    if (!doc) validatorFor('');
    const op = doc!.paths[path]?.[method];
    if (!op) { contractViolations.push(`${where}: operation not documented`); return payload; }
    const code = op.responses?.[status] ? status : op.responses?.default ? 'default' : null;
    if (!code) { contractViolations.push(`${where}: status not documented`); return payload; }
    const type = String(reply.getHeader('content-type') ?? '').split(';')[0]!.trim();
    const content = op.responses![code]!.content;
    const empty = payload === undefined || payload === null || payload === '';
    if (!content && empty) return payload;
    const range = `${type.split('/')[0]}/*`;
    if (content && !(type in content) && (range in content || '*/*' in content)) return payload;
    if (!content || !(type in content)) { contractViolations.push(`${where}: content type ${type || '(none)'} not documented`); return payload; }
    if (type !== 'application/json' || typeof payload !== 'string') return payload;
    const validate = validatorFor(pointer('paths', path, method, 'responses', code, 'content', type, 'schema'));
    if (!validate(JSON.parse(payload))) contractViolations.push(`${where}: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${payload.slice(0, 300)}`);
    return payload;
  });
}
