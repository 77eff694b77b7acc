// The one send policy: who may write into which chat, for every origin. It is
// decided here, with the full Chat (never a "maybe"), and nowhere else:
//   - a connector's user: only into chats mirrored to that connector, and only
//     people the connector's config allows (users by id or name, roles);
//   - the API: its token scope was checked by the API; here only
//     `api.send_restriction` (mirrored chats anywhere, or an allowlist of
//     recipients), so a pattern matching no chat never opens any chat;
//   - the operator at the CLI: any chat (they own the Mac).
import type { Chat } from '../../imessage/model.ts';
import { apiNotListed, apiNotMirrored, notAllowed, notMirrored, type SendRefusedError } from '../errors.ts';
import type { Attribution, SenderFacts } from '../events.ts';
import { handleKey } from '../mirror/chatIdentity.ts';

/** Who is asking, beyond the attribution: decides which rule applies. */
export type SendScope =
  | { kind: 'connector' }
  | { kind: 'api'; restriction: 'none' | 'mirrored' | 'allowlist'; allowlist: readonly string[] }
  | { kind: 'operator' };

export const CONNECTOR_SCOPE: SendScope = { kind: 'connector' };
export const OPERATOR_SCOPE: SendScope = { kind: 'operator' };

/** A connector's allow list: user ids or names, role ids or names (case-insensitive). Empty: nobody. */
export interface SendPermissions { users: readonly string[]; roles: readonly string[] }

export interface PolicyFacts {
  chat: Chat;
  from: Attribution;
  /** What the connector knows about the sender beyond the attribution (other names, roles). */
  facts?: SenderFacts | undefined;
  /** Is the chat mirrored to this connector (the core's mirror policy)? */
  mirroredTo(connector: string): boolean;
  /** Is it mirrored to any connector? */
  mirroredAnywhere(): boolean;
  /** The sending connector's allow list; undefined when it declares none (it vouches for its users itself). */
  permissions: SendPermissions | undefined;
  region?: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Is this person on the allow list (by id, by another name of theirs, or by a role)? */
export function isAllowed(from: Attribution, facts: SenderFacts | undefined, p: SendPermissions): boolean {
  const names = [from.userId, ...(facts?.aliases ?? [])];
  if (p.users.some((u) => names.some((n) => same(u, n)))) return true;
  return p.roles.some((r) => (facts?.roles ?? []).some((mine) => same(r, mine)));
}

/** Null when the send may go; otherwise the refusal to audit and show. */
export function decideSend(scope: SendScope, f: PolicyFacts): SendRefusedError | null {
  switch (scope.kind) {
    case 'operator':
      return null;
    case 'api': {
      if (scope.restriction === 'mirrored' && !f.mirroredAnywhere()) return apiNotMirrored();
      if (scope.restriction === 'allowlist') {
        const allowed = new Set(scope.allowlist.map((h) => handleKey(h, f.region)));
        const recipients = f.chat.participants.map((h) => handleKey(h, f.region));
        if (recipients.length === 0 || recipients.some((r) => !allowed.has(r))) return apiNotListed();
      }
      return null;
    }
    case 'connector': {
      if (!f.mirroredTo(f.from.connector)) return notMirrored(f.from.connector, f.chat.guid);
      if (f.permissions && !isAllowed(f.from, f.facts, f.permissions)) return notAllowed(f.from.connector, f.from.displayName || f.from.userId);
      return null;
    }
  }
}
