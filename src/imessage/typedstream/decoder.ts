// Entry points of the decoder. Any failure surfaces as a TypedstreamError;
// nothing else escapes, whatever the bytes.
import { bodyOf } from './body.ts';
import { TypedstreamError } from './errors.ts';
import { fastDecodeBody, fastDecodeText } from './fastBody.ts';
import { TSObject, TypedstreamReader, type Value } from './reader.ts';
import type { DecodedBody } from './types.ts';

function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The general decoder alone (the reference the fast path is tested against). */
export function decodeGeneral(buf: Buffer): DecodedBody {
  const r: TypedstreamReader = new TypedstreamReader(buf);
  r.header();
  const root: Value[] = [];
  r.groupInto(root, r.head());
  const obj = root[0];
  if (root.length !== 1 || !(obj instanceof TSObject)) r.fail('the root value is not a single object', 0);
  if (!r.atEnd) r.fail(`${buf.length - r.pos} unexpected bytes after the root object`);
  return bodyOf(obj, buf);
}

/** Decode a `message.attributedBody` blob. Throws TypedstreamError (only) when the blob is corrupt. */
export function decodeAttributedBody(buf: Uint8Array): DecodedBody {
  if (!(buf instanceof Uint8Array)) throw new TypedstreamError('attributedBody is not a byte array', -1);
  try {
    const b = asBuffer(buf);
    // The common shape is read directly; anything else (or anything wrong) takes the general decoder.
    return fastDecodeBody(b) ?? decodeGeneral(b);
  } catch (e) {
    if (e instanceof TypedstreamError) throw e;
    // A bug or a runtime limit (e.g. stack) must still reach the caller as the promised type.
    throw new TypedstreamError(`internal decoder failure: ${e instanceof Error ? e.message : String(e)}`, -1);
  }
}

/**
 * decodeAttributedBody(buf).text, for readers that keep only the text (chat.db pages): the fast
 * path then checks the attribute runs without building them. Throws TypedstreamError (only).
 */
export function decodeAttributedBodyText(buf: Uint8Array): string {
  if (!(buf instanceof Uint8Array)) throw new TypedstreamError('attributedBody is not a byte array', -1);
  try {
    const b = asBuffer(buf);
    return fastDecodeText(b) ?? decodeGeneral(b).text;
  } catch (e) {
    if (e instanceof TypedstreamError) throw e;
    throw new TypedstreamError(`internal decoder failure: ${e instanceof Error ? e.message : String(e)}`, -1);
  }
}

/** Like decodeAttributedBody, but returns the error instead of throwing. Never throws. */
export function tryDecodeAttributedBody(buf: Uint8Array): DecodedBody | TypedstreamError {
  try {
    return decodeAttributedBody(buf);
  } catch (e) {
    return e instanceof TypedstreamError ? e : new TypedstreamError(String(e), -1);
  }
}
