// One table maps every API error code to its HTTP status; handlers throw
// ApiError with a code and a plain-language message, never a status.
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_body: 400,
  bad_cursor: 400,
  bad_query: 400,
  token_in_query: 400,
  unauthorized: 401,
  forbidden_scope: 403,
  send_not_allowed: 403,
  bad_host: 421,
  not_found: 404,
  method_not_allowed: 405,
  unknown_chat: 404,
  unknown_message: 404,
  unknown_attachment: 404,
  unknown_send: 404,
  not_cancellable: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly status: number;
  /** Response headers that belong with this error (Retry-After on 429, Allow on 405). */
  readonly headers: Record<string, string> = {};
  constructor(readonly code: ErrorCode, message: string, readonly advice?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  toJson(): { error: { code: ErrorCode; message: string; advice?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.advice ? { advice: this.advice } : {}) } };
  }
}

/** Map fastify's own errors (body parsing, limits, 404s) onto the table. */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string }): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new ApiError('body_too_large', 'The request body is larger than the configured limit.', 'Raise api.body_limit_bytes or api.file_limit_bytes, or send less.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'Unsupported Content-Type; use application/json or multipart/form-data.');
    case 'FST_ERR_VALIDATION':
      return new ApiError('bad_request', err.message);
  }
  if (err.statusCode === 429) return new ApiError('rate_limited', 'Too many requests; slow down.').withHeader('retry-after', '60');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new ApiError('bad_request', err.message);
  return new ApiError('internal', 'Internal error.');
}
