// The public shape of a decoded message body. Offsets and lengths count UTF-16
// code units, the unit of both NSString and JavaScript strings.

export interface AttributeRun {
  start: number;
  length: number;
  /** `__kIMMessagePartAttributeName`: which message part this range belongs to. */
  part?: number;
  /** `__kIMFileTransferGUIDAttributeName`: the attachment behind a U+FFFC. */
  attachmentGuid?: string;
  /** `__kIMFilenameAttributeName`. */
  filename?: string;
  /** `__kIMLinkAttributeName` (an NSURL or NSString). */
  link?: string;
  /** `__kIMMentionConfirmedMention`: the handle (phone or email) mentioned. */
  mention?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  /** `__kIMTextEffectAttributeName`: Apple's animated text effect id. */
  textEffect?: number;
  /** `__kIMBaseWritingDirectionAttributeName` (-1 natural, 0 LTR, 1 RTL). */
  writingDirection?: number;
  /** A data detector matched this range (`__kIMDataDetectedAttributeName`, money, dates, addresses…). */
  dataDetected?: boolean;
  /** Attribute names present on this range that have no field above. */
  otherAttributes?: string[];
}

export interface DecodedBody { text: string; runs: AttributeRun[] }

export interface EncodeOptions {
  /** Default: one run, part 0, over the whole text. Attachments are U+FFFC characters whose run carries `attachmentGuid`. */
  runs?: AttributeRun[];
  /** Write NSAttributedString/NSString instead of the mutable classes (Messages writes both kinds). */
  immutable?: boolean;
}
