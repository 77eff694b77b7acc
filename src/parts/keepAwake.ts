// bridge.keep_awake as a daemon part: caffeinate for as long as we run.
import type { Config } from '../config/schema.ts';
import type { Part } from '../daemon.ts';
import { keepAwake } from '../service/caffeinate.ts';

export function keepAwakePart(config: Config): Part | null {
  if (!config.bridge.keep_awake) return null;
  let handle: { stop(): void } | null = null;
  return {
    start() { handle = keepAwake({ enabled: true }); },
    stop() { handle?.stop(); handle = null; },
  };
}
