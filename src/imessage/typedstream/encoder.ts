// Writes an NSMutableAttributedString the way Messages does: same class chains
// and versions, same table sharing (type strings, class names, C strings, the
// constant attribute-name keys, cached NSNumbers), same run/dictionary layout.
// What legitimately differs from a Mac: dictionary key order (a hash order on
// the Mac) and attributes we do not model (inline media sizes, data detectors).
import { AttributedBodyEncodeError } from './errors.ts';
import { KEY, SIGNATURE_LE, STREAMER_VERSION, SYSTEM_VERSION_MAC_OS_X } from './tags.ts';
import type { AttributeRun, EncodeOptions } from './types.ts';
import { TypedstreamWriter } from './writer.ts';

const CLASSES: Record<string, [version: number, superclass: string | null]> = {
  NSObject: [0, null],
  NSAttributedString: [0, 'NSObject'],
  NSMutableAttributedString: [0, 'NSAttributedString'],
  NSString: [1, 'NSObject'],
  NSMutableString: [1, 'NSString'],
  NSDictionary: [0, 'NSObject'],
  NSValue: [0, 'NSObject'],
  NSNumber: [0, 'NSValue'],
  NSURL: [0, 'NSObject'],
};

/** `i` is int, `q` NSInteger: Messages stores writing direction and text effects as NSInteger. */
type AttrValue = { kind: 'string'; value: string } | { kind: 'int'; value: number; cType: 'i' | 'q' } | { kind: 'url'; value: string };
type Attributes = [key: string, value: AttrValue][];

class BodyEncoder {
  readonly w: TypedstreamWriter;
  private readonly classes = new Map<string, number>();
  private readonly cStrings = new Map<string, number>();
  private readonly constantKeys = new Map<string, number>();
  private readonly numbers = new Map<string, number>();

  constructor(sizeHint: number) { this.w = new TypedstreamWriter(sizeHint); }

  header(): void {
    this.w.int(STREAMER_VERSION);
    this.w.bytesOfString(SIGNATURE_LE, 'latin1');
    this.w.int(SYSTEM_VERSION_MAC_OS_X);
  }

  cls(name: string | null): void {
    if (name === null) return this.w.nil();
    const known = this.classes.get(name);
    if (known !== undefined) return this.w.ref(known);
    const [version, superclass] = CLASSES[name]!;
    this.classes.set(name, this.w.nextObjectNumber());
    this.w.tagNew();
    this.w.sharedString(name);
    this.w.int(version);
    this.cls(superclass);
  }

  /** Start a literal object: its number is taken before its class is written. */
  beginObject(className: string): void {
    this.w.nextObjectNumber();
    this.w.tagNew();
    this.cls(className);
  }

  cString(s: string): void {
    const known = this.cStrings.get(s);
    if (known !== undefined) return this.w.ref(known);
    this.cStrings.set(s, this.w.nextObjectNumber());
    this.w.tagNew();
    this.w.sharedString(s);
  }

  nsString(s: string, className = 'NSString'): void {
    this.w.sharedString('@');
    this.beginObject(className);
    this.w.sharedString('+');
    this.w.bytesOfString(s, 'utf8');
    this.w.endObject();
  }

  /** Attribute names are constant NSStrings on the Mac, so later dictionaries refer back to them. */
  key(name: string): void {
    this.w.sharedString('@');
    const known = this.constantKeys.get(name);
    if (known !== undefined) return this.w.ref(known);
    this.constantKeys.set(name, this.w.nextObjectNumber());
    this.w.tagNew();
    this.cls('NSString');
    this.w.sharedString('+');
    this.w.bytesOfString(name, 'utf8');
    this.w.endObject();
  }

  /** NSNumber(int) — small numbers are shared objects on the Mac (tagged/cached), so they are here too. */
  int(value: number, cType: 'i' | 'q'): void {
    this.w.sharedString('@');
    const id = cType + value;
    const known = this.numbers.get(id);
    if (known !== undefined) return this.w.ref(known);
    this.numbers.set(id, this.w.nextObjectNumber());
    this.w.tagNew();
    this.cls('NSNumber');
    this.w.sharedString('*');
    this.cString(cType);
    this.w.sharedString(cType);
    this.w.int(value);
    this.w.endObject();
  }

