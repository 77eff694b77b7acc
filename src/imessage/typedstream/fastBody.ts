// Fast path for the overwhelmingly common attributedBody: a little-endian
// NS(Mutable)AttributedString holding one NS(Mutable)String and runs whose
// dictionaries map attribute names to NSStrings, NSNumbers or plain NSURLs.
// It reads that shape straight into text + runs without building the generic
// object graph. It is a strict subset of the general decoder: whenever it meets
// anything else — another class, group or type, a tag it does not expect, a
// nil, an odd run, a U+FFFD (possible invalid UTF-8) — it gives up (returns
// null) and the general decoder decides, so a result or an error is always the
// general decoder's own. test/typedstream/fastpath.test.ts checks they agree.
import { DATA_DETECTOR_KEYS } from './body.ts';
import { KEY } from './tags.ts';
import type { AttributeRun, DecodedBody } from './types.ts';

/**
 * A dictionary's attributes, built as a run (start and length first, as the
 * general decoder orders them): its first run is the object itself, later
 * runs of the same dictionary are copies.
 */
type RunAttributes = AttributeRun;

/** Thrown (never escapes) to leave the fast path; a preallocated non-Error costs no stack trace. */
const BAIL = { bail: true };
function bail(): never { throw BAIL; }

// Shared strings the shape uses, recognised by their bytes (no string is built
// for them): one-character type encodings are 256 + their byte, class names below.
const ch = (c: string): number => 256 + c.charCodeAt(0);
const S_AT = ch('@'), S_PLUS = ch('+'), S_STAR = ch('*'), S_C = ch('c'), S_I = ch('i'), S_II = 1;
const T_F = ch('f'), T_D = ch('d'), T_B = ch('B'), T_UC = ch('C');
const N_OBJECT = 10, N_STRING = 11, N_MSTRING = 12, N_ASTRING = 13, N_MASTRING = 14, N_DICT = 15, N_MDICT = 16, N_VALUE = 17, N_NUMBER = 18, N_URL = 19, N_DATA = 20, N_MDATA = 21;
const KNOWN: [string, number][] = [
  ['iI', S_II], ['NSObject', N_OBJECT], ['NSString', N_STRING], ['NSMutableString', N_MSTRING], ['NSAttributedString', N_ASTRING],
  ['NSMutableAttributedString', N_MASTRING], ['NSDictionary', N_DICT], ['NSMutableDictionary', N_MDICT],
  ['NSValue', N_VALUE], ['NSNumber', N_NUMBER], ['NSURL', N_URL], ['NSData', N_DATA], ['NSMutableData', N_MDATA],
];
/** Known names by byte length, so a new shared string is compared with at most a few. */
const KNOWN_BY_LENGTH: { bytes: Buffer; id: number }[][] = [];
for (const [name, id] of KNOWN) (KNOWN_BY_LENGTH[name.length] ??= []).push({ bytes: Buffer.from(name, 'latin1'), id });
const NONE: never[] = [];
const SIGNED_INTS = new Set(['i', 'q', 's', 'l'].map(ch));
const UNSIGNED_INTS = new Set(['I', 'Q', 'S', 'L'].map(ch));

// What a class chain makes an object; anything not listed is UNKNOWN and bails when used.
const K_UNKNOWN = 0, K_OBJECT = 1, K_STRING = 2, K_ASTRING = 3, K_DICT = 4, K_VALUE = 5, K_NUMBER = 6, K_URL = 7, K_DATA = 8;
function kindOf(name: number, superKind: number | null): number {
  if (superKind === null) return name === N_OBJECT ? K_OBJECT : K_UNKNOWN;
  switch (name) {
    case N_STRING: return superKind === K_OBJECT ? K_STRING : K_UNKNOWN;
    case N_MSTRING: return superKind === K_STRING ? K_STRING : K_UNKNOWN;
    case N_ASTRING: return superKind === K_OBJECT ? K_ASTRING : K_UNKNOWN;
    case N_MASTRING: return superKind === K_ASTRING ? K_ASTRING : K_UNKNOWN;
    case N_DICT: return superKind === K_OBJECT ? K_DICT : K_UNKNOWN;
    case N_MDICT: return superKind === K_DICT ? K_DICT : K_UNKNOWN;
    case N_VALUE: return superKind === K_OBJECT ? K_VALUE : K_UNKNOWN;
    case N_NUMBER: return superKind === K_VALUE ? K_NUMBER : K_UNKNOWN;
    case N_URL: return superKind === K_OBJECT ? K_URL : K_UNKNOWN;
    case N_DATA: return superKind === K_OBJECT ? K_DATA : K_UNKNOWN;
    case N_MDATA: return superKind === K_DATA ? K_DATA : K_UNKNOWN;
    default: return K_UNKNOWN;
  }
}

