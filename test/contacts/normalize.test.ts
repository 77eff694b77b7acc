import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeHandle } from '../../src/imessage/contacts/index.ts';

test('phone numbers in any common format become E.164 in the default region', () => {
  for (const h of ['(555) 123-4567', '555-123-4567', '555.123.4567', '+1 555 123 4567', '1 (555) 123-4567', '+15551234567', 'tel:+1-555-123-4567']) {
    assert.equal(normalizeHandle(h, 'US'), '+15551234567', h);
  }
});

test('the default region decides numbers without a country code', () => {
  assert.equal(normalizeHandle('030 1234567', 'DE'), '+49301234567');
  assert.equal(normalizeHandle('07700 900123', 'GB'), '+447700900123');
  assert.equal(normalizeHandle('07700 900123', 'gb'), '+447700900123', 'region is case-insensitive');
  assert.equal(normalizeHandle('0049 30 1234567', 'US'), '+49301234567', '00 prefix is international');
  // An explicit country code wins over the region.
  assert.equal(normalizeHandle('+44 7700 900123', 'US'), '+447700900123');
});

test('short codes stay exactly as their digits and never grow a country code', () => {
  assert.equal(normalizeHandle('72345', 'US'), '72345');
  assert.equal(normalizeHandle('72-345', 'US'), '72345');
  assert.equal(normalizeHandle('262966', 'GB'), '262966');
  assert.notEqual(normalizeHandle('72345', 'US'), normalizeHandle('+1 555 127 2345', 'US'));
});

test('emails are compared case-insensitively', () => {
  assert.equal(normalizeHandle('  Alice.Smith@Example.COM ', 'US'), 'alice.smith@example.com');
  assert.equal(normalizeHandle('mailto:Bob@x.org', 'US'), 'bob@x.org');
});

test('anything that is not a phone number is kept (lower-cased), not mangled into digits', () => {
  assert.equal(normalizeHandle('chat123456', 'US'), 'chat123456');
  assert.equal(normalizeHandle('Apple', 'US'), 'apple');
});
