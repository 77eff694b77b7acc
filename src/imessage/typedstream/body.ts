// Interprets the object graph of an attributedBody: the NSAttributedString's
// text and its attribute runs ("iI" = dictionary index, UTF-16 length; a new
// index is followed by its NSDictionary), mapped to Messages' attribute names.
import { TypedstreamError } from './errors.ts';
import { Raw, TSObject, type TSClass, type Value } from './reader.ts';
import { KEY } from './tags.ts';
import type { AttributeRun, DecodedBody } from './types.ts';

type RunAttributes = Omit<AttributeRun, 'start' | 'length'>;

// ignoreBOM: a leading U+FEFF is part of the text (the fast lenient decode keeps it too), not a marker to strip.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_URL_DEPTH = 8;
export const DATA_DETECTOR_KEYS: ReadonlySet<string> = new Set<string>([
  KEY.dataDetected, '__kIMMoneyAttributeName', '__kIMCalendarEventAttributeName', '__kIMAddressAttributeName',
  '__kIMPhoneNumberAttributeName', '__kIMOneTimeCodeAttributeName',
]);

function fail(message: string, at: number): never {
  throw new TypedstreamError(message, at);
}

export function isKindOf(cls: TSClass, name: string): boolean {
  for (let c: TSClass | null | undefined = cls; c; c = c.superclass) if (c.name === name) return true;
  return false;
}

/** The text of an NSString: its only field is a `+` byte string in UTF-8. */
export function stringOf(obj: Value, buf: Buffer): string {
  if (!(obj instanceof TSObject) || !isKindOf(obj.cls, 'NSString')) return fail('expected an NSString', obj instanceof TSObject ? obj.offset : -1);
  if (obj.text !== undefined) return obj.text;
  const raw = obj.fields[0];
  if (!(raw instanceof Raw) || obj.fields.length !== 1) return fail(`${obj.cls.name} does not hold exactly one string`, obj.offset);
  let text = buf.toString('utf8', raw.start, raw.end);
  // The lenient fast decoder turns bad bytes into U+FFFD; only then pay for a strict check.
  if (text.includes('\uFFFD')) {
    try {
      text = strictUtf8.decode(buf.subarray(raw.start, raw.end));
    } catch {
      return fail('string is not valid UTF-8', raw.start);
    }
  }
  obj.text = text;
  return text;
}

function numberOf(obj: TSObject): number | undefined {
  // NSNumber/NSValue: a C-string type encoding, then the value of that type.
  const v = obj.fields[1];
  return obj.fields.length === 2 && typeof v === 'number' ? v : undefined;
}

function urlOf(obj: TSObject, buf: Buffer, depth: number): string {
  if (depth > MAX_URL_DEPTH) return fail('NSURL base chain too deep', obj.offset);
  // NSURL: a char "has base URL", the base NSURL when set, then the relative string.
  const [hasBase, a, b] = obj.fields;
  if (hasBase === 0 && obj.fields.length === 2) return stringOf(a ?? null, buf);
  if (typeof hasBase === 'number' && hasBase !== 0 && obj.fields.length === 3 && a instanceof TSObject) {
    const base = urlOf(a, buf, depth + 1);
    const relative = stringOf(b ?? null, buf);
    try {
      return new URL(relative, base).href;
    } catch {
      return relative;
    }
  }
  return fail('malformed NSURL', obj.offset);
}

/** A flag is an NSNumber; any other value is not a flag at all (undefined: drop it). */
function flag(v: Value): boolean | undefined {
  if (v === null) return false;
  const n = v instanceof TSObject ? numberOf(v) : undefined;
  return n === undefined ? undefined : n !== 0;
}

function setFlag(out: RunAttributes, name: 'bold' | 'italic' | 'underline' | 'strikethrough', v: Value): void {
  const f = flag(v);
  if (f !== undefined) out[name] = f;
}

