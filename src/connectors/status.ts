// Bridge health for the connectors' status commands: the core reads its own
// tables (src/core/status.ts); this only keeps the connectors' import path.
export { bridgeStatus } from '../core/status.ts';
