import type { Config } from '../../config/schema.ts';
import type { CommandRunner } from '../runner.ts';

/** Everything a check may touch, injectable so tests make each check fail once. */
export interface DoctorEnv {
  config: Config;
  configPath: string | null;
  home: string;
  uid: number;
  platform: NodeJS.Platform;
  /** The binary macOS holds responsible for file access (node under launchd, else the terminal). */
  execPath: string;
  termProgram: string | undefined;
  run: CommandRunner;
  fetch: typeof fetch;
  freeBytes(path: string): number;
  /** PATH searched for the media converters (ffmpeg, sips, afconvert). */
  toolPath: string;
  serviceLabel: string;
}

export interface CheckResult {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  /** The exact fix, for a failed check. */
  fix?: string;
}

export type Check = (env: DoctorEnv) => Promise<CheckResult | null>;
