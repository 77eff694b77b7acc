// Attachments going to Matrix: uploaded with their info (mimetype, size, and
// width/height when the header gives them away cheaply).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Attachment } from '../../imessage/model.ts';
import type { MatrixApi } from './api.ts';

export function msgtypeFor(mime: string): 'm.image' | 'm.video' | 'm.audio' | 'm.file' {
  if (mime.startsWith('image/')) return 'm.image';
  if (mime.startsWith('video/')) return 'm.video';
  if (mime.startsWith('audio/')) return 'm.audio';
  return 'm.file';
}

/** PNG, GIF and JPEG dimensions from the header; null for anything else. */
export function imageSize(b: Buffer): { w: number; h: number } | null {
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47) return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
  if (b.length > 10 && b.toString('latin1', 0, 3) === 'GIF') return { w: b.readUInt16LE(6), h: b.readUInt16LE(8) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] as number;
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { h: b.readUInt16BE(i + 5), w: b.readUInt16BE(i + 7) };
      i += 2 + len;
    }
  }
  return null;
}

const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', heic: 'image/heic', webp: 'image/webp',
  mov: 'video/quicktime', mp4: 'video/mp4', m4a: 'audio/mp4', caf: 'audio/x-caf', mp3: 'audio/mpeg', pdf: 'application/pdf', txt: 'text/plain',
};

export function mimeOf(a: Attachment, name: string): string {
  if (a.mimeType) return a.mimeType;
  return MIME_BY_EXT[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

export interface UploadedContent { content: Record<string, unknown> | null; missing: string | null }

/** Upload one attachment; `missing` explains why it could not be (not downloaded, unreadable). */
export async function attachmentContent(api: MatrixApi, a: Attachment, caption: string | null): Promise<UploadedContent> {
  const name = a.transferName ?? (a.path ? basename(a.path) : 'attachment');
  if (!a.path) return { content: null, missing: `${name} (not downloaded on the Mac yet)` };
  let data: Buffer;
  try {
    data = await readFile(a.path);
  } catch (e) {
    return { content: null, missing: `${name} (could not be read: ${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const mimetype = mimeOf(a, name);
  const url = await api.upload(data, mimetype, name);
  const info: Record<string, unknown> = { mimetype, size: data.length };
  const dims = mimetype.startsWith('image/') ? imageSize(data) : null;
  if (dims) { info.w = dims.w; info.h = dims.h; }
  const msgtype = msgtypeFor(mimetype);
  return { content: { msgtype, body: caption ?? name, filename: name, url, info }, missing: null };
}
