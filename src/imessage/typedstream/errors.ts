// Errors of the typedstream codec. A corrupt blob is an ordinary event in a
// chat.db (partial writes, foreign tools), so decoding reports it as a value
// with the byte offset where the stream stopped making sense.

export class TypedstreamError extends Error {
  override readonly name = 'TypedstreamError';
  /** Byte offset into the blob where decoding failed (-1 when not tied to a position). */
  readonly offset: number;
  readonly advice: string;

  constructor(message: string, offset: number, advice = 'The attributedBody blob is corrupt or not an NSAttributedString typedstream; fall back to the message\'s text column.') {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
    this.advice = advice;
  }
}

/** Thrown by the encoder when the caller's runs do not describe the text. */
export class AttributedBodyEncodeError extends Error {
  override readonly name = 'AttributedBodyEncodeError';
  readonly advice = 'Pass runs that are contiguous, non-empty and cover the whole text, measured in UTF-16 code units.';
}
