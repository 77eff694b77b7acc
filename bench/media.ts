// Media conversion benchmarks (issue 11): conversions per second, and the
// relay latency a 3 MB photo gains from being converted.
//  - HEIC → JPEG per second for each photo converter this machine has (sips on
//    a Mac, libheif + ffmpeg, the bundled WebAssembly decoder), on a real
//    4032×3024 (12 MP, an iPhone's size) HEIC of about 3 MB made by heif-enc;
//  - CAF (Opus) voice message → Ogg Opus per second, a 30 s clip from ffmpeg;
//  - the relay latency of that photo, live: Messages simulator → bridge core →
//    Discord connector → local Discord, from the chat.db commit to Discord
//    storing the message, p50 with bridge.media.convert on and off; the
//    difference is the latency conversion adds.
// Each conversion goes through MediaConverter.prepare (what the connectors
// call), with a fresh cache folder, so it measures conversion, not cache hits.
// Conversions run one at a time: the bridge allows one per two cores, so on a
// 2-core machine that is its throughput.
//   HEIC_RUNS=5 CAF_RUNS=10 RELAY_RUNS=5 BUDGET_S=20 node --import tsx bench/media.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { startBridge } from '../src/daemon.ts';
import { configSchema } from '../src/config/schema.ts';
import { createDiscordConnector } from '../src/connectors/discord/index.ts';
import { MediaConverter, mediaSettings, chooseTools, type ToolChoice } from '../src/media/index.ts';
import type { ImageTool } from '../src/media/tools.ts';
import { which } from '../src/media/tools.ts';
import type { Attachment } from '../src/imessage/model.ts';
import { MessagesSimulator } from '../src/sim/simulator.ts';
import { LocalDiscord } from '../test/support/discord/localDiscord.ts';
import { printHeader, printLoadAfter } from './support/report.ts';

const HEIC_RUNS = Number(process.env.HEIC_RUNS ?? 5);
const CAF_RUNS = Number(process.env.CAF_RUNS ?? 10);
const RELAY_RUNS = Number(process.env.RELAY_RUNS ?? 5);
/** Per converter: stop after this many seconds even if fewer runs were done (the WebAssembly decoder is slow). */
const BUDGET_S = Number(process.env.BUDGET_S ?? 20);
const HANDLE = '+15550001111';
const PATH = process.env.PATH ?? '';

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? NaN; };
const until = async (cond: () => boolean, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error(`bench timed out waiting for ${what}`); await new Promise((r) => setTimeout(r, 5)); }
};

const ff = (args: string[]): void => { execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: 'pipe' }); };

/**
 * A 4032×3024 test pattern with noise, so it compresses like a photo (about
 * 3 MB). x265's ultrafast preset keeps encoding to seconds instead of a
 * minute; decoding, which is what is measured, costs about the same.
 */
function makeHeic(dir: string): string {
  const src = join(dir, 'photo.src.jpg');
  const out = join(dir, 'IMG_0001.HEIC');
  ff(['-f', 'lavfi', '-i', 'testsrc2=s=4032x3024:d=1', '-vf', 'noise=alls=12:allf=u', '-frames:v', '1', '-q:v', '2', src]);
  execFileSync('heif-enc', ['-q', '60', '-p', 'preset=ultrafast', src, '-o', out], { stdio: 'pipe' });
  return out;
}

/** A 30 s voice message, Opus in CAF, as iOS 17+ records them (speech-like: a warbling tone). */
function makeCaf(dir: string): string {
  const out = join(dir, 'Audio Message.caf');
  ff(['-f', 'lavfi', '-i', 'aevalsrc=0.4*sin(2*PI*(220+40*sin(2*PI*3*t))*t):s=48000:d=30', '-ac', '1', '-c:a', 'libopus', '-b:a', '24k', '-f', 'caf', out]);
  return out;
}

function attachment(path: string, mimeType: string): Attachment {
  return { guid: 'bench', path, mimeType, uti: null, transferName: basename(path), size: statSync(path).size, isSticker: false, part: 0 };
}

/** Times `prepare` on a fresh converter (fresh cache) per run: one warm-up, then up to `runs` or the budget. */
async function timeConversions(tools: ToolChoice, a: Attachment, voice: boolean | undefined, runs: number, label: string): Promise<number[]> {
  const once = async (): Promise<number> => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'bench-media-cache-'));
    try {
      const media = new MediaConverter(mediaSettings({ cache_dir: cacheDir }), tools);
      const t0 = performance.now();
      const r = await media.prepare(a, voice);
      const ms = performance.now() - t0;
      if (!r.converted) throw new Error(`${label}: not converted: ${r.notice ?? 'no notice'}`);
      return ms;
    } finally { rmSync(cacheDir, { recursive: true, force: true }); }
  };
  await once();
  const took: number[] = [];
  const end = performance.now() + BUDGET_S * 1000;
  while (took.length < runs && (took.length === 0 || performance.now() < end)) took.push(await once());
  return took;
}

function printRate(name: string, took: number[]): void {
  const mean = took.reduce((s, x) => s + x, 0) / took.length;
  console.log(`${name}_per_s ${(1000 / mean).toFixed(2)} conversions/s`);
  console.log(`${name}_p50_ms ${median(took).toFixed(0)} ms`);
  console.log(`# ${name}: ${took.length} timed runs after a warm-up`);
}

