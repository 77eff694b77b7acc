// An in-process stand-in for osascript: writes the sent row into the
// simulator the way Messages does (with the is_from_me flip), or misbehaves.
import type { MessageSender } from '../../../src/core/outbox/outbox.ts';
import type { SendRequest } from '../../../src/imessage/send/index.ts';
import { SendError } from '../../../src/imessage/send/index.ts';
import type { MessagesSimulator } from '../../../src/sim/simulator.ts';

export type SimSendMode = 'ok' | 'error' | 'ghost' | 'silent' | 'not_authorized' | 'hang';

export interface SimSender extends MessageSender { calls: SendRequest[]; mode: SimSendMode; release: () => void }

export function simSender(sim: MessagesSimulator, o: { flipDelayMs?: number; errorCode?: number } = {}): SimSender {
  let release = (): void => undefined;
  const s: SimSender = {
    calls: [], mode: 'ok', release: () => release(),
    async send(req) {
      s.calls.push(req);
      const chat = sim.findChat(req.chatGuid) ?? sim.findChat(req.chatGuid.split(';').at(-1)!);
      if (!chat) throw new Error(`sim sender: no chat ${req.chatGuid}`);
      switch (s.mode) {
        case 'not_authorized': return { ok: false, error: new SendError({ code: 'not_authorized', message: 'Not authorized (-1743)', advice: 'Grant Automation permission.' }) };
        case 'silent': return { ok: true, strippedNul: false };
        case 'hang': await new Promise<void>((r) => { release = r; }); return { ok: false, error: new SendError({ code: 'timeout', message: 'killed', advice: 'Check Messages.' }) };
        case 'ghost': sim.sendFromMe(chat, { ghost: true }); return { ok: true, strippedNul: false };
        case 'error': sim.sendFromMe(chat, { text: req.text ?? '', error: o.errorCode ?? 22 }); return { ok: true, strippedNul: false };
        default: {
          // Like the real sender: argv can't carry NUL, so it is stripped and reported.
          const text = req.text ?? '';
          sim.sendFromMe(chat, { text: text.replaceAll('\u0000', ''), flipDelayMs: o.flipDelayMs ?? 300 });
          return { ok: true, strippedNul: text.includes('\u0000') };
        }
      }
    },
  };
  return s;
}