class Cls { constructor(readonly kind: number) {} }
/** One immutable Cls per kind, shared by every table. */
const CLASSES = Array.from({ length: K_DATA + 1 }, (_, kind) => new Cls(kind));
/** Longer chains than Foundation's (NSMutableAttributedString → NSAttributedString → NSObject) go to the general decoder. */
const MAX_CHAIN = 8;
/** A decoded leaf object: an NSString's text, an NSNumber's value, a URL's string, a dictionary's attributes. */
class Obj { constructor(readonly kind: number, readonly text: string, readonly num: number, readonly attrs: RunAttributes | null) {} }
const PENDING = 0; // table slot of an object still being read

/** Attribute names by byte length: a key is compared with the one or two of its length, not all twelve. */
const KEYS_BY_LENGTH: { bytes: Buffer; key: string }[][] = [];
for (const k of Object.values(KEY) as string[]) (KEYS_BY_LENGTH[Buffer.byteLength(k)] ??= []).push({ bytes: Buffer.from(k, 'utf8'), key: k });
const HEADER = Buffer.from('040b73747265616d747970656481e803', 'hex');

type Slicer = (this: Buffer, start: number, end: number) => string;
/** Buffer's own UTF-8 slice, without toString's argument checks (a tenth of the decode time on short texts). */
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Slicer }).utf8Slice;
const utf8 = utf8Slice
  ? (buf: Buffer, start: number, end: number): string => utf8Slice.call(buf, start, end)
  : (buf: Buffer, start: number, end: number): string => buf.toString('utf8', start, end);

function sameBytes(buf: Buffer, start: number, len: number, bytes: Buffer): boolean {
  if (bytes.length !== len) return false;
  for (let i = 0; i < len; i++) if (buf[start + i] !== bytes[i]) return false;
  return true;
}

type Entry = Cls | Obj | typeof PENDING | string;

class FastReader {
  pos = HEADER.length;
  private strings: number[] = [];
  /** Start and length of each shared string, for the rare one whose content matters beyond its id. */
  private stringAt: number[] = [];
  private table: Entry[] = [];

  /** withRuns false: the text alone (what a chat.db read keeps); attributes are still read and checked, not built. */
  constructor(private readonly buf: Buffer, private readonly withRuns = true) {}

  /** Continue after a known opening, from the state reading it leaves. */
  resume(t: Opening): void {
    this.pos = t.bytes.length;
    this.strings = t.strings.slice();
    this.stringAt = t.stringAt.slice();
    this.table = t.table.slice();
  }

  /** Read the root's opening up to the text's length; returns the string object's table slot. */
  openText(): { slot: number; strings: number[]; stringAt: number[]; table: Entry[] } {
    this.expectGroup(S_AT);
    if (this.rootKind() !== K_ASTRING) bail();
    this.expectGroup(S_AT);
    if (this.head() !== -124) bail();
    const slot = this.table.length;
    this.table.push(PENDING);
    if (this.cls(this.head()) !== K_STRING) bail();
    this.expectGroup(S_PLUS);
    return { slot, strings: this.strings.slice(), stringAt: this.stringAt.slice(), table: this.table.slice() };
  }

  setSlot(slot: number, o: Obj): void { this.table[slot] = o; }

  head(): number {
    if (this.pos >= this.buf.length) bail();
    const b = this.buf[this.pos++]!;
    return b > 127 ? b - 256 : b;
  }

  /** An integer: a literal byte or the 0x81/0x82 forms (other tags bail). */
  int(h: number, signed: boolean): number {
    if (h > -111) return signed ? h : h & 0xff;
    const b = this.buf;
    if (h === -127) {
      if (this.pos + 2 > b.length) bail();
      const v = signed ? b.readInt16LE(this.pos) : b.readUInt16LE(this.pos);
      this.pos += 2;
      return v;
    }
    if (h === -126) {
      if (this.pos + 4 > b.length) bail();
      const v = signed ? b.readInt32LE(this.pos) : b.readUInt32LE(this.pos);
      this.pos += 4;
      return v;
    }
    return bail();
  }

