// The API's JSON contract with Contacts names added, so a client (the web
// client above all) can show "Ada Lovelace" instead of "+15551230001". Only
// keys are added (`name`, `participant_names`, `sender_name`); the
// foundation's contract allows that, and nothing is removed or renamed.
import { chatToJson, messageToJson, type MessageJson } from '../imessage/json.ts';
import type { ContactBook } from '../imessage/contacts/index.ts';
import type { JsonContract } from './json.ts';

export function namedJson(contacts: Pick<ContactBook, 'nameFor'>): JsonContract {
  const nameOf = (handle: string): string => contacts.nameFor(handle) ?? handle;
  // The foundation's objects are fresh per call, so keys are added in place:
  // copying ~25 keys per message was a visible share of a page's CPU.
  return {
    chat(c) {
      const participantNames = c.participants.map(nameOf);
      return Object.assign(chatToJson(c), { name: c.displayName ?? participantNames.join(', '), participant_names: participantNames });
    },
    message(m) {
      const j = messageToJson(m) as MessageJson & { sender_name?: string };
      j.sender_name = m.fromMe ? 'Me' : nameOf(m.sender);
      return j;
    },
  };
}
