// The gateway reads chat.db through the foundation's reader and speaks the
// foundation's JSON contract; both are injectable for tests.
import { ChatDb } from '../imessage/db/index.ts';
import { chatToJson, messageToJson } from '../imessage/json.ts';
import type { JsonContract } from './json.ts';
import type { MessageReader } from './source.ts';

export const openReader = (chatDbPath: string, home: string): MessageReader => ChatDb.open(chatDbPath, { home });
export const defaultJson: JsonContract = { chat: chatToJson, message: messageToJson };
