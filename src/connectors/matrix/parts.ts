// Matrix's part ids: the Matrix event of one iMessage part (or of one chunk of a long text). Matrix posts each
// part of an iMessage as its own event (each attachment, then the text), so
// the iMessage's own part index names the event, and a tapback, reply or
// partial unsend of part k lands on exactly that event. Branded, so a Discord
// part (or any stray number) can't be passed where a Matrix one is meant.
import type { Brand } from '../../ids.ts';
import type { PartCodec } from '../../core/kit/index.ts';

export type MatrixPart = Brand<number, 'MatrixPart'>;

/** The event of iMessage part `imessagePart` (an attachment's `part`, the text's index, a target's `targetPart`). */
export const eventOf = (imessagePart: number): MatrixPart => imessagePart as MatrixPart;

/**
 * A long text is split into several events (render.ts textChunks). Chunk 0
 * keeps the text's own part, so tapbacks, replies and edits aimed at the text
 * find its first event; chunk k > 0 is k × TEXT_CHUNK_STRIDE + that part,
 * clear of the small iMessage part indexes (attachments) and reversible.
 */
export const TEXT_CHUNK_STRIDE = 1000;

/** The event of chunk `chunk` of the text at iMessage part `textPart`. */
export const textChunkPart = (textPart: number, chunk: number): MatrixPart => eventOf(chunk * TEXT_CHUNK_STRIDE + textPart);

/** The iMessage part and chunk index a mapped part stands for. */
export function chunkOfPart(part: number): { textPart: number; chunk: number } {
  return part < 0 ? { textPart: part, chunk: 0 } : { textPart: part % TEXT_CHUNK_STRIDE, chunk: Math.floor(part / TEXT_CHUNK_STRIDE) };
}

export class MatrixPartError extends Error {
  override readonly name = 'MatrixPartError';
  constructor(stored: number) { super(`message_map part ${stored} is not one the Matrix connector writes`); }
}

export const matrixParts: PartCodec<MatrixPart> = {
  encode: (p) => p,
  decode: (n) => { if (!Number.isInteger(n) || n < 0) throw new MatrixPartError(n); return eventOf(n); },
};
