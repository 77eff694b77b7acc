// Who may send into iMessage from Discord: listed users (id or username) or
// members holding a listed role (id or name). Nobody is allowed by default:
// a support number must never be reachable by whoever joins the server.
export interface Member { userId: string; username: string; roleIds: string[]; roleNames: string[] }
export interface AllowList { allowed_users: string[]; allowed_roles: string[] }

export function maySend(m: Member, allow: AllowList): boolean {
  if (allow.allowed_users.some((u) => u === m.userId || u.toLowerCase() === m.username.toLowerCase())) return true;
  return allow.allowed_roles.some((r) => m.roleIds.includes(r) || m.roleNames.some((n) => n.toLowerCase() === r.toLowerCase()));
}

export const deniedNotice = (userId: string): string =>
  `<@${userId}> this channel is mirrored to iMessage, but you aren't allowed to send into it, so your message stayed in Discord. ` +
  'An admin can add your user or role to `discord.allowed_users` / `discord.allowed_roles`. ' +
  'Messages starting with the note prefix, or in threads, are internal notes and always fine.';
