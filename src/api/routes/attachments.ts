// Streams an attachment file. Only a path that chat.db names AND that resolves
// (symlinks followed) inside <home>/Library/Messages/Attachments is served, so
// neither `..` nor a symlink can reach anything else. By default the playable
// version is served (HEIC as JPEG, voice as Ogg Opus; src/media), `?original=1`
// gives the file exactly as Messages stored it.
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { parse } from '../params.ts';
import { mediaConverter } from '../../media/index.ts';

const INLINE_TYPES = /^(image\/(png|jpeg|gif|heic|heif|webp)|video\/(mp4|quicktime)|audio\/(mpeg|mp4|x-m4a|aac|x-caf|ogg))$/;

export function resolveServable(home: string, path: string | null): string | null {
  if (!path) return null;
  let root: string;
  let real: string;
  try {
    root = realpathSync(join(home, 'Library', 'Messages', 'Attachments'));
    real = realpathSync(path.startsWith('~/') ? join(home, path.slice(2)) : path);
  } catch {
    return null;
  }
  if (!real.startsWith(root + sep)) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

const contentDisposition = (inline: boolean, name: string): string => {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
};

const params = z.object({ guid: z.string().min(1).max(200), part: z.coerce.number().int().min(0).max(1000) });
const query = z.object({ original: z.enum(['0', '1', 'true', 'false']).optional() });

export function registerAttachmentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/attachments/:guid/:part', { config: { scope: 'read' } }, async (req, reply) => {
    const p = parse(params, req.params);
    const att = ctx.source.reader.attachment(p.guid, p.part);
    const servable = att ? resolveServable(ctx.home, att.path) : null;
    if (!att || !servable) throw new ApiError('unknown_attachment', `No downloadable attachment ${p.part} on message ${JSON.stringify(p.guid)}.`, 'The file may not be downloaded by Messages yet, or lies outside the Messages attachment folder.');
    const original = ['1', 'true'].includes(parse(query, req.query).original ?? '0');
    // A failed conversion comes back as the original file (its notice is for chat posts, not here).
    const file = original ? { path: servable, mime: att.mimeType ?? 'application/octet-stream', name: att.transferName ?? `attachment-${p.part}` }
      : await mediaConverter().prepare({ ...att, path: servable });
    const inline = INLINE_TYPES.test(file.mime);
    return reply
      .header('content-type', inline ? file.mime : 'application/octet-stream')
      .header('content-length', statSync(file.path).size)
      .header('content-disposition', contentDisposition(inline, file.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=3600')
      .send(createReadStream(file.path));
  });
}
