// Apple typedstream (`message.attributedBody`) codec: the public API.
export type { AttributeRun, DecodedBody, EncodeOptions } from './types.ts';
export { TypedstreamError, AttributedBodyEncodeError } from './errors.ts';
export { decodeAttributedBody, decodeAttributedBodyText, tryDecodeAttributedBody } from './decoder.ts';
export { encodeAttributedBody } from './encoder.ts';
