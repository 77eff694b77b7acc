// Every AppleScript the bridge ever runs. They are constants: values reach them
// only as `item N of argv` (osascript - <values…>), so no user text can ever be
// parsed as AppleScript. Service types are a closed set, never user input.

export type ConcreteService = 'iMessage' | 'SMS';
export type Payload = 'text' | 'file';

/** `item 2 of argv`, or a file reference for attachments (Messages wants a POSIX file). */
function payload(p: Payload): string {
  return p === 'text' ? '(item 2 of argv)' : '(POSIX file (item 2 of argv))';
}

function wrap(body: string[]): string {
  return ['on run argv', '\ttell application "Messages"', ...body.map((l) => `\t\t${l}`), '\tend tell', 'end run', ''].join('\n');
}

/** Step 1: the chat as Messages knows it. argv: chat guid, payload. */
function chatScript(p: Payload): string {
  return wrap([`send ${payload(p)} to chat id (item 1 of argv)`]);
}

/** Step 2 (after -1728): the chat looked up inside one service. argv: chat guid, payload. */
function chatOfServiceScript(p: Payload, svc: ConcreteService): string {
  return wrap([`send ${payload(p)} to chat id (item 1 of argv) of (1st service whose service type = ${svc})`]);
}

/** Step 3, one-to-one only: the modern account/participant form. argv: handle, payload. */
function participantScript(p: Payload, svc: ConcreteService): string {
  return wrap([
    `set acct to 1st account whose service type = ${svc}`,
    `send ${payload(p)} to participant (item 1 of argv) of acct`,
  ]);
}

/** Step 4, one-to-one only: the older service/buddy form, still compiling on 14–26. argv: handle, payload. */
function buddyScript(p: Payload, svc: ConcreteService): string {
  return wrap([
    `set svc to 1st service whose service type = ${svc}`,
    `send ${payload(p)} to buddy (item 1 of argv) of svc`,
  ]);
}

export type ScriptForm = 'chat' | 'chat_of_service' | 'participant' | 'buddy';

export interface ScriptKey { form: ScriptForm; payload: Payload; service?: ConcreteService }

function build(k: ScriptKey): string {
  const svc = k.service ?? 'iMessage';
  switch (k.form) {
    case 'chat': return chatScript(k.payload);
    case 'chat_of_service': return chatOfServiceScript(k.payload, svc);
    case 'participant': return participantScript(k.payload, svc);
    case 'buddy': return buddyScript(k.payload, svc);
  }
}

const keyOf = (k: ScriptKey): string => `${k.form}/${k.payload}/${k.form === 'chat' ? '' : (k.service ?? 'iMessage')}`;

/** All scripts, built once at load. Tests assert every run used one of these exact texts. */
export const SCRIPTS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const payloadKind of ['text', 'file'] as const) {
    m.set(keyOf({ form: 'chat', payload: payloadKind }), build({ form: 'chat', payload: payloadKind }));
    for (const service of ['iMessage', 'SMS'] as const) {
      for (const form of ['chat_of_service', 'participant', 'buddy'] as const) {
        m.set(keyOf({ form, payload: payloadKind, service }), build({ form, payload: payloadKind, service }));
      }
    }
  }
  return m;
})();

export function scriptFor(k: ScriptKey): string {
  const s = SCRIPTS.get(keyOf(k));
  if (s === undefined) throw new Error(`no AppleScript for ${keyOf(k)}`);
  return s;
}
