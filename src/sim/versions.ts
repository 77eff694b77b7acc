// What each simulated macOS version's Messages writes differently. The
// columns themselves come from the real schemas; these are the behaviours
// that a column list alone does not tell.

export type MacosVersion = 'el-capitan' | 'high-sierra' | 'catalina' | 'big-sur' | 'monterey' | 'ventura' | 'sonoma' | 'sequoia' | 'tahoe';

export const MACOS_VERSIONS: readonly MacosVersion[] = ['el-capitan', 'high-sierra', 'catalina', 'big-sur', 'monterey', 'ventura', 'sonoma', 'sequoia', 'tahoe'];

export interface VersionTraits {
  /** Dates in seconds (before High Sierra) or nanoseconds since 2001-01-01. */
  dateUnit: 's' | 'ns';
  /** Ventura on: `text` NULL, the body only in attributedBody. */
  bodyOnlyInAttributedBody: boolean;
  /** High Sierra on: attributedBody written alongside `text`. */
  writesAttributedBody: boolean;
  /** macOS 26: chat guids use the `any;` service prefix. */
  anyChatGuids: boolean;
  /** Sonoma on: stickers can be placed as tapbacks (2007). */
  stickerTapbacks: boolean;
}

const ORDER = new Map(MACOS_VERSIONS.map((v, i) => [v, i]));

/** Whether `v` is `since` or newer. */
export function atLeast(v: MacosVersion, since: MacosVersion): boolean {
  return (ORDER.get(v) ?? 0) >= (ORDER.get(since) ?? 0);
}

export function traitsOf(v: MacosVersion): VersionTraits {
  return {
    dateUnit: atLeast(v, 'high-sierra') ? 'ns' : 's',
    bodyOnlyInAttributedBody: atLeast(v, 'ventura'),
    writesAttributedBody: atLeast(v, 'high-sierra'),
    anyChatGuids: v === 'tahoe',
    stickerTapbacks: atLeast(v, 'sonoma'),
  };
}

export function isMacosVersion(v: unknown): v is MacosVersion {
  return typeof v === 'string' && ORDER.has(v as MacosVersion);
}
