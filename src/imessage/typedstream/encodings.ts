// Objective-C type encodings as typedstream uses them ("@", "iI", "[12c]",
// "{CGSize=dd}"). Parsed once per distinct string and cached: the same few
// encodings recur in every blob. The cache is bounded by size as well as by
// count: a corrupt blob can carry a 100 kB "encoding", and a thousand of them
// must not stay alive (a parsed encoding costs about 9 bytes per character).

/** A primitive is its character code; compound types are objects. */
export type Encoding = number | ArrayEncoding | StructEncoding;
export class ArrayEncoding { constructor(readonly count: number, readonly element: Encoding) {} }
export class StructEncoding { constructor(readonly fields: Encoding[]) {} }

const PRIMITIVES = new Set('cCsSiIlLqQfdB*%:+#@!'.split('').map((c) => c.charCodeAt(0)));
const MAX_NESTING = 32;
const MAX_CACHE = 1024;
/** Real encodings are a few characters; a longer one is parsed each time it appears, never kept. */
export const MAX_CACHED_LENGTH = 256;
/** Total characters of the cached encodings (so at most ~0.6 MB with their parsed form). */
export const MAX_CACHE_CHARS = 64 * 1024;
const cache = new Map<string, Encoding[]>();
let cachedChars = 0;

/** Characters held by the cache now (tests check the bound). */
export function encodingCacheChars(): number { return cachedChars; }

/** Thrown inside the parser only; the decoder turns it into a TypedstreamError with the stream offset. */
export class EncodingSyntaxError extends Error {}

function parseOne(s: string, at: { i: number }, depth: number): Encoding {
  if (depth > MAX_NESTING) throw new EncodingSyntaxError(`type encoding nested deeper than ${MAX_NESTING}`);
  const c = s.charCodeAt(at.i);
  if (c === 0x5b /* [ */) {
    at.i++;
    let count = 0;
    const digitsStart = at.i;
    while (at.i < s.length && s.charCodeAt(at.i) >= 0x30 && s.charCodeAt(at.i) <= 0x39) {
      count = count * 10 + (s.charCodeAt(at.i) - 0x30);
      if (count > 0x7fffffff) throw new EncodingSyntaxError('array type encoding count too large');
      at.i++;
    }
    if (at.i === digitsStart) throw new EncodingSyntaxError('array type encoding without a count');
    if (at.i >= s.length) throw new EncodingSyntaxError('unterminated array type encoding');
    const element = parseOne(s, at, depth + 1);
    if (s.charCodeAt(at.i) !== 0x5d /* ] */) throw new EncodingSyntaxError('array type encoding missing "]"');
    at.i++;
    return new ArrayEncoding(count, element);
  }
  if (c === 0x7b /* { */) {
    at.i++;
    while (at.i < s.length && s[at.i] !== '=' && s[at.i] !== '}') {
      if (s[at.i] === '{' || s[at.i] === '[') throw new EncodingSyntaxError('malformed struct type encoding name');
      at.i++;
    }
    const fields: Encoding[] = [];
    if (s[at.i] === '=') {
      at.i++;
      while (at.i < s.length && s[at.i] !== '}') fields.push(parseOne(s, at, depth + 1));
    }
    if (s[at.i] !== '}') throw new EncodingSyntaxError('unterminated struct type encoding');
    at.i++;
    return new StructEncoding(fields);
  }
  if (PRIMITIVES.has(c)) {
    at.i++;
    return c;
  }
  throw new EncodingSyntaxError(`unsupported type encoding ${JSON.stringify(s[at.i] ?? '')} in ${JSON.stringify(s.slice(0, 64))}`);
}

export function parseEncodings(s: string): Encoding[] {
  const hit = cache.get(s);
  if (hit) return hit;
  if (s.length === 0) throw new EncodingSyntaxError('empty type encoding');
  const out: Encoding[] = [];
  const at = { i: 0 };
  while (at.i < s.length) out.push(parseOne(s, at, 0));
  if (cache.size < MAX_CACHE && s.length <= MAX_CACHED_LENGTH && cachedChars + s.length <= MAX_CACHE_CHARS) {
    cache.set(s, out);
    cachedChars += s.length;
  }
  return out;
}
