// Reads YAML, interpolates ${ENV_VAR}, validates, and turns every problem into
// one ConfigError that names the key, the line and what was expected.
// Interpolation yields text; where the schema wants a number or a boolean, a
// value that came from ${…} is read as one (`port: ${PORT:-8788}`). A key
// whose whole content is commented out (YAML null) counts as an empty map
// where a map is wanted.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { configSchema, type Config } from './schema.ts';

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
    this.name = 'ConfigError';
  }
}

/** Aliases a config may use; a real config needs few, a YAML bomb needs thousands. */
const MAX_ALIASES = 100;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

type Path = (string | number)[];

interface Interpolation {
  /** Each unset variable: the key's path, then `${NAME}`. */
  missing: [Path, string][];
  /** Keys (joined paths) whose value came from the environment. */
  filled: Set<string>;
}

/** Replace ${VAR} and ${VAR:-default} in every string scalar; unknown vars are errors. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: Path, acc: Interpolation): unknown {
  if (typeof value === 'string') {
    if (value.search(ENV_REF) >= 0) acc.filled.add(path.join('.'));
    return value.replace(ENV_REF, (_m, name: string, fallback?: string) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      acc.missing.push([path, `\${${name}}`]);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, i], acc));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], acc)]));
  }
  return value;
}

/** The value an interpolated string stands for where the schema wants another type, if it reads as one. */
function coerce(value: unknown, expected: string, filled: boolean): { ok: true; value: unknown } | { ok: false } {
  if (value === null && expected === 'object') return { ok: true, value: {} };
  if (!filled || typeof value !== 'string') return { ok: false };
  const text = value.trim();
  if (expected === 'number' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return { ok: true, value: Number(text) };
  if (expected === 'boolean' && /^(true|false)$/i.test(text)) return { ok: true, value: text.toLowerCase() === 'true' };
  return { ok: false };
}

function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
  (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
}

/** Validate; where an issue is a type the value can be read as, fix it and validate again (nested empty sections take a few rounds). */
function validate(data: unknown, filled: Set<string>) {
  for (let round = 0; ; round++) {
    const result = configSchema.safeParse(data);
    if (result.success || round >= 8) return result;
    let fixed = false;
    for (const issue of result.error.issues) {
      if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
      const path = issue.path as Path;
      const current = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], data);
      const c = coerce(current, issue.expected, filled.has(path.join('.')));
      if (c.ok) { setAt(data, path, c.value); fixed = true; }
    }
    if (!fixed) return result;
  }
}

function lineOf(doc: Document, counter: LineCounter, path: Path): number | null {
  // The line of the key itself; for a key that is missing, the line of the
  // deepest ancestor key that exists (the section the key belongs in).
  for (let depth = path.length; depth >= 1; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    const last = path[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === last);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return counter.linePos(range[0]).line;
    } else if (isSeq(parent) && typeof last === 'number') {
      const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
  }
  return null;
}

function expandHome<T>(v: T): T {
  if (typeof v === 'string') return (v.startsWith('~/') ? homedir() + v.slice(1) : v) as T;
  if (Array.isArray(v)) return v.map(expandHome) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandHome(x)])) as T;
  return v;
}

export function parseConfig(text: string, file = '<config>', env: NodeJS.ProcessEnv = process.env): Config {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: invalid YAML: ${e.message.split('\n')[0]}`));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (err) {
    // The yaml library refuses documents whose aliases expand exponentially ("billion laughs").
    if (/alias/i.test((err as Error).message)) throw new ConfigError(file, [`too many YAML aliases (*name): the file expands to far more than it holds, like a "billion laughs" bomb. Write the values out instead of repeating aliases (at most ${MAX_ALIASES}).`]);
    throw err;
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, ['line 1: expected a mapping of sections (imessage, bridge, discord, matrix, api)']);
  const acc: Interpolation = { missing: [], filled: new Set() };
  const interpolated = interpolate(raw, env, [], acc);
  const missing = acc.missing.map(([p]) => p.join('.'));
  const problems: string[] = acc.missing.map(([p, ref]) => {
    const line = lineOf(doc, counter, p);
    return `${p.join('.')} (line ${line ?? '?'}): environment variable ${ref} is not set`;
  });
  const result = validate(interpolated, acc.filled);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      const extra = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const keys = extra.length ? extra.map((k) => [...path, k]) : [path];
      for (const p of keys) {
        if (missing.includes(p.join('.'))) continue;
        const line = lineOf(doc, counter, p);
        const what = issue.code === 'unrecognized_keys' ? 'unknown key'
          : issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? `required key is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})`
          : issue.message;
        problems.push(`${p.join('.') || '(top level)'} (line ${line ?? '?'}): ${what}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return expandHome(result.data!);
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'file not found' : `cannot read: ${code ?? String(err)}`]);
  }
  return parseConfig(text, file, env);
}

/** The config used when no file is given: every default. */
export const defaultConfig = (): Config => parseConfig('{}', '<defaults>');
