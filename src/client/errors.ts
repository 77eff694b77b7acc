// The one error a client call throws for an answer that is not a success:
// the API's own {error: {code, message, advice}} with the HTTP status.
import type { ErrorCode } from './types.js';

export class BridgeApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's error code, or `http_<status>` when the body was not the API's error JSON. */
    readonly code: ErrorCode | `http_${number}`,
    message: string,
    readonly advice?: string,
    /** From Retry-After on a 429/503, in seconds. */
    readonly retryAfter?: number,
  ) {
    super(advice ? `${message} ${advice}` : message);
    this.name = 'BridgeApiError';
  }

  /** A wrong or revoked token, or one without the scope: retrying cannot help. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }

  static async from(res: Response): Promise<BridgeApiError> {
    const text = await res.text().catch(() => '');
    let body: { error?: { code?: string; message?: string; advice?: string } } = {};
    try { body = JSON.parse(text) as typeof body; } catch { /* not JSON: keep the status */ }
    const retry = Number(res.headers.get('retry-after'));
    const e = body.error;
    return new BridgeApiError(
      res.status,
      (e?.code as ErrorCode | undefined) ?? `http_${res.status}`,
      e?.message ?? `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      e?.advice,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
}
