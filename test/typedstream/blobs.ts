// The real attributedBody blobs of ../shared/typedstream and their manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = join(import.meta.dirname, '../../../shared');
const DIR = join(SHARED, 'typedstream');

export interface ManifestEntry { file: string; size: number; sha1: string; text: string | null; expect?: 'error' }

export const MANIFEST = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];

export function blob(name: string): Buffer {
  return readFileSync(join(DIR, name));
}

/** Every blob that must decode (all but the deliberately corrupt one). */
export const GOOD = MANIFEST.filter((m) => m.expect !== 'error').map((m) => ({ ...m, text: m.text ?? '', bytes: blob(m.file) }));
