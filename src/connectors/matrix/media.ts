// Attachments going to Matrix, made playable first (src/media): a HEIC photo
// becomes an m.image JPEG with w/h and a thumbnail; a voice message becomes an
// Ogg Opus m.audio with the MSC3245 voice marker and MSC1767 duration and
// waveform, which Element shows as a voice-message player.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Attachment } from '../../imessage/model.ts';
import { mediaConverter, imageSize, type MediaConverter, type PreparedMedia } from '../../media/index.ts';
import { exifOrientation, swapsSides } from '../../media/orientation.ts';
import type { MatrixApi } from './api.ts';
import { attachmentLine, attachmentProblemOf } from '../../core/presentation/index.ts';

export function msgtypeFor(mime: string): 'm.image' | 'm.video' | 'm.audio' | 'm.file' {
  if (mime.startsWith('image/')) return 'm.image';
  if (mime.startsWith('video/')) return 'm.video';
  if (mime.startsWith('audio/')) return 'm.audio';
  return 'm.file';
}

export { imageSize };

/** `missing` is the line shown instead of a file (not downloaded, gone, unreadable); `notice` why it is not the playable kind. */
export interface UploadedContent { content: Record<string, unknown> | null; missing: string | null; notice: string | null }

/** Upload one attachment (converted where needed). */
export async function attachmentContent(api: Pick<MatrixApi, 'upload'>, a: Attachment, caption: string | null, media: MediaConverter = mediaConverter()): Promise<UploadedContent> {
  const name = a.transferName ?? (a.path ? basename(a.path) : 'attachment');
  if (!a.path) return { content: null, missing: attachmentLine(a, 'not_downloaded'), notice: null };
  let file: PreparedMedia;
  let data: Buffer;
  try {
    file = await media.prepare(a);
    data = await readFile(file.path);
  } catch (e) {
    return { content: null, missing: attachmentLine({ ...a, transferName: name }, attachmentProblemOf(e)), notice: null };
  }
  const url = await api.upload(data, file.mime, file.name);
  const info: Record<string, unknown> = { mimetype: file.mime, size: data.length };
  const content: Record<string, unknown> = { msgtype: msgtypeFor(file.mime), body: caption ?? file.name, filename: file.name, url, info };
  if (file.mime.startsWith('image/')) {
    const dims = file.w && file.h ? { w: file.w, h: file.h } : displayedSize(data);
    if (dims) { info.w = dims.w; info.h = dims.h; }
  }
  if (file.thumbnail) {
    const thumb = await readFile(file.thumbnail.path);
    info.thumbnail_url = await api.upload(thumb, file.thumbnail.mime, `thumbnail-${file.name}`);
    info.thumbnail_info = { mimetype: file.thumbnail.mime, size: thumb.length, w: file.thumbnail.w, h: file.thumbnail.h };
  }
  if (file.kind === 'video' && file.w && file.h) { info.w = file.w; info.h = file.h; }
  if (file.durationMs !== undefined) info.duration = file.durationMs;
  if (file.kind === 'voice') {
    content['org.matrix.msc1767.audio'] = { duration: file.durationMs ?? 0, waveform: file.waveform ?? [] };
    content['org.matrix.msc3245.voice'] = {};
  }
  return { content, missing: null, notice: file.notice };
}

/** A JPEG's size as shown: EXIF orientations 5–8 turn it sideways. */
function displayedSize(data: Buffer): { w: number; h: number } | null {
  const dims = imageSize(data);
  if (!dims) return null;
  return swapsSides(exifOrientation(data)) ? { w: dims.h, h: dims.w } : dims;
}
