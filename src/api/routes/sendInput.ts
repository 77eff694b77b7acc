// Parsing a send request (JSON or multipart) into one validated shape.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { parse } from '../params.ts';

// NUL and control characters have no place in a chat guid or a handle, and a
// NUL would truncate the string where it becomes an osascript argument.
const noControl = (s: string): boolean => !/[\u0000-\u001f\u007f]/.test(s); // eslint-disable-line no-control-regex -- that is the point
const CONTROL_MESSAGE = 'must not contain control characters';

const handle = z.string().refine(noControl, CONTROL_MESSAGE).transform((s) => s.trim())
  .pipe(z.string().regex(/^(\+[1-9]\d{5,14}|[^\s@]+@[^\s@]+\.[^\s@]+)$/, 'expected an E.164 phone number (+15551234567) or an email address'));

/**
 * Text is limited in UTF-8 bytes, the unit that matters downstream: the text
 * becomes one osascript argv string, and macOS caps each at 128 KiB. Counting
 * UTF-16 units instead would refuse 100 KB of emoji that fits comfortably.
 */
export const MAX_TEXT_BYTES = 120_000;

export const sendBody = z.object({
  chat: z.string().min(1).max(300).refine(noControl, CONTROL_MESSAGE).optional(),
  to: handle.optional(),
  text: z.string().refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_TEXT_BYTES, `at most ${MAX_TEXT_BYTES} bytes of UTF-8`).optional(),
  send_at: z.iso.datetime({ offset: true }).optional().describe('Send later, at this ISO 8601 time (text only; within a year). Listed by GET /v1/scheduled, cancelled by DELETE /v1/scheduled/{id}'),
}).strict()
  .refine((b) => (b.chat === undefined) !== (b.to === undefined), { message: 'give exactly one of `chat` (a chat guid) or `to` (a handle)' });

export type SendBody = z.infer<typeof sendBody>;

export interface SendInput extends SendBody {
  file?: { path: string; name: string; dir: string };
}

const safeName = (name: string): string => basename(name).replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'file';

export async function readSendInput(req: FastifyRequest, uploadDir: string): Promise<SendInput> {
  if (!req.isMultipart()) {
    const body = parse(sendBody, req.body, 'invalid_body');
    if (!body.text?.trim()) throw new ApiError('invalid_body', 'text: a message needs text (or send multipart with a file).');
    return body;
  }
  if (!/;\s*boundary=("[^"]+"|[^\s;]+)/i.test(req.headers['content-type'] ?? '')) {
    throw new ApiError('invalid_body', 'A multipart/form-data body needs a boundary parameter in its Content-Type.', 'Let your HTTP library build the multipart body (it adds `; boundary=...`), or send application/json.');
  }
  const fields: Record<string, string> = {};
  let file: SendInput['file'];
  // The staging folder exists from the first byte written; any rejection
  // below (too large, a second file, a bad field) must not leave it behind.
  let dir: string | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (dir) throw new ApiError('invalid_body', 'Send one file per message.');
        dir = join(uploadDir, randomUUID());
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const name = safeName(part.filename);
        const path = join(dir, name);
        await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
        if (part.file.truncated) throw new ApiError('body_too_large', 'The file is larger than api.file_limit_bytes.');
        file = { path, name, dir };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    const body = parse(sendBody, fields, 'invalid_body');
    if (!file && !body.text?.trim()) throw new ApiError('invalid_body', 'A message needs text or a file.');
    return { ...body, ...(file ? { file } : {}) };
  } catch (err) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw malformedMultipart(err) ?? err;
  }
}

// busboy's errors on a broken body (truncated, bad part headers) are the
// client's mistake: a 400 that says so, never a 500.
const BUSBOY_CLIENT_ERRORS = /^(Unexpected end of multipart data|.* terminated early due to unexpected end of multipart data|Multipart: Boundary not found|Boundary required|Missing Content-Type-header|Unsupported Content-Type)/;
function malformedMultipart(err: unknown): ApiError | null {
  if (err instanceof ApiError || !(err instanceof Error) || !BUSBOY_CLIENT_ERRORS.test(err.message)) return null;
  return new ApiError('invalid_body', `The multipart body is malformed: ${err.message}.`, 'Let your HTTP library build the multipart body, or send application/json.');
}
