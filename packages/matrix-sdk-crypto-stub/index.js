'use strict';
// matrix-bot-sdk requires this module eagerly at import time, but only touches
// StoreType unless E2EE is switched on.
//
// Where the real native library is installed (the optional dependency alias
// `@matrix-org/matrix-sdk-crypto-nodejs-real`, whose postinstall downloaded
// its binary), re-export it unchanged. Otherwise export just StoreType, and
// fail loudly if anything tries to use real crypto, so E2EE can never
// silently half-work. `isImessageBridgeStub` tells the two apart.
function loadReal() {
  try {
    // Resolves only when the alias is installed AND its native binary loads.
    return require('@matrix-org/matrix-sdk-crypto-nodejs-real');
  } catch {
    return null;
  }
}

const real = loadReal();

const unavailable = new Proxy({}, {
  get(_t, prop) {
    if (prop === 'StoreType') return { Sled: 0, Sqlite: 1 };
    if (prop === '__esModule') return false;
    if (prop === 'isImessageBridgeStub') return true;
    if (typeof prop === 'symbol' || prop === 'then') return undefined;
    throw new Error(`E2EE is unavailable: the native @matrix-org/matrix-sdk-crypto-nodejs library is not installed (tried to use ${String(prop)})`);
  },
});

module.exports = real ?? unavailable;
