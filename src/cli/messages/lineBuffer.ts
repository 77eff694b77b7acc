// Output lines as UTF-8 bytes, encoded once, straight into one growing buffer.
// Concatenating lines into a 64 kB string and writing that costs a flatten and
// an encode of the whole string: measured on the 1M-message database it was
// as much as formatting the line itself.
export class LineBuffer {
  private buf: Buffer;
  private at = 0;

  /** `spare` offers a used buffer back (see `detach`) before a new one is allocated. */
  constructor(initialBytes = 1 << 16, private readonly spare: () => ArrayBuffer | undefined = () => undefined) {
    // Never from Node's shared pool: the buffer may be handed over whole (`detach`).
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Bytes held. */
  get length(): number {
    return this.at;
  }

  push(line: string): void {
    // A UTF-16 code unit becomes at most 3 UTF-8 bytes (a surrogate pair 4 for 2 units).
    const worst = this.at + line.length * 3 + 1;
    if (worst > this.buf.length) this.grow(worst);
    this.at += this.buf.write(line, this.at, 'utf8');
    this.buf[this.at++] = 0x0a;
  }

  /** The bytes so far in an ArrayBuffer of their own (safe to write asynchronously or transfer), and empty again. */
  take(): Uint8Array {
    const out = new Uint8Array(this.at);
    out.set(this.buf.subarray(0, this.at));
    this.at = 0;
    return out;
  }

  /** Hands over the buffer itself (the bytes are its first `length`), and goes on in a spare or a new one. */
  detach(): { buffer: ArrayBuffer; length: number } {
    const out = { buffer: this.buf.buffer as ArrayBuffer, length: this.at };
    const spare = this.spare();
    this.buf = spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(this.buf.length);
    this.at = 0;
    return out;
  }

  private grow(min: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(min, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}
