// The foundation's JSON contract, in one place for the gateway.
import type { Chat, IMessage } from '../imessage/model.ts';

export interface JsonContract {
  chat(c: Chat): unknown;
  message(m: IMessage): unknown;
}
