import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatGuid, planLadder, scriptFor, SCRIPTS } from '../../src/imessage/send/index.ts';

const forms = (steps: ReturnType<typeof planLadder>) => steps.map((s) => `${s.key.form}${s.key.service ? `:${s.key.service}` : ''}@${s.target}`);

test('chat guids are parsed into service, kind and identifier', () => {
  assert.deepEqual(parseChatGuid('iMessage;-;+15551234567'), { service: 'iMessage', group: false, identifier: '+15551234567' });
  assert.deepEqual(parseChatGuid('any;+;chat123456'), { service: 'any', group: true, identifier: 'chat123456' });
  assert.equal(parseChatGuid('+15551234567'), null);
});

test('one-to-one iMessage: chat id, then within the service, then participant, then buddy', () => {
  const steps = planLadder({ chatGuid: 'iMessage;-;+15551234567', isGroup: false }, 'text', 1000);
  assert.deepEqual(forms(steps), [
    'chat@iMessage;-;+15551234567',
    'chat_of_service:iMessage@iMessage;-;+15551234567',
    'participant:iMessage@+15551234567',
    'buddy:iMessage@+15551234567',
  ]);
  assert.deepEqual(steps.map((s) => s.delayBeforeMs), [0, 1000, 0, 0], 'a pause only after the first -1728');
});

test('macOS 26 any;-; guids map to iMessage first, then SMS', () => {
  const steps = planLadder({ chatGuid: 'any;-;+15551234567', isGroup: false }, 'text', 1000);
  assert.deepEqual(forms(steps), [
    'chat@any;-;+15551234567',
    'chat_of_service:iMessage@iMessage;-;+15551234567',
    'chat_of_service:SMS@SMS;-;+15551234567',
    'participant:iMessage@+15551234567',
    'participant:SMS@+15551234567',
    'buddy:iMessage@+15551234567',
    'buddy:SMS@+15551234567',
  ]);
});

test('an email handle is never tried over SMS', () => {
  const steps = planLadder({ chatGuid: 'any;-;a@b.com', isGroup: false }, 'text', 0);
  assert.ok(steps.every((s) => s.key.service !== 'SMS'));
});

test('groups never fall back to a participant, and no ;-; guid is built from a group identifier', () => {
  for (const g of ['any;+;chat123', 'iMessage;+;chat123', 'SMS;+;chat9']) {
    const steps = planLadder({ chatGuid: g, isGroup: true, handle: '+15551234567' }, 'file', 1000);
    assert.ok(steps.every((s) => s.key.form === 'chat' || s.key.form === 'chat_of_service'), g);
    assert.ok(steps.every((s) => s.target === g), 'group guids are used as given');
  }
  // A ;+; guid is a group even if the caller says otherwise.
  const mislabeled = planLadder({ chatGuid: 'iMessage;+;chat1', isGroup: false, handle: '+1555' }, 'text', 0);
  assert.ok(mislabeled.every((s) => s.key.form.startsWith('chat')));
});

test('SMS and RCS chats use the SMS service type; the explicit handle wins', () => {
  assert.deepEqual(forms(planLadder({ chatGuid: 'RCS;-;+15551234567', isGroup: false }, 'text', 0)).slice(1),
    ['chat_of_service:SMS@RCS;-;+15551234567', 'participant:SMS@+15551234567', 'buddy:SMS@+15551234567']);
  const withHandle = planLadder({ chatGuid: 'SMS;-;+15551234567', isGroup: false, handle: '+15550000000' }, 'text', 0);
  assert.equal(withHandle[2]?.target, '+15550000000');
});

test('scripts are a fixed set of constants that take every value from argv', () => {
  assert.equal(SCRIPTS.size, 14);
  for (const s of SCRIPTS.values()) {
    assert.match(s, /^on run argv\n/);
    assert.match(s, /\n\ttell application "Messages"\n/);
    assert.deepEqual(s.match(/"[^"]*"/g), ['"Messages"'], 'the only literal is the application name');
    assert.doesNotMatch(s, /service type = any/);
    assert.doesNotMatch(s, /participant \w+ handle/);
  }
  assert.equal(scriptFor({ form: 'chat', payload: 'text' }),
    'on run argv\n\ttell application "Messages"\n\t\tsend (item 2 of argv) to chat id (item 1 of argv)\n\tend tell\nend run\n');
  assert.match(scriptFor({ form: 'chat', payload: 'file' }), /send \(POSIX file \(item 2 of argv\)\) to chat id \(item 1 of argv\)/);
  assert.match(scriptFor({ form: 'participant', payload: 'text', service: 'SMS' }), /set acct to 1st account whose service type = SMS\n\t\tsend \(item 2 of argv\) to participant \(item 1 of argv\) of acct/);
  assert.match(scriptFor({ form: 'buddy', payload: 'text', service: 'iMessage' }), /set svc to 1st service whose service type = iMessage\n\t\tsend \(item 2 of argv\) to buddy \(item 1 of argv\) of svc/);
  assert.match(scriptFor({ form: 'chat_of_service', payload: 'text', service: 'iMessage' }), /to chat id \(item 1 of argv\) of \(1st service whose service type = iMessage\)/);
});
