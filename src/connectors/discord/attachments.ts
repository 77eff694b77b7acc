// Files between the Mac and Discord. Outbound (iMessage → Discord) makes the
// attachment playable first (HEIC → .jpg, voice → .ogg; src/media), refusing
// what is over Discord's limit; inbound (Discord → iMessage) downloads with a
// hard cap so a huge file never fills the disk.
import { mkdir, readFile, stat, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attachment } from '../../imessage/model.ts';
import { mediaConverter, type MediaConverter } from '../../media/index.ts';
import { attachmentNotice, escapeDiscordMarkdown } from './toDiscord.ts';
import { attachmentProblemOf } from '../../core/presentation/index.ts';
import { safeFileName } from './fromDiscord.ts';
import type { OutFile } from './webhookSender.ts';

export interface LoadedAttachments { files: Array<OutFile & { part: number }>; notices: string[] }

export async function loadForDiscord(list: Attachment[], maxBytes: number, media: MediaConverter = mediaConverter()): Promise<LoadedAttachments> {
  const out: LoadedAttachments = { files: [], notices: [] };
  for (const a of list) {
    if (!a.path) { out.notices.push(attachmentNotice(a, 'not_downloaded')); continue; }
    try {
      const file = await media.prepare(a);
      if (file.notice) out.notices.push(`📎 ${escapeDiscordMarkdown(file.notice)}`);
      const size = (await stat(file.path)).size;
      if (size > maxBytes) { out.notices.push(attachmentNotice({ ...a, size, transferName: file.name }, 'too_large')); continue; }
      out.files.push({ name: safeFileName(file.name), data: await readFile(file.path), part: a.part });
    } catch (e) {
      out.notices.push(attachmentNotice(a, attachmentProblemOf(e)));
    }
  }
  return out;
}

export class DownloadTooLarge extends Error {
  readonly advice: string;
  constructor(readonly fileName: string, readonly size: number, readonly limit: number) {
    super(`${fileName} is ${size} bytes, over the ${limit}-byte limit for files sent to iMessage`);
    this.advice = 'Send a smaller file, or raise discord.max_outbound_file_bytes in the config.';
  }
}

/** A stalled CDN must not hold up the channel's queue forever. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Download a Discord attachment into `dir`, stopping as soon as it passes `maxBytes` or `timeoutMs`. */
export async function download(url: string, name: string, dir: string, maxBytes: number, declaredSize: number, timeoutMs = DOWNLOAD_TIMEOUT_MS): Promise<string> {
  const fileName = safeFileName(name);
  if (declaredSize > maxBytes) throw new DownloadTooLarge(fileName, declaredSize, maxBytes);
  await mkdir(dir, { recursive: true });
  // The signal also aborts reading the body, not just the wait for headers.
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((e: unknown) => {
    throw new Error(isTimeout(e) ? `download of ${fileName} timed out after ${Math.round(timeoutMs / 1000)} s` : `download of ${fileName} failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (!res.ok || !res.body) throw new Error(`download of ${fileName} failed: HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new DownloadTooLarge(fileName, total, maxBytes);
      chunks.push(chunk);
    }
  } catch (e) {
    if (isTimeout(e)) throw new Error(`download of ${fileName} timed out after ${Math.round(timeoutMs / 1000)} s`);
    throw e;
  }
  const path = join(dir, fileName);
  await writeFile(path, Buffer.concat(chunks));
  return path;
}

export const removeQuietly = (path: string): Promise<void> => rm(path, { force: true, recursive: true }).catch(() => undefined);

const isTimeout = (e: unknown): boolean => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
