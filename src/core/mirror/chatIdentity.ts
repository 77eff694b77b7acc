// One identity per conversation, whatever form its name takes: Messages files
// the same 1:1 chat as `iMessage;-;+44…`, `SMS;-;+44…` or (macOS 26)
// `any;-;+44…`, people type `+44 7700 900123` or `07700 900123`, and emails
// differ only in case. Every rule that compares chats compares these keys.
import { normalizeHandle } from '../../imessage/contacts/normalize.ts';
import { chatGuid, type ChatGuid } from '../../ids.ts';
import type { Chat, Service } from '../../imessage/model.ts';

const GUID = /^([^;]*);([-+]);(.+)$/;

/** A handle's canonical form (E.164 phone, lowercased email). */
export const handleKey = (handle: string, region = 'US'): string => normalizeHandle(handle, region);

/** `h:<handle>` for a 1:1 chat (guid in any service, or a bare handle), `g:<id>` for a group. */
export function chatKey(guidOrHandle: string, region = 'US'): string {
  const m = GUID.exec(guidOrHandle.trim());
  if (!m) return `h:${handleKey(guidOrHandle, region)}`;
  return m[2] === '+' ? `g:${m[3]}` : `h:${handleKey(m[3] ?? '', region)}`;
}

export const sameChat = (a: string, b: string, region = 'US'): boolean => a === b || chatKey(a, region) === chatKey(b, region);

/** The handle inside a 1:1 guid (`iMessage;-;+1555…` → `+1555…`), or null for a group. */
export function handleOfGuid(guid: string): string | null {
  const m = GUID.exec(guid);
  if (!m) return guid.includes(';') ? null : guid;
  return m[2] === '-' ? (m[3] ?? null) : null;
}

/**
 * A chat chat.db doesn't list (yet): a send to a new number, a guid from an
 * API call. Only what the guid itself says; nothing is guessed.
 */
export function chatFromGuid(guidOrHandle: string): Chat {
  const m = GUID.exec(guidOrHandle);
  const service = (m?.[1] || 'any') as Service;
  const handle = handleOfGuid(guidOrHandle);
  const guid: ChatGuid = chatGuid(m ? guidOrHandle : `any;-;${guidOrHandle}`);
  return { rowid: 0, guid, service, identifier: handle ?? m?.[3] ?? guidOrHandle, displayName: null, isGroup: handle === null, participants: handle ? [handle] : [], lastMessageAt: null };
}
