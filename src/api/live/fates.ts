// Send fates on the live stream. A send's fate is private to the token that
// made it, exactly like GET /v1/outbox/{id}: other tokens never see it.
import type { SendReceipt } from '../../core/events.ts';
import type { Gateway } from '../gateway.ts';

/** What an `event: fate` frame carries (WebSocket: the same with `type: 'fate'`). */
export interface FateFrame { id: string; state: string; messageGuid?: string; code?: string; reason?: string }

/** Did the API token `tokenId` make this send? */
export const ownsSend = (r: SendReceipt, tokenId: string): boolean => r.intent.from.connector === 'api' && r.intent.from.userId === tokenId;

export const fateFrame = (r: SendReceipt): FateFrame => ({ id: r.id, ...r.fate });

/** Calls `cb` with every fate change of `tokenId`'s sends; returns an unsubscribe function. */
export function onOwnFates(gateway: Gateway, tokenId: string, cb: (f: FateFrame) => void): () => void {
  return gateway.onFate((r) => { if (ownsSend(r, tokenId)) cb(fateFrame(r)); });
}
