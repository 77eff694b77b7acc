// The gateway reads chat.db through the foundation's handle and speaks the
// foundation's JSON contract; both are injectable for tests.
import { ChatDbHandle } from '../imessage/db/handle.ts';
import { chatToJson, messageToJson } from '../imessage/json.ts';
import type { JsonContract } from './json.ts';
import type { MessageReader } from './source.ts';

/** A handle of its own, for a gateway started outside the daemon (tests, benches). */
export const openReader = (chatDbPath: string, home: string): MessageReader => ChatDbHandle.open(chatDbPath, { home });
export const defaultJson: JsonContract = { chat: chatToJson, message: messageToJson };
