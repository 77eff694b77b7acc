// Low-level typedstream writer: integers in Apple's compact forms, and the two
// reference tables (shared strings; objects/classes/C strings) Apple keeps.
import { FIRST_REFERENCE, TAG_INTEGER_2, TAG_INTEGER_4, TAG_NEW, TAG_NIL, TAG_END_OF_OBJECT } from './tags.ts';

export class TypedstreamWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly sharedStrings = new Map<string, number>();
  private objectCount = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialSize));
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
  }

  /** Apple's rule: one byte outside the tag range, else int16, else int32 (little-endian). */
  int(v: number): void {
    this.ensure(5);
    if (v >= -110 && v <= 127) {
      this.buf[this.pos++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      this.buf[this.pos++] = TAG_INTEGER_2 & 0xff;
      this.buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else {
      this.buf[this.pos++] = TAG_INTEGER_4 & 0xff;
      if (v < 0) this.buf.writeInt32LE(v, this.pos);
      else this.buf.writeUInt32LE(v, this.pos);
      this.pos += 4;
    }
  }

  /** A raw char (`c`/`C` are never tagged). */
  char(v: number): void { this.byte(v); }

  ref(index: number): void { this.int(index + FIRST_REFERENCE); }
  tagNew(): void { this.byte(TAG_NEW); }
  nil(): void { this.byte(TAG_NIL); }
  endObject(): void { this.byte(TAG_END_OF_OBJECT); }

  /** Length-prefixed bytes (`+` strings and shared-string bodies). */
  bytesOfString(s: string, encoding: 'utf8' | 'latin1'): void {
    const len = Buffer.byteLength(s, encoding);
    this.int(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, encoding);
  }

  /** A shared string (type encodings, class names, C string bodies), deduplicated by content. */
  sharedString(s: string): void {
    const known = this.sharedStrings.get(s);
    if (known !== undefined) return this.ref(known);
    this.sharedStrings.set(s, this.sharedStrings.size);
    this.tagNew();
    this.bytesOfString(s, 'latin1');
  }

  /** Reserve the next object-table number (objects, classes and C strings share one table). */
  nextObjectNumber(): number { return this.objectCount++; }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