  url(value: string): void {
    this.w.sharedString('@');
    this.beginObject('NSURL');
    this.w.sharedString('c');
    this.w.char(0); // no base URL: the string is absolute
    this.nsString(value);
    this.w.endObject();
  }

  dictionary(attrs: Attributes): void {
    this.w.sharedString('@');
    this.beginObject('NSDictionary');
    this.w.sharedString('i');
    this.w.int(attrs.length);
    for (const [key, value] of attrs) {
      this.key(key);
      if (value.kind === 'int') this.int(value.value, value.cType);
      else if (value.kind === 'url') this.url(value.value);
      else this.nsString(value.value);
    }
    this.w.endObject();
  }
}

function attributesOf(run: AttributeRun): Attributes {
  const a: Attributes = [];
  const str = (key: string, v: string | undefined): void => { if (v !== undefined) a.push([key, { kind: 'string', value: v }]); };
  const flag = (key: string, v: boolean | undefined): void => { if (v) a.push([key, { kind: 'int', value: 1, cType: 'i' }]); };
  str(KEY.attachmentGuid, run.attachmentGuid);
  str(KEY.filename, run.filename);
  if (run.link !== undefined) a.push([KEY.link, { kind: 'url', value: run.link }]);
  str(KEY.mention, run.mention);
  flag(KEY.bold, run.bold);
  flag(KEY.italic, run.italic);
  flag(KEY.underline, run.underline);
  flag(KEY.strikethrough, run.strikethrough);
  if (run.textEffect !== undefined) a.push([KEY.textEffect, { kind: 'int', value: run.textEffect, cType: 'q' }]);
  if (run.writingDirection !== undefined) a.push([KEY.writingDirection, { kind: 'int', value: run.writingDirection, cType: 'q' }]);
  // Where Messages records a writing direction it stores the part as NSInteger too.
  a.push([KEY.part, { kind: 'int', value: run.part ?? 0, cType: run.writingDirection === undefined ? 'i' : 'q' }]);
  return a;
}

/** Check the runs tile the text and merge neighbours with equal attributes, as NSAttributedString does. */
function normalizeRuns(text: string, runs: AttributeRun[] | undefined): { length: number; attrs: Attributes; id: string }[] {
  const source = runs ?? [{ start: 0, length: text.length, part: 0 }];
  const out: { length: number; attrs: Attributes; id: string }[] = [];
  let at = 0;
  for (const run of source) {
    if (run.start !== at) throw new AttributedBodyEncodeError(`run starts at ${run.start}, expected ${at}`);
    if (!Number.isInteger(run.length) || run.length < 0) throw new AttributedBodyEncodeError(`run at ${run.start} has invalid length ${run.length}`);
    at += run.length;
    if (run.length === 0) continue;
    const attrs = attributesOf(run);
    const id = JSON.stringify(attrs);
    const last = out[out.length - 1];
    if (last && last.id === id) last.length += run.length;
    else out.push({ length: run.length, attrs, id });
  }
  if (at !== text.length) throw new AttributedBodyEncodeError(`runs cover ${at} UTF-16 units but the text has ${text.length}`);
  return out;
}

/** Encode `text` as a Messages `attributedBody` blob. Lone surrogates are written as U+FFFD (UTF-8 cannot carry them). */
export function encodeAttributedBody(text: string, opts: EncodeOptions = {}): Buffer {
  const runs = normalizeRuns(text, opts.runs);
  const e = new BodyEncoder(text.length * 3 + 256 + runs.length * 160);
  e.header();
  e.w.sharedString('@');
  e.beginObject(opts.immutable ? 'NSAttributedString' : 'NSMutableAttributedString');
  e.nsString(text, opts.immutable ? 'NSString' : 'NSMutableString');
  const dictionaries = new Map<string, number>();
  for (const run of runs) {
    const known = dictionaries.get(run.id);
    const index = known ?? dictionaries.size + 1;
    e.w.sharedString('iI');
    e.w.int(index);
    e.w.int(run.length);
    if (known === undefined) {
      dictionaries.set(run.id, index);
      e.dictionary(run.attrs);
    }
  }
  e.w.endObject();
  return Buffer.from(e.w.finish());
}
