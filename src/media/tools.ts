// Which converter does what on this machine. A Mac has `sips` and
// `afconvert` built in; `ffmpeg` (Homebrew, Debian) is used when present
// because it also makes Ogg Opus and computes waveforms; HEIC still works with
// nothing installed through the bundled WebAssembly libheif (npm heic-decode).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ToolEnv { platform: NodeJS.Platform; path: string }

export const currentToolEnv = (): ToolEnv => ({ platform: process.platform, path: process.env.PATH ?? '' });

/** The absolute path of an executable on PATH, looked up without a shell. */
export function which(name: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try { accessSync(p, constants.X_OK); return p; } catch { /* next */ }
  }
  return null;
}

export type ImageTool = { kind: 'sips'; sips: string } | { kind: 'libheif+ffmpeg'; heifConvert: string; ffmpeg: string } | { kind: 'npm' };
export type AudioTool = { kind: 'ffmpeg'; ffmpeg: string } | { kind: 'afconvert'; afconvert: string; afinfo: string | null } | { kind: 'none' };
export type VideoTool = { kind: 'ffmpeg'; ffmpeg: string; ffprobe: string } | { kind: 'none' };

export interface ToolChoice { image: ImageTool; audio: AudioTool; video: VideoTool }

/** Under launchd PATH is only /usr/bin:/bin:/usr/sbin:/sbin, so Homebrew's folders are searched too. */
const HOMEBREW_BINS = ['/opt/homebrew/bin', '/usr/local/bin'];

export function chooseTools(env: ToolEnv = currentToolEnv()): ToolChoice {
  const mac = env.platform === 'darwin';
  const path = mac ? [env.path, ...HOMEBREW_BINS].filter(Boolean).join(delimiter) : env.path;
  const at = (name: string): string | null => which(name, path);
  const ffmpeg = at('ffmpeg');
  const sips = mac ? at('sips') : null;
  const heifConvert = at('heif-dec') ?? at('heif-convert');
  const afconvert = mac ? at('afconvert') : null;
  const ffprobe = at('ffprobe');
  const image: ImageTool = sips ? { kind: 'sips', sips }
    : heifConvert && ffmpeg ? { kind: 'libheif+ffmpeg', heifConvert, ffmpeg }
      : { kind: 'npm' };
  const audio: AudioTool = ffmpeg ? { kind: 'ffmpeg', ffmpeg }
    : afconvert ? { kind: 'afconvert', afconvert, afinfo: at('afinfo') }
      : { kind: 'none' };
  const video: VideoTool = ffmpeg && ffprobe ? { kind: 'ffmpeg', ffmpeg, ffprobe } : { kind: 'none' };
  return { image, audio, video };
}

/** One line per kind of media for `doctor`: what converts it here, and what is missing. */
export function mediaToolReport(env: ToolEnv = currentToolEnv(), t: ToolChoice = chooseTools(env)): string[] {
  const image = t.image.kind === 'sips' ? `HEIC photos → JPEG with sips (${t.image.sips})`
    : t.image.kind === 'libheif+ffmpeg' ? `HEIC photos → JPEG with ${t.image.heifConvert} and ffmpeg`
      : 'HEIC photos → JPEG with the bundled WebAssembly decoder (slower; install ffmpeg and libheif for speed)';
  const audio = t.audio.kind === 'ffmpeg' ? `voice messages → Ogg Opus with ffmpeg (${t.audio.ffmpeg})`
    : t.audio.kind === 'afconvert' ? `voice messages → AAC (.m4a) with afconvert; install ffmpeg (brew install ffmpeg) for Ogg Opus and waveforms`
      : 'voice messages are sent as the original .caf: install ffmpeg to make them playable';
  const video = t.video.kind === 'ffmpeg' ? 'QuickTime videos with H.264 → MP4 with ffmpeg; others are sent as files'
    : 'videos are sent as they are: install ffmpeg to remux QuickTime videos for browsers';
  return [image, audio, video];
}

/** The `doctor` finding (shaped like its CheckResult): voice messages are the one thing that needs a tool. */
export function mediaToolCheck(env: ToolEnv = currentToolEnv()): { id: string; title: string; ok: boolean; detail: string; fix?: string } {
  const t = chooseTools(env);
  const detail = mediaToolReport(env, t).join('; ');
  if (t.audio.kind !== 'none') return { id: 'media', title: 'Media conversion', ok: true, detail };
  const fix = env.platform === 'darwin' ? 'Install ffmpeg (`brew install ffmpeg`), or check that /usr/bin/afconvert exists.' : 'Install ffmpeg (`sudo apt-get install ffmpeg`).';
  return { id: 'media', title: 'Media conversion', ok: false, detail, fix };
}
