// Who may act from Discord: listed users (id or username) or members holding a
// listed role (id or name). Nobody is allowed by default: a support number
// must never be reachable by whoever joins the server. The rule itself is the
// core's (src/core/send/policy.ts), which applies it to every send; slash
// commands ask the same rule here.
import { isAllowed, type SendPermissions } from '../../core/send/policy.ts';
import type { SenderFacts } from '../../core/events.ts';

export interface Member { userId: string; username: string; roleIds: string[]; roleNames: string[] }
export interface AllowList { allowed_users: string[]; allowed_roles: string[] }

export const permissionsOf = (allow: AllowList): SendPermissions => ({ users: allow.allowed_users, roles: allow.allowed_roles });

export const factsOf = (m: Member): SenderFacts => ({ aliases: [m.username], roles: [...m.roleIds, ...m.roleNames] });

export function maySend(m: Member, allow: AllowList): boolean {
  return isAllowed({ connector: 'discord', userId: m.userId, displayName: m.username }, factsOf(m), permissionsOf(allow));
}

export const deniedNotice = (userId: string): string =>
  `<@${userId}> this channel is mirrored to iMessage, but you aren't allowed to send into it, so your message stayed in Discord. ` +
  'An admin can add your user or role to `discord.allowed_users` / `discord.allowed_roles`. ' +
  'Messages starting with the note prefix, or in threads, are internal notes and always fine.';
