// Query/body validation with zod; every failure becomes a 400 with the field.
import { z } from 'zod';
import { ApiError, type ErrorCode } from './errors.ts';

export function parse<T extends z.ZodType>(schema: T, value: unknown, code: ErrorCode = 'bad_request'): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
  throw new ApiError(code, `${where}${first?.message ?? 'invalid input'}`);
}

export const rowidParam = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const limitParam = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);

/** Epoch ms, or an ISO 8601 date/time. */
export const timeParam = z.string().transform((s, ctx) => {
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date' });
    return z.NEVER;
  }
  return n;
});
