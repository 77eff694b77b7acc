// Update events (edit, unsend, delivery status) built from chat.db's current
// view of a row and logged + emitted through the fake gateway, as the core does.
import type { BridgeEvent } from '../../../src/core/events.ts';
import type { IMessage } from '../../../src/imessage/model.ts';
import { readerFor, type Harness } from './harness.ts';

/** chat.db's current view of a row, for building update events the way the core does. */
function current(h: Harness, rowid: number): { chat: BridgeEvent['chat']; message: IMessage } {
  const r = readerFor(h);
  try {
    const message = r.messagesByRowids([rowid])[0]!;
    return { chat: r.chat(message.chatGuid!)!, message };
  } finally { r.close(); }
}

/** What the core logs and emits for an edit, an unsend and a status change of `rowid`. */
export function updates(h: Harness, rowid: number) {
  return {
    edit: (text: string) => {
      const { chat, message: m } = current(h, rowid);
      const message = { ...m, text, edits: [m.text], dateEdited: Date.now() };
      return h.gateway.publish(`edit:${m.guid}:${message.dateEdited}`, { type: 'edit', chat, message });
    },
    unsend: () => {
      const { chat, message: m } = current(h, rowid);
      return h.gateway.publish(`unsend:${m.guid}`, { type: 'unsend', chat, message: { ...m, text: '', unsent: true, dateRetracted: Date.now() } });
    },
    status: (status: 'delivered' | 'read' | 'failed') => {
      const { chat, message } = current(h, rowid);
      return h.gateway.publish(`status:${message.guid}:${status}`, { type: 'delivery', chat, message, status });
    },
  };
}

