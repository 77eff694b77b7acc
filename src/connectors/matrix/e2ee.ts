// matrix-bot-sdk requires the native E2EE library at import time. Installs
// without it get a stub (packages/matrix-sdk-crypto-stub); detect that once so
// portal rooms are created unencrypted and the user is told why, in one line.
import { createRequire } from 'node:module';
import type { Logger } from 'pino';

const require = createRequire(import.meta.url);

export function e2eeAvailable(): boolean {
  try {
    const mod = require('@matrix-org/matrix-sdk-crypto-nodejs') as { isImessageBridgeStub?: boolean };
    return mod.isImessageBridgeStub !== true;
  } catch {
    return false;
  }
}

export const E2EE_OFF_LINE = 'E2EE unavailable: native crypto library not installed; portal rooms are created unencrypted';

/** Log the E2EE state once per connector start. Portals are unencrypted either way (the bridge does not do E2EE). */
export function reportE2ee(log: Logger): boolean {
  const available = e2eeAvailable();
  if (!available) log.warn(E2EE_OFF_LINE);
  return available;
}
