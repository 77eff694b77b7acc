// A connector's backfill limits: its own keys where set, else the bridge's, else the defaults.
import { DEFAULT_LIMITS, type BackfillLimits } from './plan.ts';

interface Keys { messages?: number | undefined; max_age_days?: number | undefined }

export function backfillLimits(bridge: Keys | undefined, own: Keys | undefined): BackfillLimits {
  return {
    messages: own?.messages ?? bridge?.messages ?? DEFAULT_LIMITS.messages,
    maxAgeDays: own?.max_age_days ?? bridge?.max_age_days ?? DEFAULT_LIMITS.maxAgeDays,
  };
}
