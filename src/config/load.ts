// Reads YAML, interpolates ${ENV_VAR}, validates, and turns every problem into
// one ConfigError that names the key, the line and what was expected.
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

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replace ${VAR} and ${VAR:-default} in every string scalar; unknown vars are errors. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: string[], missing: string[][]): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string, fallback?: string) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      missing.push([...path, `\${${name}}`]);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, String(i)], missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], missing)]));
  }
  return value;
}

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | null {
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
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, ['line 1: expected a mapping of sections (imessage, bridge, discord, matrix, api)']);
  const missing: string[][] = [];
  const interpolated = interpolate(raw, env, [], missing);
  const problems: string[] = missing.map((full) => {
    const p = full.slice(0, -1);
    const ref = full.at(-1)!;
    const line = lineOf(doc, counter, p);
    return `${p.join('.')} (line ${line ?? '?'}): environment variable ${ref} is not set`;
  });
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      const extra = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const keys = extra.length ? extra.map((k) => [...path, k]) : [path];
      for (const p of keys) {
        if (missing.some((m) => m.slice(0, -1).join('.') === p.join('.'))) continue;
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
