import { generate } from '../src/sim/generator.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dir = mkdtempSync(join(tmpdir(), 'gen-'));
let t = performance.now();
const r = generate({ dir, messages: 100000, chats: 50, seed: 1, onProgress: (d) => { console.log(d, (performance.now() - t).toFixed(0)); } });
console.log(r.seconds, r.counts, r.attachments);
