// Turns an attachment from Messages into what Matrix, Discord and browsers can
// show: HEIC → JPEG, CAF → Ogg Opus, H.264 .mov → MP4. Conversions run in
// child processes, one attachment at a time per CPU pair, with a deadline and
// a size limit; a failure falls back to the original file with a one-line note.
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import type { Attachment } from '../imessage/model.ts';
import { cafCodec, isAudioMessage, sniff, type FileKind } from './detect.ts';
import { cafToPlayable } from './audio.ts';
import { heicToJpeg } from './image.ts';
import { movToMp4, NotCheaplyPlayable } from './video.ts';
import { MediaCache } from './cache.ts';
import { chooseTools, type ToolChoice } from './tools.ts';
import type { MediaSettings } from './settings.ts';

export type MediaKind = 'image' | 'voice' | 'audio' | 'video' | 'file';

export interface Thumbnail { path: string; mime: 'image/jpeg'; w: number; h: number }

/** What to post for one attachment: the converted file, or the original plus a note. */
export interface PreparedMedia {
  path: string;
  name: string;
  mime: string;
  kind: MediaKind;
  converted: boolean;
  w?: number;
  h?: number;
  durationMs?: number;
  /** MSC3246 levels, 0–1024. */
  waveform?: number[];
  thumbnail?: Thumbnail;
  /** One line for the reader when the file could not be made playable. */
  notice: string | null;
}

type Plan = { to: 'jpeg' } | { to: 'audio'; voice: boolean } | { to: 'mp4' } | null;

const CACHE_VERSION = 1;

export class MediaConverter {
  readonly tools: ToolChoice;
  private readonly cache: MediaCache;
  private readonly inFlight = new Map<string, Promise<PreparedMedia>>();
  private readonly queue: Array<() => void> = [];
  private running = 0;
  private readonly slots = Math.max(1, Math.floor(availableParallelism() / 2));
  private lastSweep = 0;

  constructor(readonly settings: MediaSettings, tools?: ToolChoice) {
    this.tools = tools ?? chooseTools();
    this.cache = new MediaCache(settings.cacheDir, { maxBytes: settings.cacheMaxBytes, maxAgeMs: settings.cacheMaxAgeMs });
  }

  /** The file to post for `a` (which must have a path). `audioMessage` is chat.db's is_audio_message when known. */
  async prepare(a: Attachment, audioMessage?: boolean): Promise<PreparedMedia> {
    const path = a.path!;
    const name = a.transferName ?? basename(path);
    const original = (kind: FileKind, notice: string | null): PreparedMedia => ({ path, name, mime: a.mimeType ?? mimeFromKind(kind, name), kind: kindOf(a.mimeType ?? mimeFromKind(kind, name)), converted: false, notice });
    const info = await stat(path);
    const kind = sniff(await head(path));
    const plan = this.plan(kind, path, a, audioMessage);
    if (!plan || !this.settings.convert) return original(kind, null);
    if (info.size > this.settings.maxBytes) return original(kind, `${name} (${mb(info.size)}) was not converted: it is over the ${mb(this.settings.maxBytes)} conversion limit, so it is sent as the original file.`);
    const key = this.cache.keyFor([CACHE_VERSION, path, info.size, info.mtimeMs, JSON.stringify(plan), this.settings.thumbnailMaxSide]);
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = this.cached(key, a, name, plan).catch((e: unknown) => original(kind, `${name} could not be converted (${reason(e)}); it is sent as the original file.`));
    this.inFlight.set(key, job);
    try { return await job; } finally { this.inFlight.delete(key); }
  }

  private plan(kind: FileKind, path: string, a: Attachment, audioMessage?: boolean): Plan {
    if (kind === 'heic') return { to: 'jpeg' };
    if (kind === 'caf') return { to: 'audio', voice: isAudioMessage({ ...a, path }, audioMessage) };
    if (kind === 'mov') return { to: 'mp4' };
    return null;
  }

  private async cached(key: string, a: Attachment, name: string, plan: NonNullable<Plan>): Promise<PreparedMedia> {
    const hit = await this.cache.get<PreparedMedia>(key);
    if (hit) return hit.meta;
    const scratch = await this.cache.scratch();
    try {
      const made = await this.limited(() => this.convert(a.path!, name, plan, scratch));
      const dir = await this.cache.commit(key, scratch, made);
      this.maybeSweep();
      return (await this.cache.get<PreparedMedia>(key))?.meta ?? { ...made, path: made.path.replace(scratch, dir) };
    } catch (e) {
      await this.cache.discard(scratch);
      throw e;
    }
  }

  private async convert(input: string, name: string, plan: NonNullable<Plan>, workDir: string): Promise<PreparedMedia> {
    const timeoutMs = this.settings.timeoutMs;
    const stem = basename(name, extname(name)) || 'attachment';
    if (plan.to === 'jpeg') {
      const r = await heicToJpeg(this.tools.image, { input, workDir, timeoutMs, thumbMaxSide: this.settings.thumbnailMaxSide });
      return { path: r.path, name: `${stem}.jpg`, mime: 'image/jpeg', kind: 'image', converted: true, w: r.w, h: r.h, thumbnail: { path: r.thumb.path, mime: 'image/jpeg', w: r.thumb.w, h: r.thumb.h }, notice: null };
    }
    if (plan.to === 'audio') {
      const codec = cafCodec(await head(input));
      const r = await cafToPlayable(this.tools.audio, { input, workDir, timeoutMs, voice: plan.voice }).catch((e: unknown) => {
        throw new Error(`${reason(e)}${codec ? `; the file holds ${codec}` : ''}`);
      });
      return { path: r.path, name: `${stem}.${r.ext}`, mime: r.mime, kind: plan.voice ? 'voice' : 'audio', converted: true, ...(r.durationMs !== null ? { durationMs: r.durationMs } : {}), ...(r.waveform ? { waveform: r.waveform } : {}), notice: null };
    }
    const r = await movToMp4(this.tools.video, { input, workDir, timeoutMs });
    return { path: r.path, name: `${stem}.mp4`, mime: 'video/mp4', kind: 'video', converted: true, ...(r.w ? { w: r.w } : {}), ...(r.h ? { h: r.h } : {}), ...(r.durationMs !== null ? { durationMs: r.durationMs } : {}), notice: null };
  }

  /** Conversions are CPU-heavy: at most one per two cores at a time. */
  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try { return await fn(); } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private maybeSweep(): void {
    if (Date.now() - this.lastSweep < 10 * 60_000) return;
    this.lastSweep = Date.now();
    void this.cache.sweep().catch(() => undefined);
  }

  sweep(): Promise<number> { return this.cache.sweep(); }
}

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(128);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    return b.subarray(0, bytesRead);
  } finally { await fh.close(); }
}

const MIME_BY_KIND: Partial<Record<FileKind, string>> = {
  jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', caf: 'audio/x-caf',
  ogg: 'audio/ogg', mp4: 'video/mp4', m4a: 'audio/mp4', mov: 'video/quicktime', webm: 'video/webm', mp3: 'audio/mpeg',
};
const MIME_BY_EXT: Record<string, string> = { wav: 'audio/wav', vcf: 'text/vcard', zip: 'application/zip', pdf: 'application/pdf', txt: 'text/plain', heif: 'image/heif' };

function mimeFromKind(kind: FileKind, name: string): string {
  return MIME_BY_KIND[kind] ?? MIME_BY_EXT[extname(name).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

export function kindOf(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const reason = (e: unknown): string => (e instanceof NotCheaplyPlayable || e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 200);