function applyAttribute(out: RunAttributes, key: string, v: Value, buf: Buffer): void {
  const obj = v instanceof TSObject ? v : null;
  switch (key) {
    case KEY.part: { const n = obj && numberOf(obj); if (typeof n === 'number') out.part = n; return; }
    case KEY.attachmentGuid: out.attachmentGuid = stringOf(v, buf); return;
    case KEY.filename: out.filename = stringOf(v, buf); return;
    case KEY.mention: out.mention = stringOf(v, buf); return;
    case KEY.link:
      if (obj && isKindOf(obj.cls, 'NSURL')) out.link = urlOf(obj, buf, 0);
      else out.link = stringOf(v, buf);
      return;
    case KEY.bold: setFlag(out, 'bold', v); return;
    case KEY.italic: setFlag(out, 'italic', v); return;
    case KEY.underline: setFlag(out, 'underline', v); return;
    case KEY.strikethrough: setFlag(out, 'strikethrough', v); return;
    case KEY.textEffect: { const n = obj && numberOf(obj); if (typeof n === 'number') out.textEffect = n; return; }
    case KEY.writingDirection: { const n = obj && numberOf(obj); if (typeof n === 'number') out.writingDirection = n; return; }
  }
  if (DATA_DETECTOR_KEYS.has(key)) out.dataDetected = true;
  if (key !== KEY.dataDetected) (out.otherAttributes ??= []).push(key);
}

/**
 * One attribute whose value has an unexpected type (a number where a guid
 * belongs, a malformed NSURL…) is dropped; the text and the other attributes
 * stay. The stream itself was already read in full, so nothing else is in doubt.
 */
function applyOrDrop(out: RunAttributes, key: string, v: Value, buf: Buffer): void {
  try {
    applyAttribute(out, key, v, buf);
  } catch (e) {
    if (!(e instanceof TypedstreamError)) throw e;
  }
}

function attributesOf(dict: Value, buf: Buffer, at: number): RunAttributes {
  if (dict === null) return {};
  if (!(dict instanceof TSObject) || !isKindOf(dict.cls, 'NSDictionary')) return fail('run attributes are not an NSDictionary', at);
  const f = dict.fields;
  const count = f[0];
  if (typeof count !== 'number' || f.length !== 1 + 2 * count) return fail('NSDictionary count does not match its entries', dict.offset);
  const out: RunAttributes = {};
  for (let i = 1; i < f.length; i += 2) applyOrDrop(out, stringOf(f[i]!, buf), f[i + 1]!, buf);
  return out;
}

/** Text and runs of the root object (an NSAttributedString, or a bare NSString). */
export function bodyOf(root: TSObject, buf: Buffer): DecodedBody {
  if (isKindOf(root.cls, 'NSString')) return { text: stringOf(root, buf), runs: [] };
  if (!isKindOf(root.cls, 'NSAttributedString')) return fail(`root object is a ${root.cls.name}, not an NSAttributedString`, root.offset);
  const f = root.fields;
  const text = stringOf(f[0] ?? null, buf);
  const dictionaries: RunAttributes[] = [];
  const runs: AttributeRun[] = [];
  let at = 0;
  for (let i = 1; i < f.length;) {
    const index = f[i];
    const length = f[i + 1];
    i += 2;
    if (typeof index !== 'number' || typeof length !== 'number') return fail('malformed attribute run', root.offset);
    if (index === dictionaries.length + 1) {
      const dict = f[i++];
      if (dict === undefined) return fail(`attribute run ${index} has no dictionary`, root.offset);
      dictionaries.push(attributesOf(dict, buf, root.offset));
    } else if (index < 1 || index > dictionaries.length) {
      return fail(`attribute run refers to dictionary ${index} of ${dictionaries.length}`, root.offset);
    }
    if (length < 0 || length > text.length - at) return fail(`attribute run of ${length} at ${at} overruns the ${text.length}-unit text`, root.offset);
    runs.push({ start: at, length, ...dictionaries[index - 1] });
    at += length;
  }
  if (at !== text.length) return fail(`attribute runs cover ${at} of ${text.length} UTF-16 units`, root.offset);
  return { text, runs };
}