  private ref(h: number, limit: number): number {
    const n = this.int(h, true) + 110;
    if (n < 0 || n >= limit) bail();
    return n;
  }

  /** A shared string's id (0 when not one the shape uses). */
  shared(h: number): number {
    if (h !== -124) return this.strings[this.ref(h, this.strings.length)]!;
    const len = this.int(this.head(), false);
    const start = this.pos;
    if (len > this.buf.length - start) bail();
    this.pos += len;
    let id = 0;
    if (len === 1) {
      id = 256 + this.buf[start]!;
    } else {
      for (const k of KNOWN_BY_LENGTH[len] ?? NONE) if (sameBytes(this.buf, start, len, k.bytes)) { id = k.id; break; }
    }
    this.strings.push(id);
    this.stringAt.push(start, len);
    return id;
  }

  /** NSData (data detector results): a length, then a `[Nc]` byte array, skipped unread. */
  private skipData(): void {
    this.expectGroup(S_I);
    this.int(this.head(), true);
    const h = this.head();
    const i = h === -124 ? this.strings.length : this.ref(h, this.strings.length);
    this.shared(h);
    const start = this.stringAt[2 * i]!;
    const end = start + this.stringAt[2 * i + 1]!;
    const b = this.buf;
    if (end - start < 4 || b[start] !== 0x5b || b[end - 1] !== 0x5d || (b[end - 2] !== 0x63 && b[end - 2] !== 0x43)) bail();
    let count = 0;
    for (let k = start + 1; k < end - 2; k++) {
      const d = b[k]! - 0x30;
      if (d < 0 || d > 9) bail();
      count = count * 10 + d;
      if (count > 0x7fffffff) bail();
    }
    if (count > b.length - this.pos) bail();
    this.pos += count;
  }

  expectGroup(id: number): void {
    if (this.shared(this.head()) !== id) bail();
  }

  /** A class: a reference, or a new chain, read superclass first (which decides the kind). */
  private cls(h: number, depth = 0): number {
    if (h !== -124) {
      const c = this.table[this.ref(h, this.table.length)];
      return c instanceof Cls ? c.kind : bail();
    }
    if (depth > MAX_CHAIN) bail();
    const name = this.shared(this.head());
    this.int(this.head(), true); // class version: unused, as in the general reader
    const slot = this.table.length;
    this.table.push(PENDING); // a superclass referring to its own subclass is an error
    const next = this.head();
    const kind = kindOf(name, next === -123 ? null : this.cls(next, depth + 1));
    this.table[slot] = CLASSES[kind]!;
    return kind;
  }

  end(): void {
    if (this.head() !== -122) bail();
  }

  /** A UTF-8 string's bytes as text; a U+FFFD may mean invalid bytes, which only the general path reports. */
  private plusString(): string {
    this.expectGroup(S_PLUS);
    return this.plusBody();
  }

  plusBody(): string {
    const len = this.int(this.head(), false);
    const start = this.pos;
    if (len > this.buf.length - start) bail();
    this.pos += len;
    const text = utf8(this.buf, start, start + len);
    if (text.includes('\uFFFD')) bail();
    return text;
  }

  /** Dictionary keys are a handful of constants: match their bytes instead of decoding them. */
  private keyString(): string {
    this.expectGroup(S_PLUS);
    const len = this.int(this.head(), false);
    const start = this.pos;
    if (len > this.buf.length - start) bail();
    this.pos += len;
    for (const k of KEYS_BY_LENGTH[len] ?? NONE) if (sameBytes(this.buf, start, len, k.bytes)) return k.key;
    const text = utf8(this.buf, start, start + len);
    if (text.includes('\uFFFD')) bail();
    return text;
  }

