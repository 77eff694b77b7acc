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

// A query string's `?after=` is "", which coercion would read as 0 (and so
// answer something the caller did not ask for): an empty value is refused.
const blankAsMissing = (v: unknown): unknown => (v === '' ? undefined : v);
const queryNumber = () => z.coerce.number({ error: (i) => (i.input === undefined ? 'a number is required (the value is empty)' : 'expected a whole number') });

export const rowidParam = z.preprocess(blankAsMissing, queryNumber().int().min(0).max(Number.MAX_SAFE_INTEGER));
export const limitParam = (def: number, max: number) => z.preprocess(blankAsMissing, queryNumber().int().min(1).max(max).optional()).transform((n) => n ?? def);

/**
 * Epoch ms, or an ISO 8601 date or date-time. Its document says exactly
 * that (a union with formats), so a generated client or fuzzer sends what is
 * accepted.
 */
export const timeParam = z.union([z.string().regex(/^\d{1,15}$/), z.iso.datetime({ offset: true, local: true }), z.iso.date()]).transform((s, ctx) => {
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date' });
    return z.NEVER;
  }
  return n;
});
