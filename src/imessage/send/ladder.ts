// The fallback ladder (after mautrix): chat id first; on -1728 wait a moment and
// look the chat up inside a concrete service; for one-to-one chats only, address
// the recipient through an account (participant) or service (buddy). Each step is
// tried only after the previous one failed with -1728 (nothing was sent).
import type { ConcreteService, Payload, ScriptKey } from './scripts.ts';

export interface ParsedChatGuid {
  /** `iMessage`, `SMS`, `RCS`, or `any` on macOS 26. */
  service: string;
  group: boolean;
  identifier: string;
}

/** `iMessage;-;+15551234567` → { service, group: false, identifier }. Null when not a chat guid. */
export function parseChatGuid(guid: string): ParsedChatGuid | null {
  const m = /^([^;]+);([-+]);(.+)$/s.exec(guid);
  if (!m) return null;
  return { service: m[1] ?? '', group: m[2] === '+', identifier: m[3] ?? '' };
}

/**
 * Which concrete service types to try. macOS 26 `any;` guids have no service:
 * try iMessage first, then SMS. RCS has no AppleScript service type on the
 * versions we know, and RCS chats are carried by the SMS account.
 */
export function concreteServices(service: string, handle: string | undefined): ConcreteService[] {
  const isEmail = handle !== undefined && handle.includes('@');
  let list: ConcreteService[];
  if (service === 'iMessage') list = ['iMessage'];
  else if (service === 'SMS' || service === 'RCS') list = ['SMS'];
  else list = ['iMessage', 'SMS'];
  // An email address cannot receive SMS.
  return isEmail ? list.filter((s) => s !== 'SMS') : list;
}

export interface Step {
  key: ScriptKey;
  /** argv item 1: a chat guid or a handle. */
  target: string;
  /** Pause before this step (Messages sometimes needs a moment after -1728). */
  delayBeforeMs: number;
}

export interface LadderInput { chatGuid: string; isGroup: boolean; handle?: string }

export function planLadder(req: LadderInput, payload: Payload, retryDelayMs: number): Step[] {
  const parsed = parseChatGuid(req.chatGuid);
  // A `;+;` guid is a group whatever the caller says: never address its members one by one.
  const group = req.isGroup || parsed?.group === true;
  const handle = group ? undefined : (req.handle ?? parsed?.identifier);
  const services = concreteServices(parsed?.service ?? 'any', handle);
  const steps: Step[] = [{ key: { form: 'chat', payload }, target: req.chatGuid, delayBeforeMs: 0 }];

  for (const service of services) {
    // A one-to-one `any;-;h` guid maps to `<svc>;-;h`. Group guids are used as
    // given: a `;-;` guid is never built from a group identifier.
    const target = !group && parsed?.service === 'any' && handle !== undefined ? `${service};-;${handle}` : req.chatGuid;
    steps.push({ key: { form: 'chat_of_service', payload, service }, target, delayBeforeMs: 0 });
  }
  if (!group && handle !== undefined && handle !== '') {
    for (const service of services) steps.push({ key: { form: 'participant', payload, service }, target: handle, delayBeforeMs: 0 });
    for (const service of services) steps.push({ key: { form: 'buddy', payload, service }, target: handle, delayBeforeMs: 0 });
  }
  const second = steps[1];
  if (second) second.delayBeforeMs = retryDelayMs;
  return steps;
}
