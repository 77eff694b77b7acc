// Attachments as Messages stores them: the file on disk under the user's home
// (`Attachments/xx/yy/<guid>/<name>`, stickers under StickerCache), and a row
// whose `filename` starts with the literal `~/Library/...`.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { toAppleWholeSeconds } from './appleTime.ts';
import type { TableWriter } from './tables.ts';

export interface SimAttachmentSpec {
  name: string;
  mime?: string;
  uti?: string;
  /** The file's bytes, or a size to fill. Default: a short placeholder. */
  bytes?: Buffer | number;
  sticker?: boolean;
}

export interface WrittenAttachment { rowid: number; guid: string; filename: string; path: string; isAudio: boolean; name: string }

const TYPES: Record<string, [mime: string, uti: string]> = {
  '.jpg': ['image/jpeg', 'public.jpeg'], '.jpeg': ['image/jpeg', 'public.jpeg'], '.png': ['image/png', 'public.png'],
  '.heic': ['image/heic', 'public.heic'], '.gif': ['image/gif', 'com.compuserve.gif'],
  '.mov': ['video/quicktime', 'com.apple.quicktime-movie'], '.mp4': ['video/mp4', 'public.mpeg-4'],
  '.caf': ['audio/x-caf', 'com.apple.coreaudio-format'], '.m4a': ['audio/x-m4a', 'com.apple.m4a-audio'],
  '.pdf': ['application/pdf', 'com.adobe.pdf'], '.txt': ['text/plain', 'public.plain-text'],
  '.vcf': ['text/vcard', 'public.vcard'], '.zip': ['application/zip', 'public.zip-archive'],
};

export function typesFor(name: string): { mime: string | null; uti: string } {
  const t = TYPES[extname(name).toLowerCase()];
  return t ? { mime: t[0], uti: t[1] } : { mime: null, uti: 'public.data' };
}

export const isAudioMessage = (spec: SimAttachmentSpec): boolean => extname(spec.name).toLowerCase() === '.caf';

/** Where Messages would keep it, relative to the home directory. */
export function attachmentRelPath(guid: string, name: string, sticker: boolean): string {
  const h = createHash('sha1').update(guid).digest('hex');
  if (sticker) return join('Library/Messages/StickerCache', `${h.slice(0, 16)}-${guid}`, name);
  return join('Library/Messages/Attachments', h.slice(0, 2), h.slice(2, 4), guid, name);
}

function contents(spec: SimAttachmentSpec): Buffer {
  if (Buffer.isBuffer(spec.bytes)) return spec.bytes;
  if (typeof spec.bytes === 'number') return Buffer.alloc(spec.bytes, 0x5a);
  return Buffer.from(`simulated attachment ${spec.name}\n`);
}

export interface AttachmentContext { home: string; table: TableWriter; outgoing: boolean; now: Date }

export function writeAttachment(ctx: AttachmentContext, spec: SimAttachmentSpec): WrittenAttachment {
  if (!spec.name || spec.name.includes('/') || spec.name === '.' || spec.name === '..') {
    throw new TypeError(`attachment name must be a plain file name, got ${JSON.stringify(spec.name)}`);
  }
  const guid = randomUUID().toUpperCase();
  const sticker = spec.sticker === true;
  const rel = attachmentRelPath(guid, spec.name, sticker);
  const path = join(ctx.home, rel);
  const data = contents(spec);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  const t = typesFor(spec.name);
  const filename = `~/${rel}`;
  const created = toAppleWholeSeconds(ctx.now);
  const rowid = ctx.table.insert({
    guid, original_guid: guid, created_date: created, start_date: ctx.outgoing ? created : 0,
    filename, uti: spec.uti ?? t.uti, mime_type: spec.mime ?? t.mime, transfer_state: 5,
    is_outgoing: ctx.outgoing ? 1 : 0, transfer_name: spec.name, total_bytes: data.length,
    is_sticker: sticker ? 1 : 0, hide_attachment: 0, ck_sync_state: 0,
  });
  return { rowid, guid, filename, path, isAudio: isAudioMessage(spec), name: spec.name };
}

export const newGuid = (): string => randomUUID().toUpperCase();
