// Videos browsers can't play. A QuickTime .mov holding H.264 is remuxed into
// MP4 without re-encoding (fast and lossless); anything else (HEVC, ProRes)
// would need a full transcode, which is neither cheap nor reliable on a small
// Mac, so it is sent as the original file with a note.
import { join } from 'node:path';
import { run } from './run.ts';
import type { VideoTool } from './tools.ts';

export interface VideoResult { path: string; w: number | null; h: number | null; durationMs: number | null }

export interface VideoJob { input: string; workDir: string; timeoutMs: number }

export class NotCheaplyPlayable extends Error {}

const BROWSER_AUDIO = new Set(['aac', 'mp3', 'opus']);

export async function movToMp4(tool: VideoTool, job: VideoJob): Promise<VideoResult> {
  if (tool.kind === 'none') throw new NotCheaplyPlayable('no video tool is installed (install ffmpeg)');
  const probe = JSON.parse((await run(tool.ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height:format=duration', '-of', 'json', job.input], { timeoutMs: job.timeoutMs })).toString('utf8')) as {
    streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number }>; format?: { duration?: string };
  };
  const v = probe.streams?.find((s) => s.codec_type === 'video');
  const a = probe.streams?.find((s) => s.codec_type === 'audio');
  if (!v || v.codec_name !== 'h264') throw new NotCheaplyPlayable(`its video is ${v?.codec_name ?? 'missing'}, which browsers can't play everywhere`);
  const out = join(job.workDir, 'video.mp4');
  const audio = !a ? ['-an'] : BROWSER_AUDIO.has(a.codec_name ?? '') ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k'];
  await run(tool.ffmpeg, ['-v', 'error', '-y', '-i', job.input, '-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', ...audio, '-movflags', '+faststart', '-f', 'mp4', out], { timeoutMs: job.timeoutMs });
  const seconds = Number(probe.format?.duration);
  return { path: out, w: v.width ?? null, h: v.height ?? null, durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null };
}
