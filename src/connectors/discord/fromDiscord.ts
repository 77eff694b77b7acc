// Pure decisions about a Discord message: is it ours (never relay — that's how
// loops form), an internal note, or a candidate to send into iMessage?
export interface MessageFacts {
  id: string;
  authorId: string;
  webhookId: string | null;
  /** Discord message type: 0 default, 19 reply; everything else is a system message. */
  type: number;
  content: string;
  /** Where it was posted relative to the mirror. */
  place: 'portal' | 'thread_of_portal' | 'elsewhere';
}

export interface LoopGuard {
  botUserId: string;
  ownWebhookIds: ReadonlySet<string>;
  recentlySent: ReadonlySet<string>;
}

export type Decision =
  | { kind: 'ignore'; reason: 'own_message' | 'own_webhook' | 'other_webhook' | 'system' | 'not_mirrored' }
  | { kind: 'note'; reason: 'prefix' | 'thread' }
  | { kind: 'relay' };

export function decide(m: MessageFacts, guard: LoopGuard, notePrefix: string): Decision {
  if (m.authorId === guard.botUserId || guard.recentlySent.has(m.id)) return { kind: 'ignore', reason: 'own_message' };
  if (m.webhookId && guard.ownWebhookIds.has(m.webhookId)) return { kind: 'ignore', reason: 'own_webhook' };
  // Other integrations' webhooks have no Discord user behind them to authorize.
  if (m.webhookId) return { kind: 'ignore', reason: 'other_webhook' };
  if (m.type !== 0 && m.type !== 19) return { kind: 'ignore', reason: 'system' };
  if (m.place === 'elsewhere') return { kind: 'ignore', reason: 'not_mirrored' };
  if (m.place === 'thread_of_portal') return { kind: 'note', reason: 'thread' };
  if (notePrefix && m.content.trimStart().startsWith(notePrefix)) return { kind: 'note', reason: 'prefix' };
  return { kind: 'relay' };
}

/** The text that goes to iMessage: the message, plus an optional "— Alice" signature. */
export function outboundText(content: string, signer: string | null): string {
  const text = content.trim();
  if (!text || !signer) return text;
  return `${text}\n— ${signer}`;
}

/** Filenames from Discord go onto the Mac's disk: keep them plain. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}:*?"<>|]/gu, '_').replace(/^\.+/, '').slice(0, 120);
  return clean || 'attachment';
}
