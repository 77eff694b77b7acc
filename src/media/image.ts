// HEIC/HEIF → JPEG (+ a thumbnail), with the pixels upright and no EXIF left.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { imageSize } from './detect.ts';
import { exifOrientation, ffmpegOrientationFilter, heifPendingOrientation, resetExifOrientation, sipsOrientationArgs } from './orientation.ts';
import { run } from './run.ts';
import type { ImageTool } from './tools.ts';

export interface ImageResult { path: string; w: number; h: number; thumb: { path: string; w: number; h: number } }

export interface ImageJob { input: string; workDir: string; timeoutMs: number; thumbMaxSide: number }

const WORKER = fileURLToPath(new URL('./imageWorker.mjs', import.meta.url));

export async function heicToJpeg(tool: ImageTool, job: ImageJob): Promise<ImageResult> {
  const out = join(job.workDir, 'image.jpg');
  const thumb = join(job.workDir, 'thumb.jpg');
  const deadline = Date.now() + job.timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  if (tool.kind === 'npm') {
    const head = await readFile(job.input);
    const orientation = heifPendingOrientation(head);
    // A separate Node process: the WebAssembly decoder is CPU-heavy and must not stall the bridge.
    const res = await run(process.execPath, ['--max-old-space-size=2048', WORKER, job.input, out, thumb, String(job.thumbMaxSide), String(orientation)], { timeoutMs: left() });
    const dims = JSON.parse(res.toString('utf8')) as { w: number; h: number; tw: number; th: number };
    return { path: out, w: dims.w, h: dims.h, thumb: { path: thumb, w: dims.tw, h: dims.th } };
  }
  if (tool.kind === 'libheif+ffmpeg') {
    const decoded = join(job.workDir, 'decoded.jpg');
    await run(tool.heifConvert, ['-q', '95', job.input, decoded], { timeoutMs: left() });
    const orientation = heifPendingOrientation(await readFile(job.input));
    const turn = ffmpegOrientationFilter(orientation);
    const fit = `scale=w='min(${job.thumbMaxSide},iw)':h='min(${job.thumbMaxSide},ih)':force_original_aspect_ratio=decrease`;
    const graph = `[0:v]${turn ? `${turn},` : ''}split=2[full][small];[small]${fit}[thumb]`;
    await run(tool.ffmpeg, ['-v', 'error', '-y', '-noautorotate', '-i', decoded, '-filter_complex', graph,
      '-map', '[full]', '-map_metadata', '-1', '-q:v', '3', '-frames:v', '1', out,
      '-map', '[thumb]', '-map_metadata', '-1', '-q:v', '5', '-frames:v', '1', thumb], { timeoutMs: left() });
    return withSizes(out, thumb);
  }
  // macOS: ImageIO decodes and keeps the orientation as an EXIF tag, which we apply and reset.
  await run(tool.sips, ['-s', 'format', 'jpeg', '-s', 'formatOptions', '85', job.input, '--out', out], { timeoutMs: left() });
  const jpeg = await readFile(out);
  const orientation = exifOrientation(jpeg);
  if (orientation !== 1) {
    await run(tool.sips, [...sipsOrientationArgs(orientation), out], { timeoutMs: left() });
    const turned = await readFile(out);
    resetExifOrientation(turned);
    await writeFile(out, turned);
  }
  await run(tool.sips, ['-Z', String(job.thumbMaxSide), '-s', 'format', 'jpeg', out, '--out', thumb], { timeoutMs: left() });
  return withSizes(out, thumb);
}

async function withSizes(out: string, thumb: string): Promise<ImageResult> {
  const full = imageSize(await readFile(out));
  const small = imageSize(await readFile(thumb));
  if (!full || !small) throw new Error('the converter wrote something that is not a JPEG');
  return { path: out, w: full.w, h: full.h, thumb: { path: thumb, w: small.w, h: small.h } };
}
