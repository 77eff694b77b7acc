// A small binary property list ("bplist00") writer. Messages stores
// message_summary_info and payload_data as binary plists; the simulator must
// write the same bytes a Mac would, so this follows CoreFoundation's layout:
// objects numbered depth-first (a dict's keys, then its values), equal scalars
// stored once, the smallest offset and reference widths that fit.

/** A keyed-archiver object reference (`CF$UID`). */
export class PlistUid {
  constructor(readonly value: number) {}
}

/** A JS number that must be stored as a real even when it is integral. */
export class PlistReal {
  constructor(readonly value: number) {}
}

export type PlistValue =
  | null | boolean | number | bigint | string | Date | Uint8Array | PlistUid | PlistReal
  | PlistValue[] | { [key: string]: PlistValue };

type Node = PlistValue;
type Flat =
  | { kind: 'scalar'; bytes: Buffer }
  | { kind: 'array'; refs: number[] }
  | { kind: 'dict'; keys: number[]; values: number[] };

const APPLE_EPOCH_S = 978_307_200;

function marker(type: number, length: number): Buffer {
  if (length < 15) return Buffer.from([type | length]);
  return Buffer.concat([Buffer.from([type | 0xf]), intBytes(BigInt(length))]);
}

function intBytes(v: bigint): Buffer {
  if (v >= 0n && v <= 0xffn) return Buffer.from([0x10, Number(v)]);
  if (v >= 0n && v <= 0xffffn) { const b = Buffer.alloc(3); b[0] = 0x11; b.writeUInt16BE(Number(v), 1); return b; }
  if (v >= 0n && v <= 0xffffffffn) { const b = Buffer.alloc(5); b[0] = 0x12; b.writeUInt32BE(Number(v), 1); return b; }
  // Negative numbers are always written as 8 bytes (two's complement), as CF does.
  const b = Buffer.alloc(9); b[0] = 0x13; b.writeBigInt64BE(BigInt.asIntN(64, v), 1); return b;
}

function scalarBytes(v: Node): Buffer | null {
  if (v === null) return Buffer.from([0x00]);
  if (v === false) return Buffer.from([0x08]);
  if (v === true) return Buffer.from([0x09]);
  if (typeof v === 'bigint') return intBytes(v);
  if (typeof v === 'number' || v instanceof PlistReal) {
    const n = typeof v === 'number' ? v : v.value;
    if (typeof v === 'number' && Number.isSafeInteger(n)) return intBytes(BigInt(n));
    const b = Buffer.alloc(9); b[0] = 0x23; b.writeDoubleBE(n, 1); return b;
  }
  if (typeof v === 'string') {
    // ASCII strings are one byte per char; anything else is UTF-16BE.
    if (isAscii(v)) return Buffer.concat([marker(0x50, v.length), Buffer.from(v, 'latin1')]);
    const le = Buffer.from(v, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) { be[i] = le[i + 1] ?? 0; be[i + 1] = le[i] ?? 0; }
    return Buffer.concat([marker(0x60, v.length), be]);
  }
  if (v instanceof Date) {
    const b = Buffer.alloc(9); b[0] = 0x33; b.writeDoubleBE(v.getTime() / 1000 - APPLE_EPOCH_S, 1); return b;
  }
  if (v instanceof PlistUid) {
    const n = v.value;
    const size = n <= 0xff ? 1 : n <= 0xffff ? 2 : 4;
    const b = Buffer.alloc(1 + size); b[0] = 0x80 | (size - 1); b.writeUIntBE(n, 1, size); return b;
  }
  if (v instanceof Uint8Array) return Buffer.concat([marker(0x40, v.length), Buffer.from(v)]);
  return null;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function uintBE(n: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  b.writeUIntBE(n, 0, size);
  return b;
}

const widthFor = (max: number): number => (max <= 0xff ? 1 : max <= 0xffff ? 2 : max <= 0xffffff ? 3 : 4);

/** Serialize a value as a binary plist. Throws on values a plist cannot hold (undefined, functions). */
export function writeBplist(root: PlistValue): Buffer {
  const objects: Flat[] = [];
  const uniq = new Map<string, number>();

  const flatten = (v: Node): number => {
    const bytes = scalarBytes(v);
    if (bytes) {
      const key = bytes.toString('latin1');
      const seen = uniq.get(key);
      if (seen !== undefined) return seen;
      uniq.set(key, objects.length);
      objects.push({ kind: 'scalar', bytes });
      return objects.length - 1;
    }
    if (Array.isArray(v)) {
      const entry: Flat = { kind: 'array', refs: [] };
      const index = objects.push(entry) - 1;
      entry.refs = v.map(flatten);
      return index;
    }
    if (typeof v === 'object' && v !== null) {
      const entry: Flat = { kind: 'dict', keys: [], values: [] };
      const index = objects.push(entry) - 1;
      const pairs = Object.entries(v as Record<string, Node>);
      entry.keys = pairs.map(([k]) => flatten(k));
      entry.values = pairs.map(([, val]) => {
        if (val === undefined) throw new TypeError('a property list cannot hold undefined');
        return flatten(val);
      });
      return index;
    }
    throw new TypeError(`a property list cannot hold a ${typeof v}`);
  };
  flatten(root);

  const refSize = widthFor(objects.length - 1);
  const refs = (list: number[]): Buffer => Buffer.concat(list.map((r) => uintBE(r, refSize)));
  const chunks: Buffer[] = [Buffer.from('bplist00', 'latin1')];
  const offsets: number[] = [];
  let at = 8;
  for (const o of objects) {
    const body = o.kind === 'scalar' ? o.bytes
      : o.kind === 'array' ? Buffer.concat([marker(0xa0, o.refs.length), refs(o.refs)])
        : Buffer.concat([marker(0xd0, o.keys.length), refs(o.keys), refs(o.values)]);
    offsets.push(at);
    chunks.push(body);
    at += body.length;
  }
  const offsetSize = widthFor(at);
  const table = Buffer.concat(offsets.map((o) => uintBE(o, offsetSize)));
  const trailer = Buffer.alloc(32);
  trailer[6] = offsetSize;
  trailer[7] = refSize;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(0n, 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);
  return Buffer.concat([...chunks, table, trailer]);
}