  /** An object in a `@` group: new (of a kind the shape allows) or a reference to one read before. */
  object(asKey = false): Obj {
    const h = this.head();
    if (h !== -124) {
      const o = this.table[this.ref(h, this.table.length)];
      return o instanceof Obj ? o : bail();
    }
    const slot = this.table.length;
    this.table.push(PENDING);
    const kind = this.cls(this.head());
    let o: Obj;
    if (kind === K_STRING) {
      o = new Obj(kind, asKey ? this.keyString() : this.plusString(), 0, null);
    } else if (kind === K_NUMBER) {
      o = new Obj(kind, '', this.number(), null);
    } else if (kind === K_DICT) {
      o = new Obj(kind, '', 0, this.dictionary());
    } else if (kind === K_DATA) {
      this.skipData();
      o = new Obj(kind, '', 0, null);
    } else if (kind === K_URL) {
      // Only an absolute URL (no base): a char 0, then its NSString.
      this.expectGroup(S_C);
      if (this.pos >= this.buf.length || this.buf[this.pos++] !== 0) bail();
      this.expectGroup(S_AT);
      const s = this.object();
      if (s.kind !== K_STRING) bail();
      o = new Obj(kind, s.text, 0, null);
    } else {
      return bail();
    }
    this.end();
    this.table[slot] = o;
    return o;
  }

  /** NSNumber/NSValue: a C string naming the type, then one value of a scalar type. */
  private number(): number {
    this.expectGroup(S_STAR);
    const h = this.head();
    if (h === -124) {
      this.shared(this.head());
      this.table.push(''); // a C string: only its table slot matters here
    } else if (typeof this.table[this.ref(h, this.table.length)] !== 'string') {
      bail();
    }
    const type = this.shared(this.head());
    if (SIGNED_INTS.has(type)) return this.int(this.head(), true);
    if (UNSIGNED_INTS.has(type)) return this.int(this.head(), false);
    if (type === T_F || type === T_D) return this.float(type === T_F ? 4 : 8);
    if (type === S_C || type === T_B) { if (this.pos >= this.buf.length) bail(); return this.buf.readInt8(this.pos++); }
    if (type === T_UC) { if (this.pos >= this.buf.length) bail(); return this.buf[this.pos++]!; }
    return bail();
  }

  /** A float: 0x83 then the IEEE bytes, or (Apple's compact form) an integer. */
  private float(size: 4 | 8): number {
    const h = this.head();
    if (h !== -125) return this.int(h, true);
    if (this.pos + size > this.buf.length) bail();
    const v = size === 4 ? this.buf.readFloatLE(this.pos) : this.buf.readDoubleLE(this.pos);
    this.pos += size;
    return v;
  }

  private dictionary(): RunAttributes | null {
    this.expectGroup(S_I);
    const count = this.int(this.head(), true);
    if (count < 0 || count > this.buf.length - this.pos) bail();
    const out: RunAttributes | null = this.withRuns ? { start: 0, length: 0 } : null;
    for (let i = 0; i < count; i++) {
      this.expectGroup(S_AT);
      const key = this.object(true);
      if (key.kind !== K_STRING) bail();
      this.expectGroup(S_AT);
      const value = this.object();
      if (out) apply(out, key.text, value);
      else check(key.text, value);
    }
    return out;
  }

  /** The root's class; a new chain is required (an object cannot refer back before itself). */
  rootKind(): number {
    if (this.head() !== -124) bail();
    this.table.push(PENDING);
    return this.cls(this.head());
  }

  get atEnd(): boolean { return this.pos === this.buf.length; }
}

/** apply's checks alone (the same bails), for text-only reads: no run is built. */
function check(key: string, v: Obj): void {
  switch (key) {
    case KEY.part: case KEY.bold: case KEY.italic: case KEY.underline: case KEY.strikethrough: case KEY.textEffect: case KEY.writingDirection:
      if (v.kind !== K_NUMBER) bail();
      return;
    case KEY.attachmentGuid: case KEY.filename: case KEY.mention:
      if (v.kind !== K_STRING) bail();
      return;
    case KEY.link:
      if (v.kind !== K_STRING && v.kind !== K_URL) bail();
  }
}

/** The same mapping as body.ts applyAttribute, for the value kinds the fast path reads; anything else bails. */
function apply(out: RunAttributes, key: string, v: Obj): void {
  const isNum = v.kind === K_NUMBER;
  const isStr = v.kind === K_STRING;
  switch (key) {
    case KEY.part: if (!isNum) bail(); out.part = v.num; return;
    case KEY.attachmentGuid: if (!isStr) bail(); out.attachmentGuid = v.text; return;
    case KEY.filename: if (!isStr) bail(); out.filename = v.text; return;
    case KEY.mention: if (!isStr) bail(); out.mention = v.text; return;
    case KEY.link: if (!isStr && v.kind !== K_URL) bail(); out.link = v.text; return;
    case KEY.bold: if (!isNum) bail(); out.bold = v.num !== 0; return;
    case KEY.italic: if (!isNum) bail(); out.italic = v.num !== 0; return;
    case KEY.underline: if (!isNum) bail(); out.underline = v.num !== 0; return;
    case KEY.strikethrough: if (!isNum) bail(); out.strikethrough = v.num !== 0; return;
    case KEY.textEffect: if (!isNum) bail(); out.textEffect = v.num; return;
    case KEY.writingDirection: if (!isNum) bail(); out.writingDirection = v.num; return;
  }
  if (DATA_DETECTOR_KEYS.has(key)) out.dataDetected = true;
  if (key !== KEY.dataDetected) (out.otherAttributes ??= []).push(key);
}