/** Every photo converter present here, best first (the bridge picks the first). */
function imageTools(): Array<{ name: string; tool: ImageTool | null; missing: string }> {
  const ffmpeg = which('ffmpeg', PATH);
  const heifConvert = which('heif-dec', PATH) ?? which('heif-convert', PATH);
  const sips = process.platform === 'darwin' ? which('sips', PATH) : null;
  return [
    { name: 'sips', tool: sips ? { kind: 'sips', sips } : null, missing: process.platform === 'darwin' ? 'sips not found' : 'not a Mac' },
    { name: 'libheif_ffmpeg', tool: heifConvert && ffmpeg ? { kind: 'libheif+ffmpeg', heifConvert, ffmpeg } : null, missing: `${heifConvert ? '' : 'heif-dec/heif-convert '}${ffmpeg ? '' : 'ffmpeg '}not found`.trim() },
    { name: 'npm', tool: { kind: 'npm' }, missing: '' },
  ];
}

async function conversions(photo: string, voice: string): Promise<void> {
  const chosen = chooseTools();
  const a = attachment(photo, 'image/heic');
  console.log(`# photo: ${basename(photo)}, 4032x3024, ${(a.size / 2 ** 20).toFixed(2)} MiB; voice: 30 s Opus in CAF, ${(statSync(voice).size / 1024).toFixed(0)} KiB`);
  for (const { name, tool, missing } of imageTools()) {
    if (!tool) { console.log(`# skipped heic_jpeg_${name}: ${missing}`); continue; }
    printRate(`heic_jpeg_${name}`, await timeConversions({ ...chosen, image: tool }, a, undefined, HEIC_RUNS, name));
  }
  if (chosen.audio.kind === 'none') console.log('# skipped caf_opus_ogg: neither ffmpeg nor afconvert found');
  else printRate(`caf_voice_${chosen.audio.kind}`, await timeConversions(chosen, attachment(voice, 'audio/x-caf'), true, CAF_RUNS, 'voice'));
}

/** p50 ms from the chat.db commit of a row carrying the photo to the local Discord storing it. */
async function relay(dir: string, photo: Buffer, convert: boolean): Promise<{ p50: number; runs: number }> {
  const base = mkdtempSync(join(dir, `relay-${convert ? 'convert' : 'original'}-`));
  mkdirSync(join(base, 'dl'));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  const chat = sim.addChat({ participants: [HANDLE] });
  const discord = await LocalDiscord.start();
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 500, debounce_ms: 5 },
    bridge: { database: join(base, 'bridge.db'), media: { convert, cache_dir: join(base, 'media-cache') }, backfill: { messages: 0 } },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all' },
  });
  const log = pino({ level: 'silent' });
  const bridge = await startBridge({
    config, handleSignals: false, log,
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, { kits, displayName: (h) => h, status: async () => ({}), log, downloadDir: join(base, 'dl') })],
  });
  try {
    const arrived = new Map<string, number>();
    discord.onMessageCreated((m) => { for (const f of m.attachments) arrived.set(f.filename, performance.now()); });
    // The portal channel is made by the first row; keep that out of the figures.
    sim.receive(chat, { from: HANDLE, text: 'warm-up' });
    await until(() => discord.channels().some((c) => discord.view(c.id).some((m) => m.content === 'warm-up')), 30_000, 'the warm-up message');
    const took: number[] = [];
    for (let i = 0; i < RELAY_RUNS; i++) {
      // A new attachment (new path) each time: the converter's cache can't answer it.
      const stem = `IMG_${1000 + i}`;
      sim.receive(chat, { from: HANDLE, attachments: [{ name: `${stem}.HEIC`, bytes: photo }] });
      const t0 = performance.now(); // receive() returns once the row is committed
      const want = convert ? `${stem}.jpg` : `${stem}.HEIC`;
      await until(() => arrived.has(want), 120_000, want);
      took.push(arrived.get(want)! - t0);
    }
    return { p50: median(took), runs: took.length };
  } finally {
    await bridge.stop();
    sim.close({ pending: 'drop' });
    await discord.close();
  }
}

printHeader('media');
if (!which('ffmpeg', PATH) || !which('heif-enc', PATH)) {
  console.log(`# skipped media bench: it makes its HEIC and CAF files with ffmpeg and heif-enc (Debian: ffmpeg, libheif-examples), and ${which('ffmpeg', PATH) ? 'heif-enc' : 'ffmpeg'} is not on PATH`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
try {
  const photo = makeHeic(dir);
  const voice = makeCaf(dir);
  await conversions(photo, voice);
  const bytes = readFileSync(photo);
  const converted = await relay(dir, bytes, true);
  const original = await relay(dir, bytes, false);
  console.log(`# relay: Messages simulator → core → Discord connector → local Discord, ${converted.runs} photos each; chosen photo converter: ${chooseTools().image.kind}`);
  console.log(`photo_relay_converted_p50_ms ${converted.p50.toFixed(0)} ms`);
  console.log(`photo_relay_original_p50_ms ${original.p50.toFixed(0)} ms`);
  console.log(`photo_relay_added_by_conversion_ms ${(converted.p50 - original.p50).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printLoadAfter();
