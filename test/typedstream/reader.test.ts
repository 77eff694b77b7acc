// The generic grammar below the NSAttributedString layer: integer and float
// forms, byte order, arrays and structs, classes and C strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Raw, TSObject, TypedstreamReader, type Value } from '../../src/imessage/typedstream/reader.ts';

const LE = '040b73747265616d747970656481e803';
const BE = '040b747970656473747265616d8103e8';

function values(hex: string): Value[] {
  const r = new TypedstreamReader(Buffer.from(hex, 'hex'));
  r.header();
  const out: Value[] = [];
  while (!r.atEnd) r.groupInto(out, r.head());
  return out;
}
const str = (s: string): string => Buffer.from(s).toString('hex');

test('integer forms: literal byte, 0x81 int16, 0x82 int32, signed and unsigned', () => {
  // "iiII": -56 as a byte; 0x81 -2; then the same bytes read unsigned.
  assert.deepEqual(values(LE + '8404' + str('iiII') + 'c8' + '81feff' + 'c8' + '81feff'), [-56, -2, 200, 65534]);
  assert.deepEqual(values(LE + '8402' + str('iI') + '8200000080' + '8200000080'), [-2147483648, 2147483648]);
  assert.deepEqual(values(BE + '8402' + str('ii') + '810102' + '8200000100'), [258, 256]);
});

test('floats: 0x83 with 4 or 8 bytes, integral values in integer form', () => {
  const f = Buffer.alloc(4); f.writeFloatLE(1.5);
  const d = Buffer.alloc(8); d.writeDoubleLE(-2.25);
  assert.deepEqual(values(LE + '8403' + str('fdd') + '83' + f.toString('hex') + '83' + d.toString('hex') + '817304'), [1.5, -2.25, 1139]);
});

test('chars are raw bytes, arrays and structs follow their encodings', () => {
  const [c, C, bytes, ints, size] = values(LE + '8402' + str('cC') + '8484' + '8404' + str('[3c]') + '616263' + '8404' + str('[2i]') + '0581e803' + '840b' + str('{CGSize=dd}') + '0203');
  assert.equal(c, -124);
  assert.equal(C, 0x84);
  assert.ok(bytes instanceof Raw && bytes.end - bytes.start === 3);
  assert.deepEqual(ints, [5, 1000]);
  assert.deepEqual(size, [2, 3]);
});

test('classes chain to their superclasses; C strings and objects share one reference table', () => {
  // "@", a new object (#0) of new class Foo v3 (#1) < new NSObject v0 (#2) < nil,
  // holding "*" with a new C string "hi" (#3) and "*" referring back to #3; then "@" referring to #0.
  const [obj, again] = values(LE + '840140' + '84' + '84' + '8403' + str('Foo') + '03' + '84' + '8408' + str('NSObject') + '00' + '85'
    + '84012a' + '84' + '8402' + str('hi') + '95' + '95' + '86' + '92' + '92');
  assert.ok(obj instanceof TSObject);
  assert.equal(obj.cls.name, 'Foo');
  assert.equal(obj.cls.version, 3);
  assert.equal(obj.cls.superclass?.name, 'NSObject');
  assert.equal(obj.cls.superclass?.superclass, null);
  assert.deepEqual(obj.fields, ['hi', 'hi']);
  assert.equal(again, obj);
});