/**
 * Messages writes the opening of nearly every body byte for byte the same: the
 * root's class chain, the string's class chain and the `+` type, with mutable
 * or immutable classes. A blob that starts with one of these openings is not
 * parsed up to its text: the reader resumes from the state that reading the
 * opening leaves (captured at load by reading it). The commonest ending, one
 * run of part 0 over the whole text, is likewise matched as the bytes around
 * its run length. Both are exactly what the reader would conclude from the
 * same bytes, so the fast path stays a strict subset of the general decoder.
 */
interface Ending { before: Buffer; after: Buffer; writingDirection: boolean }
interface Opening { bytes: Buffer; afterHeader: Buffer; slot: number; strings: number[]; stringAt: number[]; table: Entry[]; endings: Ending[] }

/** Cut our encoder's body of "x" (which is Messages' bytes) around the text and the run length. */
function cut(sampleHex: string): { sample: Buffer; at: number; runLength: number } {
  const sample = Buffer.from(sampleHex, 'hex');
  const r = new FastReader(sample);
  r.openText();
  const at = r.pos; // the text's length byte (1), "x", then 0x86 ends the string object
  const runLength = at + 3 + 5; // after 84 02 "iI" (new shared string) and the dictionary index 1
  if (sample[at] !== 1 || sample[at + 1] !== 0x78 || sample[at + 2] !== 0x86 || sample.toString('latin1', at + 3, runLength) !== '\x84\x02iI\x01' || sample[runLength] !== 1) {
    throw new Error('fastBody.ts: an opening sample does not have the expected layout');
  }
  return { sample, at, runLength };
}

/** An opening and its common endings: one run of part 0, or of part 0 with the natural writing direction (-1). */
function opening(partOnlyHex: string, withDirectionHex: string): Opening {
  const { sample, at } = cut(partOnlyHex);
  const state = new FastReader(sample).openText();
  const endings = [partOnlyHex, withDirectionHex].map((hex, i): Ending => {
    const c = cut(hex);
    if (!c.sample.subarray(0, c.at).equals(sample.subarray(0, at))) throw new Error('fastBody.ts: ending samples differ in their opening');
    return { before: c.sample.subarray(c.at + 3, c.runLength), after: c.sample.subarray(c.runLength + 1), writingDirection: i === 1 };
  });
  return { bytes: sample.subarray(0, at), afterHeader: sample.subarray(HEADER.length, at), ...state, endings };
}

const MUTABLE = opening('040b73747265616d747970656481e803840140848484194e534d757461626c6541747472696275746564537472696e67008484124e5341747472696275746564537472696e67008484084e534f626a6563740085928484840f4e534d757461626c65537472696e67018484084e53537472696e67019584012b01788684026949010192848484'
  + '0c4e5344696374696f6e617279009584016901928498981d5f5f6b494d4d657373616765506172744174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009584012a849b9b00868686',
'040b73747265616d747970656481e803840140848484194e534d757461626c6541747472696275746564537472696e67008484124e5341747472696275746564537472696e67008484084e534f626a6563740085928484840f4e534d757461626c65537472696e67018484084e53537472696e67019584012b017886840269490101928484840c4e5344696374696f6e'
  + '61727900958401690292849898265f5f6b494d4261736557726974696e67446972656374696f6e4174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009584012a848401719fff86928498981d5f5f6b494d4d657373616765506172744174747269627574654e616d658692849d9e9f9f00868686');
