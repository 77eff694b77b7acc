// A single-pass, bounds-checked reader of the generic typedstream grammar:
// typed value groups, shared strings, classes, objects and the shared
// reference tables. It knows no Foundation class; body.ts interprets objects.
// Safety: every read is checked against the end, lengths are capped by the
// bytes left, nesting depth is capped, and a work budget proportional to the
// input size bounds loops that consume no bytes ('!' or empty structs).
import { ArrayEncoding, EncodingSyntaxError, parseEncodings, type Encoding } from './encodings.ts';
import { TypedstreamError } from './errors.ts';
import {
  FIRST_REFERENCE, FIRST_TAG, LAST_TAG, SIGNATURE_BE, SIGNATURE_LE, STREAMER_VERSION,
  TAG_END_OF_OBJECT, TAG_FLOATING_POINT, TAG_INTEGER_2, TAG_INTEGER_4, TAG_NEW, TAG_NIL,
} from './tags.ts';

/** A byte range of the input: the body of a `+` string or of a char array. */
export class Raw { constructor(readonly start: number, readonly end: number) {} }

export class TSClass {
  /** null for a root class; undefined while its superclass chain is still being read. */
  superclass: TSClass | null | undefined = undefined;
  constructor(readonly name: string, readonly version: number) {}
}

export class TSObject {
  readonly fields: Value[] = [];
  text: string | undefined;
  constructor(readonly cls: TSClass, readonly offset: number) {}
}

export type Value = number | string | Raw | TSClass | TSObject | null | Value[];

const MAX_DEPTH = 64;
const C = (s: string): number => s.charCodeAt(0);
const [c_c, c_C, c_B, c_s, c_i, c_l, c_q, c_S, c_I, c_L, c_Q, c_f, c_d, c_star, c_pct, c_colon, c_plus, c_hash, c_at, c_bang] =
  ['c', 'C', 'B', 's', 'i', 'l', 'q', 'S', 'I', 'L', 'Q', 'f', 'd', '*', '%', ':', '+', '#', '@', '!'].map(C) as number[];

export class TypedstreamReader {
  pos = 0;
  private le = true;
  private budget: number;
  private depth = 0;
  private readonly strings: string[] = [];
  private readonly stringEncodings: (Encoding[] | undefined)[] = [];
  /** Objects, classes and C strings share one reference table, numbered in stream order. */
  private readonly table: (TSObject | TSClass | string | undefined)[] = [];

  constructor(readonly buf: Buffer) {
    this.budget = buf.length * 4 + 64;
  }

  fail(message: string, at = this.pos): never {
    throw new TypedstreamError(message, at);
  }

  get atEnd(): boolean { return this.pos >= this.buf.length; }

  private need(n: number): void {
    if (this.buf.length - this.pos < n) this.fail(`unexpected end of data (needed ${n} more bytes, ${this.buf.length - this.pos} left)`);
  }

  head(): number {
    if (this.pos >= this.buf.length) this.fail('unexpected end of data');
    const b = this.buf[this.pos++]!;
    return b > 127 ? b - 256 : b;
  }

  intFrom(h: number, signed: boolean): number {
    if (h < FIRST_TAG || h > LAST_TAG) return signed ? h : h & 0xff;
    const b = this.buf;
    if (h === TAG_INTEGER_2) {
      this.need(2);
      const v = this.le ? (signed ? b.readInt16LE(this.pos) : b.readUInt16LE(this.pos)) : (signed ? b.readInt16BE(this.pos) : b.readUInt16BE(this.pos));
      this.pos += 2;
      return v;
    }
    if (h === TAG_INTEGER_4) {
      this.need(4);
      const v = this.le ? (signed ? b.readInt32LE(this.pos) : b.readUInt32LE(this.pos)) : (signed ? b.readInt32BE(this.pos) : b.readUInt32BE(this.pos));
      this.pos += 4;
      return v;
    }
    return this.fail(`unexpected tag 0x${(h & 0xff).toString(16)} where an integer was expected`, this.pos - 1);
  }

  /** A length for bytes that follow: never more than what is left. */
  private lengthFrom(h: number): number {
    const at = this.pos - 1;
    const n = this.intFrom(h, false);
    if (n > this.buf.length - this.pos) this.fail(`length ${n} runs past the end of the data (${this.buf.length - this.pos} bytes left)`, at);
    return n;
  }

  private float(h: number, size: 4 | 8): number {
    if (h !== TAG_FLOATING_POINT) return this.intFrom(h, true);
    this.need(size);
    const b = this.buf;
    const v = size === 4 ? (this.le ? b.readFloatLE(this.pos) : b.readFloatBE(this.pos)) : (this.le ? b.readDoubleLE(this.pos) : b.readDoubleBE(this.pos));
    this.pos += size;
    return v;
  }

  private refIndex(h: number, limit: number, what: string): number {
    const at = this.pos - 1;
    const n = this.intFrom(h, true) - FIRST_REFERENCE;
    if (n < 0 || n >= limit) this.fail(`${what} reference #${n} does not exist (${limit} so far)`, at);
    return n;
  }

  /** Index into the shared-string table, or -1 for nil. */
  private sharedStringIndex(h: number): number {
    if (h === TAG_NIL) return -1;
    if (h !== TAG_NEW) return this.refIndex(h, this.strings.length, 'shared string');
    const len = this.lengthFrom(this.head());
    this.strings.push(this.buf.toString('latin1', this.pos, this.pos + len));
    this.pos += len;
    return this.strings.length - 1;
  }

