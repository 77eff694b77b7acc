// Where a send may go, checked once in the core for every origin (connectors,
// the API, the CLI) before anything is queued. The rule is the sender's own
// (src/imessage/send/validate.ts: a chat chat.db lists, an E.164 number, an
// email, or the 1:1 guid of one); here it becomes the core's refusal, and the
// target becomes the Chat the policy decides with.
import type { Chat } from '../../imessage/model.ts';
import { recipientProblem } from '../../imessage/send/index.ts';
import { SendRefusedError } from '../errors.ts';
import { chatFromGuid } from '../mirror/chatIdentity.ts';

/** The chat a send targets: the one chat.db lists, else one its guid or address names. Throws a `bad_recipient` refusal otherwise. */
export function resolveRecipient(target: string, known: (guidOrHandle: string) => Chat | null): Chat {
  const problem = recipientProblem(target, { isKnownChat: (g) => known(g) !== null });
  if (problem) throw new SendRefusedError('bad_recipient', problem.message, problem.advice);
  return known(target) ?? chatFromGuid(target);
}
