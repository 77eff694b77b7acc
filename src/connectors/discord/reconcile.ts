// After a crash the core asks: did this delivery already land? Webhooks have
// no idempotency key, so look at the portal's recent messages for ours that
// match what we would post and aren't mapped to anything yet, and map them.
// 'delivered' only when every planned message is accounted for; otherwise the
// redelivery posts just the missing ones (each is mapped as soon as it's posted).
import { Routes, type REST } from 'discord.js';
import type { EventEnvelope } from '../../core/events.ts';
import type { MessageMapView } from '../../core/kit/index.ts';
import type { Outbound, SinglePost } from './outbound.ts';
import { CONNECTOR, type DiscordPortal } from './portals.ts';
import { carrier, type DiscordPart } from './parts.ts';

interface Recent { id: string; content: string; webhook_id?: string; author: { username: string }; attachments: Array<{ filename: string }> }
/** A message the delivery would post; `carries`: the iMessage parts (attachments) it holds. */
interface Wanted { part: DiscordPart; username: string; content: string; files: string[]; carries: number[] }

const RECENT_WINDOW = 100;

export async function reconcileDelivery(env: EventEnvelope, portal: DiscordPortal | null, rest: REST, map: MessageMapView<DiscordPart>, outbound: Outbound): Promise<'delivered' | 'missing'> {
  const ev = env.event;
  const guid = ev.message.guid;
  if (!portal) return 'missing';
  let wanted: Wanted[];
  switch (ev.type) {
    case 'message':
    case 'history': { // a history line was posted as the message it stands for
      if (ev.type === 'message' && ev.sentBy?.connector === CONNECTOR) return 'delivered'; // delivery posts nothing for these
      const plan = await outbound.messagePlan(portal, ev);
      if (!plan) return 'delivered';
      wanted = plan.slots.map((s) => ({ part: s.part, username: plan.username, content: s.content ?? '', files: s.files.map((f) => f.name), carries: s.files.map((f) => f.part) }));
      break;
    }
    case 'reaction': {
      // As a bot reaction it converges when redone (PUT/DELETE are idempotent).
      const line = outbound.tapbackPost(portal, ev.chat, ev.message);
      if (!line) return 'missing';
      wanted = [single(line)];
      break;
    }
    case 'group_event': {
      const line = outbound.groupEventPost(ev.message);
      if (!line) return 'delivered';
      wanted = [single(line)];
      break;
    }
    case 'delivery':
      if (ev.status !== 'failed' || !ev.message.fromMe) return 'delivered';
      wanted = [single(outbound.failureNotice(portal, ev.message))];
      break;
    default:
      return 'missing'; // edits and unsends converge to one state when redone
  }
  const open = wanted.filter((w) => !map.remote(guid, w.part));
  if (open.length === 0) return 'delivered';
  const recent = (await rest.get(Routes.channelMessages(portal.channelId), { query: new URLSearchParams({ limit: String(RECENT_WINDOW) }) }) as Recent[])
    .filter((m) => m.webhook_id === portal.webhookId && !map.byRemote(m.id))
    .reverse(); // oldest first: the first unmatched candidate is the one posted first
  let found = 0;
  for (const w of open) {
    const i = recent.findIndex((m) => matches(m, w));
    if (i < 0) continue;
    const [m] = recent.splice(i, 1);
    map.put({ messageGuid: guid, part: w.part, remoteId: m!.id, chatGuid: portal.chatGuid });
    for (const k of w.carries) if (!map.remote(guid, carrier(k))) map.put({ messageGuid: guid, part: carrier(k), remoteId: m!.id, chatGuid: portal.chatGuid });
    found++;
  }
  return found === open.length ? 'delivered' : 'missing';
}

const single = (p: SinglePost): Wanted => ({ part: p.part, username: p.username, content: p.content, files: [], carries: [] });

function matches(m: Recent, w: Wanted): boolean {
  if (m.author.username !== w.username || m.content.trim() !== w.content.trim()) return false;
  const names = m.attachments.map((a) => a.filename).sort();
  return names.length === w.files.length && [...w.files].sort().every((f, i) => names[i] === f);
}
