// Byte-level constants of Apple's typedstream (NSArchiver) format. Values are
// signed bytes; -128..-111 are tags, everything else is a literal small integer.

export const TAG_INTEGER_2 = -127; // 0x81: int16 follows
export const TAG_INTEGER_4 = -126; // 0x82: int32 follows
export const TAG_FLOATING_POINT = -125; // 0x83: float32/float64 follows (int64 in integer context)
export const TAG_NEW = -124; // 0x84: a literal string/class/object follows
export const TAG_NIL = -123; // 0x85
export const TAG_END_OF_OBJECT = -122; // 0x86
export const FIRST_TAG = -128;
export const LAST_TAG = -111;
/** Reference number of table entry 0 (0x92); entry n is written as n - 110. */
export const FIRST_REFERENCE = -110;

export const STREAMER_VERSION = 4;
export const SYSTEM_VERSION_MAC_OS_X = 1000;
export const SIGNATURE_LE = 'streamtyped';
export const SIGNATURE_BE = 'typedstream';

export const KEY = {
  part: '__kIMMessagePartAttributeName',
  attachmentGuid: '__kIMFileTransferGUIDAttributeName',
  filename: '__kIMFilenameAttributeName',
  link: '__kIMLinkAttributeName',
  mention: '__kIMMentionConfirmedMention',
  bold: '__kIMTextBoldAttributeName',
  italic: '__kIMTextItalicAttributeName',
  underline: '__kIMTextUnderlineAttributeName',
  strikethrough: '__kIMTextStrikethroughAttributeName',
  textEffect: '__kIMTextEffectAttributeName',
  writingDirection: '__kIMBaseWritingDirectionAttributeName',
  dataDetected: '__kIMDataDetectedAttributeName',
} as const;
