// The real attributedBody blobs of test/fixtures/typedstream and their manifest
// (provenance and licence: test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures');
/** @deprecated the old name of FIXTURES, kept so suites that import it need no edit. */
export const SHARED = FIXTURES;
const DIR = join(FIXTURES, 'typedstream');

export interface ManifestEntry { file: string; size: number; sha1: string; text: string | null; expect?: 'error' }

export const MANIFEST = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];

export function blob(name: string): Buffer {
  return readFileSync(join(DIR, name));
}

/** Every blob that must decode (all but the deliberately corrupt one). */
export const GOOD = MANIFEST.filter((m) => m.expect !== 'error').map((m) => ({ ...m, text: m.text ?? '', bytes: blob(m.file) }));