const IMMUTABLE = opening('040b73747265616d747970656481e803840140848484124e5341747472696275746564537472696e67008484084e534f626a656374008592848484084e53537472696e67019484012b01788684026949010192848484'
  + '0c4e5344696374696f6e617279009484016901928496961d5f5f6b494d4d657373616765506172744174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009484012a84999900868686',
'040b73747265616d747970656481e803840140848484124e5341747472696275746564537472696e67008484084e534f626a656374008592848484084e53537472696e67019484012b017886840269490101928484840c4e5344696374696f6e61727900948401690292849696265f5f6b494d426173655772697469'
  + '6e67446972656374696f6e4174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009484012a848401719dff86928496961d5f5f6b494d4d657373616765506172744174747269627574654e616d658692849b9c9d9d00868686');
/** Byte 22 is the root class name's length: 0x19 NSMutableAttributedString, 0x12 NSAttributedString. */
const NAME_LENGTH_AT = 22;

/** Buffer.compare (native memcmp) over the ~60-100 opening bytes costs fewer instructions than a JS byte loop (callgrind). */
function openingOf(buf: Buffer): Opening | null {
  const t = buf[NAME_LENGTH_AT] === 0x19 ? MUTABLE : buf[NAME_LENGTH_AT] === 0x12 ? IMMUTABLE : null;
  return t !== null && buf.length > t.bytes.length && buf.compare(t.afterHeader, 0, t.afterHeader.length, HEADER.length, t.bytes.length) === 0 ? t : null;
}

/** The runs when the rest of the blob is a common ending over all `textLength` units; else null (pos unchanged). */
function commonEnding(r: FastReader, buf: Buffer, t: Opening, textLength: number): AttributeRun[] | null {
  const start = r.pos;
  for (const e of t.endings) {
    const { before: a, after: b } = e;
    if (buf.length - start < a.length + 1 + b.length || !sameBytes(buf, start, a.length, a)) continue;
    r.pos = start + a.length;
    const length = r.int(r.head(), false);
    if (length === textLength && buf.length - r.pos === b.length && sameBytes(buf, r.pos, b.length, b)) {
      r.pos = buf.length;
      return [e.writingDirection ? { start: 0, length, writingDirection: -1, part: 0 } : { start: 0, length, part: 0 }];
    }
    r.pos = start;
  }
  return null;
}

function read(buf: Buffer, withRuns: boolean): DecodedBody | null {
  if (buf.length < HEADER.length || !sameBytes(buf, 0, HEADER.length, HEADER)) return null;
  const r = new FastReader(buf, withRuns);
  let text: string;
  const t = openingOf(buf);
  if (t !== null) {
    r.resume(t);
    text = r.plusBody();
    r.end();
    r.setSlot(t.slot, new Obj(K_STRING, text, 0, null));
    const runs = commonEnding(r, buf, t, text.length);
    if (runs !== null) return { text, runs };
  } else {
    r.expectGroup(S_AT);
    if (r.rootKind() !== K_ASTRING) return null;
    r.expectGroup(S_AT);
    const str = r.object();
    if (str.kind !== K_STRING) return null;
    text = str.text;
  }
  const dictionaries: (RunAttributes | null)[] = [];
  let used = 0; // dictionaries[0..used) already stand for a run
  const runs: AttributeRun[] = [];
  let at = 0;
  for (let h = r.head(); h !== -122; h = r.head()) {
    if (r.shared(h) !== S_II) return null;
    const index = r.int(r.head(), true);
    const length = r.int(r.head(), false);
    if (index === dictionaries.length + 1) {
      r.expectGroup(S_AT);
      const dict = r.object();
      if (dict.kind !== K_DICT) return null;
      dictionaries.push(dict.attrs);
    } else if (index < 1 || index > dictionaries.length) {
      return null;
    }
    if (length > text.length - at) return null;
    at += length;
    let run = dictionaries[index - 1];
    if (!run) continue; // text only
    if (index <= used) run = { ...run };
    else used = index;
    run.start = at - length;
    run.length = length;
    runs.push(run);
  }
  if (at !== text.length || !r.atEnd) return null;
  return { text, runs };
}

/** Text and runs of the common shape, or null: then only the general decoder may answer. */
export function fastDecodeBody(buf: Buffer): DecodedBody | null {
  try {
    return read(buf, true);
  } catch {
    // BAIL, or a slip on input this path was never meant for: either way the general decoder decides.
    return null;
  }
}

/**
 * The text alone, under exactly fastDecodeBody's conditions (every attribute is still read and
 * checked, so it answers where and only where fastDecodeBody does); null: the general decoder decides.
 */
export function fastDecodeText(buf: Buffer): string | null {
  try {
    return read(buf, false)?.text ?? null;
  } catch {
    return null;
  }
}
