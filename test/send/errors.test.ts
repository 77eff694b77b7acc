import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOsaStderr, sendErrorFromStderr, SendError } from '../../src/imessage/send/index.ts';

test('the error number is read from osascript execution and syntax errors', () => {
  assert.deepEqual(parseOsaStderr('45:94: execution error: Messages got an error: Can\'t get chat id "iMessage;-;+1555". (-1728)\n'),
    { osaNumber: -1728, detail: 'Messages got an error: Can\'t get chat id "iMessage;-;+1555".' });
  assert.equal(parseOsaStderr('12:20: syntax error: Expected end of line but found identifier. (-2741)').osaNumber, -2741);
  assert.equal(parseOsaStderr('-:12:20: syntax error: Expected end of line. (-2741)').osaNumber, -2741);
  assert.equal(parseOsaStderr('/tmp/x.scpt:1:2: execution error: Not authorized to send Apple events to Messages. (-1743)').osaNumber, -1743);
  assert.equal(parseOsaStderr('some warning\n0:10: execution error: Messages got an error: Application isn’t running. (-600)\n').osaNumber, -600);
  assert.equal(parseOsaStderr('').osaNumber, null);
  assert.equal(parseOsaStderr('osascript: no such file').osaNumber, null);
});

test('a text containing "(-1743)" does not fool the parser: only the trailing number counts', () => {
  const f = parseOsaStderr('45:94: execution error: Messages got an error: Can’t get chat id "x (-1743)". (-1728)');
  assert.equal(f.osaNumber, -1728);
});

const cases: [number, SendError['code'], boolean, RegExp][] = [
  [-1728, 'not_found', false, /chat guid or handle/],
  [-1708, 'not_understood', false, /did not understand/],
  [-1700, 'coercion', false, /convert/],
  [-1712, 'timeout', false, /may or may not have been sent/],
  [-1743, 'not_authorized', false, /System Settings › Privacy & Security › Automation.*enable Messages under .*logged-in GUI session/],
  [-600, 'not_running', true, /Messages is not running/],
  [-2753, 'undefined_variable', false, /does not define/],
  [-2741, 'syntax', false, /did not compile/],
];

for (const [n, code, retryable, advice] of cases) {
  test(`AppleScript error ${n} becomes SendError(${code}) with advice`, () => {
    const e = sendErrorFromStderr(`1:2: execution error: Messages got an error: something. (${n})`);
    assert.ok(e instanceof SendError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code);
    assert.equal(e.osaNumber, n);
    assert.equal(e.retryable, retryable);
    assert.match(e.advice, advice);
    assert.match(e.message, new RegExp(`\\(${n}\\)`));
  });
}

test('the -1743 advice names the binary that needs the grant', () => {
  const e = sendErrorFromStderr('1:2: execution error: Not authorized to send Apple events to Messages. (-1743)', '/opt/homebrew/bin/node');
  assert.match(e.advice, /enable Messages under \/opt\/homebrew\/bin\/node/);
});

test('unknown numbers and empty stderr become code unknown, keeping the number', () => {
  const e = sendErrorFromStderr('1:2: execution error: Messages got an error: boom. (-10000)');
  assert.equal(e.code, 'unknown');
  assert.equal(e.osaNumber, -10000);
  assert.ok(e.advice.length > 20);
  const blank = sendErrorFromStderr('');
  assert.equal(blank.code, 'unknown');
  assert.equal(blank.osaNumber, null);
});
