// The typed client's types (src/client/openapi.gen.ts) are generated from
// the served /v1/openapi.json by openapi-typescript. One function, used by the
// drift test both to check and (UPDATE_CLIENT_TYPES=1) to rewrite the file.
import openapiTS, { astToString } from 'openapi-typescript';

export const CLIENT_TYPES_FILE = new URL('../../../src/client/openapi.gen.ts', import.meta.url);

const HEADER = `// GENERATED from GET /v1/openapi.json by openapi-typescript. Do not edit.
// test/api/clientTypes.test.ts fails when this file and the API drift apart;
// regenerate with: UPDATE_CLIENT_TYPES=1 node scripts/test.mjs test/api/clientTypes
`;

export async function clientTypesFrom(doc: Record<string, unknown>): Promise<string> {
  // The served document names the address it was fetched from; the types must not.
  const stable = { ...doc, servers: [{ url: 'http://127.0.0.1:8787' }] };
  const ast = await openapiTS(stable as never, { alphabetize: false, exportType: false, rootTypes: false });
  return HEADER + astToString(ast);
}
