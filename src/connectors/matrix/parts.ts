// Matrix's part ids: the Matrix event of one iMessage part. Matrix posts each
// part of an iMessage as its own event (each attachment, then the text), so
// the iMessage's own part index names the event, and a tapback, reply or
// partial unsend of part k lands on exactly that event. Branded, so a Discord
// part (or any stray number) can't be passed where a Matrix one is meant.
import type { Brand } from '../../ids.ts';
import type { PartCodec } from '../../core/kit/index.ts';

export type MatrixPart = Brand<number, 'MatrixPart'>;

/** The event of iMessage part `imessagePart` (an attachment's `part`, the text's index, a target's `targetPart`). */
export const eventOf = (imessagePart: number): MatrixPart => imessagePart as MatrixPart;

export class MatrixPartError extends Error {
  override readonly name = 'MatrixPartError';
  constructor(stored: number) { super(`message_map part ${stored} is not one the Matrix connector writes`); }
}

export const matrixParts: PartCodec<MatrixPart> = {
  encode: (p) => p,
  decode: (n) => { if (!Number.isInteger(n) || n < 0) throw new MatrixPartError(n); return eventOf(n); },
};
