// After a crash the core asks: did this delivery already land? Webhooks have
// no idempotency key, so look at the portal's recent messages for one of ours
// that matches what we would have posted and isn't mapped to anything yet.
import { Routes, type REST } from 'discord.js';
import type { EventEnvelope } from '../../core/events.ts';
import type { MessageMap } from '../../core/store/messageMap.ts';
import { CONNECTOR, type DiscordPortal } from './portals.ts';
import { attachmentName, groupEventLine, senderName, type NameOf } from './toDiscord.ts';
import { sanitizeWebhookUsername } from './usernames.ts';
import { safeFileName } from './fromDiscord.ts';

interface Recent { id: string; content: string; webhook_id?: string; author: { username: string }; attachments: Array<{ filename: string }> }

export async function reconcileDelivery(env: EventEnvelope, portal: DiscordPortal | null, rest: REST, map: MessageMap, nameOf: NameOf): Promise<'delivered' | 'missing'> {
  const ev = env.event;
  if (ev.type !== 'message' && ev.type !== 'group_event') return 'missing'; // the rest converge when redone
  if (map.remote(CONNECTOR, ev.message.guid, 0)) return 'delivered';
  if (!portal) return 'missing';
  const matches = matcher(env, nameOf);
  if (!matches) return 'missing';
  const query = new URLSearchParams({ limit: '50' });
  const recent = await rest.get(Routes.channelMessages(portal.channelId), { query }) as Recent[];
  const found = recent.find((m) => m.webhook_id === portal.webhookId && !map.byRemote(CONNECTOR, m.id) && matches(m));
  if (!found) return 'missing';
  map.put(CONNECTOR, { messageGuid: ev.message.guid, part: 0, remoteId: found.id, chatGuid: portal.chatGuid });
  return 'delivered';
}

function matcher(env: EventEnvelope, nameOf: NameOf): ((m: Recent) => boolean) | null {
  const ev = env.event;
  if (ev.type === 'group_event') {
    const line = ev.message.event ? groupEventLine(ev.message.event, nameOf) : null;
    return line ? (m) => m.content === line : null;
  }
  if (ev.type !== 'message') return null;
  const username = sanitizeWebhookUsername(senderName(ev.message, ev.sentBy, nameOf));
  const head = ev.message.text.slice(0, 200);
  const files = ev.message.attachments.map((a) => safeFileName(attachmentName(a)));
  return (m) => m.author.username === username && (head
    ? m.content.includes(head)
    : files.length > 0 && files.some((f) => m.attachments.some((a) => a.filename === f) || m.content.includes(f)));
}
