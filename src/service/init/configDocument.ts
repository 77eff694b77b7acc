// Edits config.yaml through the yaml Document API, so re-running `init` keeps
// every comment and key the user wrote by hand.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument, type Document, type Scalar } from 'yaml';

export const TEMPLATE = `# imessage-bridge configuration — written by \`imessage-bridge init\`.
# Every key is documented in config.example.yaml. Secrets may be \${ENV_VAR} references.

imessage:
  # Messages' database (needs Full Disk Access for the binary that runs the bridge).
  chat_db: ~/Library/Messages/chat.db
  # Region used to turn local numbers into E.164.
  default_region: US

bridge:
  # The bridge's own state: portals, message map, outbox, audit log.
  database: ~/Library/Application Support/imessage-bridge/bridge.db
  # Keep the Mac awake with caffeinate while the bridge runs.
  keep_awake: true
`;

export function loadConfigDocument(path: string): Document {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : TEMPLATE;
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${path} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc;
}

/** Set a value, creating parent maps; an existing node keeps its comments. */
export function setIn(doc: Document, path: (string | number)[], value: unknown): void {
  doc.setIn(path, value);
}

/** Add a comment line above a key (only when it has none yet). */
export function commentKey(doc: Document, path: string[], comment: string): void {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return;
  const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === path.at(-1));
  if (!pair) return;
  // Keys added through setIn are plain strings; a comment needs a node.
  if (!isScalar(pair.key)) pair.key = doc.createNode(pair.key);
  const key = pair.key as Scalar;
  if (!key.commentBefore) key.commentBefore = ` ${comment}`;
}

/** Keys whose values are secrets: a file holding one (not as a ${ENV} reference) must be private. */
const SECRET_KEY = /^(token|access_token|as_token|hs_token|secret)$/;

/** Whether the document holds a secret written out (not a ${ENV} reference). */
export function holdsSecrets(doc: Document): boolean {
  let found = false;
  const walk = (v: unknown, key: string | null): void => {
    if (found) return;
    if (typeof v === 'string') { if (key !== null && SECRET_KEY.test(key) && !/^\$\{[^}]+\}$/.test(v.trim())) found = true; return; }
    if (Array.isArray(v)) { v.forEach((x) => walk(x, null)); return; }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        // double_puppet maps user ids to their access tokens.
        if (k === 'double_puppet' && x && typeof x === 'object' && Object.keys(x).length > 0) { found = true; return; }
        walk(x, k);
      }
    }
  };
  walk(doc.toJS(), null);
  return found;
}

export function saveConfigDocument(doc: Document, path: string): void {
  // The mode applies only when the file is created; an existing file keeps its
  // own, so with tokens in it, it is narrowed explicitly.
  writeFileSync(path, doc.toString({ lineWidth: 0 }), { mode: 0o600 });
  if (holdsSecrets(doc)) chmodSync(path, 0o600);
}
