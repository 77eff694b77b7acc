// A message body as Messages lays it out: one U+FFFC per attachment (each its
// own part, with a run naming the attachment), then the text as the last part.
// Which columns hold it depends on the version: `text` only before High
// Sierra, `text` and attributedBody until Monterey, attributedBody alone since Ventura.
import { encodeAttributedBody } from '../imessage/typedstream/index.ts';
import { decodeTypedstreamText } from '../imessage/db/text.ts';
import type { VersionTraits } from './versions.ts';

export const FFFC = '\uFFFC';

/** Mirrors `AttributeRun` of src/imessage/typedstream (structurally). */
export interface SimRun { start: number; length: number; part?: number; attachmentGuid?: string; link?: string; mention?: string }

/** `index` is the part number; parts keep it when an earlier part is unsent. */
export type BodyPart = ({ kind: 'attachment'; guid: string } | { kind: 'text'; text: string }) & { index?: number };

export interface LaidOut { text: string; runs: SimRun[]; ranges: { lo: number; le: number }[] }

export function partsOf(text: string | undefined, attachmentGuids: readonly string[]): BodyPart[] {
  const parts: BodyPart[] = attachmentGuids.map((guid) => ({ kind: 'attachment', guid }));
  if (text !== undefined && text !== '') parts.push({ kind: 'text', text });
  return parts;
}

export function layout(parts: readonly BodyPart[]): LaidOut {
  let text = '';
  const runs: SimRun[] = [];
  const ranges: LaidOut['ranges'] = [];
  parts.forEach((p, i) => {
    const part = p.index ?? i;
    const start = text.length;
    if (p.kind === 'attachment') {
      text += FFFC;
      runs.push({ start, length: 1, part, attachmentGuid: p.guid });
    } else {
      text += p.text;
      runs.push({ start, length: p.text.length, part, ...linkOf(p.text) });
    }
    ranges.push({ lo: start, le: text.length - start });
  });
  return { text, runs, ranges };
}

/** A body that is just a URL carries the link attribute, as Messages' data detectors add it. */
function linkOf(text: string): { link?: string } {
  return /^https?:\/\/\S+$/.test(text) ? { link: text } : {};
}

export function encodeBody(laid: LaidOut): Buffer {
  return encodeAttributedBody(laid.text, { runs: laid.runs });
}

/** The text and attributedBody columns for a body on this version (both NULL for an empty body). */
export function bodyColumns(traits: VersionTraits, laid: LaidOut): { text: string | null; attributedBody: Buffer | null } {
  if (laid.text === '') return { text: null, attributedBody: null };
  const blob = traits.writesAttributedBody ? encodeBody(laid) : null;
  return { text: traits.bodyOnlyInAttributedBody ? null : laid.text, attributedBody: blob };
}

/** The stored body of a row, from attributedBody first, as a reader would. */
export function storedText(text: string | null, attributedBody: Buffer | null): string {
  if (attributedBody && attributedBody.length > 0) {
    const d = decodeTypedstreamText(attributedBody);
    if ('text' in d) return d.text;
  }
  return text ?? '';
}
