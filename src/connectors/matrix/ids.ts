// Deterministic names: transaction ids from iMessage keys (so a retry after a
// crash is deduplicated by the homeserver), ghost localparts from handles.
import { createHash } from 'node:crypto';

/** A PUT /send txnId derived from the event key and a sub-part (e.g. attachment index). */
export function txnIdFor(key: string, sub: string | number = 0): string {
  return `imb.${createHash('sha256').update(`${key}\u0000${sub}`).digest('base64url').slice(0, 32)}`;
}

/**
 * Message-map parts of a long text split into several events (render.ts
 * textChunks). Chunk 0 keeps the text's own iMessage part, so tapbacks, replies
 * and edits aimed at the text find its first event; chunk k > 0 is
 * k × TEXT_CHUNK_STRIDE + that part, clear of the small iMessage part indexes
 * (attachments) and reversible. Every chunk numbering lives here.
 */
export const TEXT_CHUNK_STRIDE = 1000;

export function textChunkPart(textPart: number, chunk: number): number {
  return chunk * TEXT_CHUNK_STRIDE + textPart;
}

/** The iMessage part and chunk index a mapped part stands for. */
export function chunkOfPart(part: number): { textPart: number; chunk: number } {
  return part < 0 ? { textPart: part, chunk: 0 } : { textPart: part % TEXT_CHUNK_STRIDE, chunk: Math.floor(part / TEXT_CHUNK_STRIDE) };
}

/**
 * Handle → ghost localpart suffix. Localparts allow only [a-z0-9._=-/]; this
 * mapping is reversible: '_' doubles, uppercase becomes '_' + lowercase,
 * anything else is '=' + hex bytes (so +1555… → =2b1555…).
 */
export function ghostSuffix(handle: string): string {
  let out = '';
  for (const ch of handle) {
    if (/[a-z0-9.\-/]/.test(ch)) out += ch;
    else if (ch === '_') out += '__';
    else if (/[A-Z]/.test(ch)) out += `_${ch.toLowerCase()}`;
    else for (const b of Buffer.from(ch, 'utf8')) out += `=${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function handleFromSuffix(suffix: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < suffix.length; i++) {
    const ch = suffix[i] as string;
    if (ch === '_') { const n = suffix[++i] ?? ''; bytes.push(...Buffer.from(n === '_' ? '_' : n.toUpperCase())); }
    else if (ch === '=') { bytes.push(parseInt(suffix.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(...Buffer.from(ch));
  }
  return Buffer.from(bytes).toString('utf8');
}
