// Part ids: which remote message of an iMessage a map row stands for. Their
// meaning is the connector's (Discord posts a long text as several messages
// with its files on the last; Matrix posts the text and each attachment as
// separate events), so each connector defines its own typed part and a codec
// to the one integer column `message_map.part`. The core never reads a part.
export interface PartCodec<P> {
  encode(part: P): number;
  /** Throws on a number the connector never wrote (a foreign or corrupt row). */
  decode(stored: number): P;
  /** Earlier encodings of the same part that old rows may still hold; lookups try them after `encode`'s. */
  older?(part: P): number[];
}

/** The stored integer as is: for tests and connectors with one message per iMessage. */
export const plainParts: PartCodec<number> = { encode: (n) => n, decode: (n) => n };
