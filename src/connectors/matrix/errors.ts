// Errors with structured fields and plain-language advice.
export class MatrixConnectorError extends Error {
  constructor(message: string, readonly code: string, readonly advice: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'MatrixConnectorError';
  }
}

export class HomeserverUnreachableError extends MatrixConnectorError {
  constructor(url: string, cause: string) {
    super(`Matrix homeserver ${url} is not reachable: ${cause}`, 'homeserver_unreachable',
      'check that the homeserver is running and that matrix.homeserver_url is right; events are kept and retried once it is back', { url, cause });
    this.name = 'HomeserverUnreachableError';
  }
}

export class MatrixConfigError extends MatrixConnectorError {
  constructor(message: string, advice: string) {
    super(message, 'matrix_config', advice);
    this.name = 'MatrixConfigError';
  }
}

/** Short human reason for any thrown value (never includes tokens: the SDK's errors don't carry them). */
export function reasonOf(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { errcode?: unknown; error?: unknown; message?: unknown; body?: { errcode?: unknown; error?: unknown } };
    const errcode = o.errcode ?? o.body?.errcode;
    const error = o.error ?? o.body?.error;
    if (typeof errcode === 'string') return `${errcode}: ${typeof error === 'string' ? error : ''}`.trim();
    if (typeof o.message === 'string') return o.message;
  }
  return String(e);
}

export const errcodeOf = (e: unknown): string | undefined => {
  const o = e as { errcode?: unknown; body?: { errcode?: unknown } } | null;
  const c = o?.errcode ?? o?.body?.errcode;
  return typeof c === 'string' ? c : undefined;
};

const PERMANENT_CODES = new Set(['bad_mxc', 'media_too_large']);

export function statusOf(e: unknown): number | undefined {
  const o = e as { statusCode?: unknown; status?: unknown; details?: { status?: unknown } } | null;
  const s = o?.statusCode ?? o?.details?.status ?? o?.status;
  return typeof s === 'number' ? s : undefined;
}

/** A socket/DNS/timeout failure (fetch's TypeError carries it in `cause`). */
function isNetworkError(e: unknown): boolean {
  for (let x = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; x && depth < 4; x = x.cause as typeof x, depth++) {
    if (x instanceof HomeserverUnreachableError) return true;
    if (typeof x.code === 'string' && /^E[A-Z_]+$/.test(x.code)) return true;
    if (x.name === 'AbortError' || x.name === 'TimeoutError' || x.message === 'fetch failed') return true;
  }
  return false;
}

export type Retryability = 'transient' | 'permanent' | 'unknown';

/**
 * Whether retrying later can help. Unreachable, 5xx and 429 are transient
 * (say nothing about the event); any other 4xx and bad input we detected
 * ourselves are permanent; anything else (a bug?) is unknown.
 */
export function retryability(e: unknown): Retryability {
  if (e instanceof MatrixConnectorError && PERMANENT_CODES.has(e.code)) return 'permanent';
  if (errcodeOf(e) === 'M_LIMIT_EXCEEDED') return 'transient';
  const status = statusOf(e);
  if (status !== undefined) return status === 429 || status >= 500 ? 'transient' : 'permanent';
  return isNetworkError(e) ? 'transient' : 'unknown';
}