  sharedString(h: number): string | null {
    const i = this.sharedStringIndex(h);
    return i < 0 ? null : this.strings[i]!;
  }

  header(): void {
    const version = this.intFrom(this.head(), false);
    if (version !== STREAMER_VERSION) this.fail(`not a typedstream (streamer version ${version}, expected ${STREAMER_VERSION})`, 0);
    const len = this.lengthFrom(this.head());
    const signature = this.buf.toString('latin1', this.pos, this.pos + len);
    if (signature === SIGNATURE_BE) this.le = false;
    else if (signature !== SIGNATURE_LE) this.fail('not a typedstream (missing "streamtyped" signature)', this.pos);
    this.pos += len;
    this.intFrom(this.head(), false); // system version: 1000 on every Mac OS X; not needed to read the data
  }

  private cString(h: number): string | null {
    if (h === TAG_NIL) return null;
    if (h === TAG_NEW) {
      const s = this.sharedString(this.head());
      if (s === null) this.fail('C string with a nil body');
      this.table.push(s);
      return s;
    }
    const entry = this.table[this.refIndex(h, this.table.length, 'C string')];
    if (typeof entry !== 'string') this.fail('reference to a non-string where a C string was expected', this.pos - 1);
    return entry;
  }

  private classRef(h: number): TSClass {
    const entry = this.table[this.refIndex(h, this.table.length, 'class')];
    // An unfinished class (superclass undefined) means the chain refers to itself.
    if (!(entry instanceof TSClass) || entry.superclass === undefined) this.fail('reference to a non-class where a class was expected', this.pos - 1);
    return entry;
  }

  cls(h: number): TSClass | null {
    if (h === TAG_NIL) return null;
    if (h !== TAG_NEW) return this.classRef(h);
    const chain: TSClass[] = [];
    while (h === TAG_NEW) {
      const name = this.sharedString(this.head());
      if (name === null) this.fail('class with a nil name');
      const c = new TSClass(name, this.intFrom(this.head(), true));
      this.table.push(c);
      chain.push(c);
      h = this.head();
    }
    let superclass = h === TAG_NIL ? null : this.classRef(h);
    for (let i = chain.length - 1; i >= 0; i--) {
      chain[i]!.superclass = superclass;
      superclass = chain[i]!;
    }
    return chain[0]!;
  }

  object(h: number): TSObject | null {
    if (h === TAG_NIL) return null;
    if (h !== TAG_NEW) {
      const entry = this.table[this.refIndex(h, this.table.length, 'object')];
      if (!(entry instanceof TSObject)) this.fail('reference to a non-object where an object was expected', this.pos - 1);
      return entry;
    }
    const offset = this.pos - 1;
    if (++this.depth > MAX_DEPTH) this.fail(`objects nested deeper than ${MAX_DEPTH}`, offset);
    const slot = this.table.length;
    this.table.push(undefined); // the object's number is taken before its class is read
    const cls = this.cls(this.head());
    if (cls === null) this.fail('object with a nil class', offset);
    const obj = new TSObject(cls, offset);
    this.table[slot] = obj;
    for (let next = this.head(); next !== TAG_END_OF_OBJECT; next = this.head()) this.groupInto(obj.fields, next);
    this.depth--;
    return obj;
  }

  /** Read one group: a shared type-encoding string, then one value per type. */
  groupInto(out: Value[], h: number): void {
    const at = this.pos - 1;
    const i = this.sharedStringIndex(h);
    if (i < 0) this.fail('nil type encoding', at);
    let encodings = this.stringEncodings[i];
    if (encodings === undefined) {
      try {
        encodings = parseEncodings(this.strings[i]!);
      } catch (e) {
        if (e instanceof EncodingSyntaxError) this.fail(e.message, at);
        throw e;
      }
      this.stringEncodings[i] = encodings;
    }
    for (const e of encodings) out.push(this.value(e));
  }

  private value(e: Encoding): Value {
    if (--this.budget < 0) this.fail('stream is more complex than its size allows');
    if (typeof e === 'number') {
      if (e === c_at) return this.object(this.head());
      if (e === c_i || e === c_q || e === c_s || e === c_l) return this.intFrom(this.head(), true);
      if (e === c_I || e === c_Q || e === c_S || e === c_L) return this.intFrom(this.head(), false);
      if (e === c_plus) {
        const h = this.head();
        if (h === TAG_NIL) return null;
        const len = this.lengthFrom(h);
        this.pos += len;
        return new Raw(this.pos - len, this.pos);
      }
      if (e === c_star) return this.cString(this.head());
      if (e === c_c || e === c_B) { this.need(1); return this.buf.readInt8(this.pos++); }
      if (e === c_C) { this.need(1); return this.buf[this.pos++]!; }
      if (e === c_f) return this.float(this.head(), 4);
      if (e === c_d) return this.float(this.head(), 8);
      if (e === c_hash) return this.cls(this.head());
      if (e === c_pct || e === c_colon) return this.sharedString(this.head());
      if (e === c_bang) return null; // an ignored int-sized field: typed but no data
      return this.fail(`unsupported type ${String.fromCharCode(e)}`);
    }
    if (e instanceof ArrayEncoding) {
      if (e.element === c_c || e.element === c_C) {
        this.need(e.count);
        this.pos += e.count;
        return new Raw(this.pos - e.count, this.pos);
      }
      const out: Value[] = [];
      for (let k = 0; k < e.count; k++) out.push(this.value(e.element));
      return out;
    }
    const out: Value[] = [];
    for (const f of e.fields) out.push(this.value(f));
    return out;
  }
}
