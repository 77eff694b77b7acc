// Discord ids are 64-bit snowflakes (ms since the Discord epoch << 22). Real
// ones are 17–19 digits, and discord.js buckets routes by matching \d{17,19},
// so the fake must never hand out short ids.
const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
let lastMs = 0n;

export function snowflake(): string {
  let ms = BigInt(Date.now()) - DISCORD_EPOCH;
  if (ms <= lastMs) ms = lastMs; // monotonic even when the clock stalls
  if (ms !== lastMs) increment = 0n;
  lastMs = ms;
  const id = (ms << 22n) | (1n << 17n) | (increment++ & 0xfffn);
  return id.toString();
}

/** Snowflakes order by creation time; compare them as big integers. */
export const snowflakeCompare = (a: string, b: string): number => {
  const x = BigInt(a), y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export const isSnowflake = (s: string): boolean => /^\d{17,19}$/.test(s);
