// CAF audio → something every player knows. With ffmpeg: Ogg Opus, and in the
// same run a mono 8 kHz PCM copy on stdout for the duration and the waveform
// (MSC3246: integers 0–1024). With only afconvert (a bare Mac): AAC in .m4a.
import { join } from 'node:path';
import { run } from './run.ts';
import type { AudioTool } from './tools.ts';

export interface AudioResult { path: string; mime: string; ext: string; durationMs: number | null; waveform: number[] | null }

export interface AudioJob { input: string; workDir: string; timeoutMs: number; voice: boolean }

const PCM_RATE = 8000;
const WAVEFORM_POINTS = 64;

export async function cafToPlayable(tool: AudioTool, job: AudioJob): Promise<AudioResult> {
  if (tool.kind === 'none') throw new Error('no audio converter is installed (install ffmpeg)');
  if (tool.kind === 'afconvert') {
    const out = join(job.workDir, 'audio.m4a');
    await run(tool.afconvert, ['-f', 'm4af', '-d', 'aac', job.input, out], { timeoutMs: job.timeoutMs });
    const durationMs = tool.afinfo ? afinfoDuration((await run(tool.afinfo, [out], { timeoutMs: job.timeoutMs })).toString('utf8')) : null;
    return { path: out, mime: 'audio/mp4', ext: 'm4a', durationMs, waveform: null };
  }
  const out = join(job.workDir, 'audio.ogg');
  // Voice is mono speech: 32 kb/s Opus in VoIP mode is what WhatsApp/Element send too.
  const enc = job.voice ? ['-ac', '1', '-b:a', '32k', '-application', 'voip'] : ['-b:a', '96k'];
  const pcm = await run(tool.ffmpeg, ['-v', 'error', '-y', '-i', job.input,
    '-map', '0:a:0', '-vn', '-c:a', 'libopus', ...enc, '-f', 'ogg', out,
    '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(PCM_RATE), '-f', 's16le', 'pipe:1'], { timeoutMs: job.timeoutMs });
  const samples = Math.floor(pcm.length / 2);
  if (samples === 0) throw new Error('the audio has no samples');
  return { path: out, mime: 'audio/ogg', ext: 'ogg', durationMs: Math.round((samples / PCM_RATE) * 1000), waveform: waveform(pcm, WAVEFORM_POINTS) };
}

/** Peak level of each of `points` equal slices, scaled so the loudest is 1024. */
export function waveform(pcm: Buffer, points: number): number[] {
  const samples = Math.floor(pcm.length / 2);
  const peaks: number[] = [];
  for (let p = 0; p < points; p++) {
    const from = Math.floor((p * samples) / points);
    const to = Math.max(from + 1, Math.floor(((p + 1) * samples) / points));
    let peak = 0;
    for (let i = from; i < to && i < samples; i++) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i * 2)));
    peaks.push(peak);
  }
  const top = Math.max(1, ...peaks);
  return peaks.map((v) => Math.round((v / top) * 1024));
}

function afinfoDuration(text: string): number | null {
  const m = /estimated duration:\s*([\d.]+)\s*sec/.exec(text);
  return m ? Math.round(Number(m[1]) * 1000) : null;
}
