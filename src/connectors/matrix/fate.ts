// A Matrix message's fate in iMessage: ✅ reaction and a read receipt once
// Messages confirms it, an m.notice with the reason when it fails. The core
// reports each stage once and deletes the downloaded file at the final fate.
import type { SendReceipt } from '../../core/events.ts';
import type { MessageMapView } from '../../core/kit/index.ts';
import { eventOf, type MatrixPart } from './parts.ts';
import type { Actors } from './actors.ts';
import type { PortalManager } from './portals.ts';
import type { MatrixStore } from './store.ts';
import { txnIdFor } from './ids.ts';
import { noticeContent } from './render.ts';
import { fateSentence } from '../../core/presentation/index.ts';

export interface FateDeps { connectorId: string; actors: Actors; portals: PortalManager; store: MatrixStore; map: MessageMapView<MatrixPart> }

export async function reportFate(d: FateDeps, receipt: SendReceipt): Promise<void> {
  const origin = receipt.intent.origin;
  if (!origin || origin.connector !== d.connectorId) return;
  const eventId = origin.remoteId;
  const roomId = origin.room ?? d.portals.roomFor(receipt.intent.chatGuid) ?? d.store.roomOfEvent(eventId);
  if (!roomId) return;
  const bot = d.actors.bot;
  const fate = receipt.fate;
  const key = `fate:${receipt.id}:${fate.state}`;
  switch (fate.state) {
    case 'sent':
      // Tapbacks and replies from the phone can now find the user's own event.
      d.map.put({ messageGuid: fate.messageGuid, part: eventOf(0), remoteId: eventId, chatGuid: receipt.intent.chatGuid });
      await bot.send(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key: '✅' } }, txnIdFor(key));
      await bot.receipt(roomId, eventId);
      return;
    case 'failed':
    case 'unknown': {
      const text = fateSentence(fate) ?? fate.reason;
      await bot.send(roomId, 'm.room.message', { ...noticeContent(text), 'm.relates_to': { 'm.in_reply_to': { event_id: eventId } } }, txnIdFor(key));
      return;
    }
    default:
      return;
  }
}
