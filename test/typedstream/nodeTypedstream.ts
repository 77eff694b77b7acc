// Reading blobs with node-typedstream (the decoder BlueBubbles uses), to show
// our encoder's output is readable by an independent implementation.
import { TypedStreamReader, Unarchiver } from 'node-typedstream';

interface NodeRun { range: [number, number]; attributes: Record<string, unknown> }
interface NodeAttributedString { string: string; runs: NodeRun[] }

export function nodeDecode(buf: Buffer): NodeAttributedString {
  const groups = Unarchiver.open(buf).decodeAll() as { values: NodeAttributedString[] }[];
  const root = groups[0]?.values[0];
  if (!root || typeof root.string !== 'string') throw new Error('node-typedstream found no attributed string');
  return root;
}

type ReaderInternals = { readInteger(signed: boolean, head?: number): number; readHeadByte(head?: number): number; readExact(n: number): Buffer };

/**
 * node-typedstream 1.4.1 reads the 0x82 (int32) integer form with a 2-byte
 * read, so it cannot read any string longer than 32,767 UTF-8 bytes, Apple's
 * or ours. Run `fn` with that one read corrected.
 */
export function withInt32Fix<T>(fn: () => T): T {
  const proto = TypedStreamReader.prototype as unknown as ReaderInternals;
  const original = proto.readInteger;
  proto.readInteger = function (this: ReaderInternals, signed: boolean, head?: number): number {
    const h = this.readHeadByte(head);
    if (h !== -126) return original.call(this, signed, h);
    const b = this.readExact(4);
    return signed ? b.readInt32LE() : b.readUInt32LE();
  };
  try {
    return fn();
  } finally {
    proto.readInteger = original;
  }
}
