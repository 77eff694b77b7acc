// Edits config.yaml through the yaml Document API, so re-running `init` keeps
// every comment and key the user wrote by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

export function saveConfigDocument(doc: Document, path: string): void {
  writeFileSync(path, doc.toString({ lineWidth: 0 }), { mode: 0o600 });
}
