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
