// Who and what a chat is, in words: the chat's title, its topic line and the
// label of whoever sent a message. Discord, Matrix and the API all name a chat
// or a sender through here, so a contact reads the same everywhere.
import type { Chat, IMessage, Service } from '../../imessage/model.ts';
import type { Attribution } from '../events.ts';

/** A handle (number or email) → the name to show (the contact's, or the handle itself). */
export type NameOf = (handle: string) => string;

/** The label of messages typed on the Mac owner's own devices. */
export const OWN_LABEL = 'Me';
/** The label of system lines (group events, notices) where an author is required. */
export const SYSTEM_LABEL = 'iMessage';

/**
 * A chat's title: its group name if it has one, else the person (1:1) or the
 * people (a group) in it, else its identifier.
 */
export function chatTitle(chat: Chat, nameOf: NameOf): string {
  if (chat.displayName) return chat.displayName;
  if (!chat.isGroup) return nameOf(chat.participants[0] ?? chat.identifier);
  const names = chat.participants.map(nameOf);
  return names.length ? names.join(', ') : chat.identifier;
}

/**
 * The service as people call it, or null when the chat does not say: macOS 26
 * files chats under `any;` and picks iMessage or SMS per message, so naming it
 * "(any)" would be wrong either way.
 */
export function serviceName(service: Service): string | null {
  return service === 'iMessage' || service === 'SMS' || service === 'RCS' ? service : null;
}

/** "Ann (+1555)" when the contact has a name, else just the handle. */
export function personWithHandle(handle: string, nameOf: NameOf): string {
  const name = nameOf(handle);
  return name === handle ? handle : `${name} (${handle})`;
}

/** One line saying what the chat is: "iMessage with Ann (+1555)", "Group: Ann (+1555), bob@x". */
export function chatTopic(chat: Chat, nameOf: NameOf): string {
  if (chat.isGroup) return `Group: ${chat.participants.map((p) => personWithHandle(p, nameOf)).join(', ')}`;
  const service = serviceName(chat.service);
  return `${service ?? 'iMessage'}${service === 'SMS' || service === 'RCS' ? ' chat' : ''} with ${personWithHandle(chat.participants[0] ?? chat.identifier, nameOf)}`;
}

/**
 * Who a message appears from: the contact; for the owner's own messages "Me",
 * or the person who sent it through the bridge, with the way they used when
 * that is not the place showing it ("Alice (via discord)").
 */
export function senderLabel(m: Pick<IMessage, 'fromMe' | 'sender'>, sentBy: Attribution | null, nameOf: NameOf, shownIn?: string): string {
  if (!m.fromMe) return nameOf(m.sender);
  if (!sentBy) return OWN_LABEL;
  return sentBy.connector === shownIn ? sentBy.displayName : `${sentBy.displayName} (via ${sentBy.connector})`;
}

/** The subject of a sentence about a handle: "You" for the owner ("me"), else the contact's name. */
export function actorName(handle: string | undefined | null, nameOf: NameOf): string {
  if (!handle) return 'Someone';
  return handle === 'me' ? 'You' : nameOf(handle);
}
