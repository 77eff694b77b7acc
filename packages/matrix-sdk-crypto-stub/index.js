'use strict';
// matrix-bot-sdk requires this module eagerly at import time, but only touches
// StoreType unless E2EE is switched on. Export just that, and fail loudly if
// anything tries to use real crypto, so E2EE can never silently half-work.
const unavailable = new Proxy({}, {
  get(_t, prop) {
    if (prop === 'StoreType') return { Sled: 0, Sqlite: 1 };
    if (prop === '__esModule') return false;
    if (prop === 'isImessageBridgeStub') return true;
    if (typeof prop === 'symbol' || prop === 'then') return undefined;
    throw new Error(`E2EE is unavailable: the native @matrix-org/matrix-sdk-crypto-nodejs library is not installed (tried to use ${String(prop)})`);
  },
});
module.exports = unavailable;
