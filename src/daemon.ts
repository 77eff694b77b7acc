// The daemon: the bridge database, the one chat.db handle, the watcher, the
// outbox, the connectors, and whatever other parts (API, service helpers) are
// passed in. Everything in the process reads chat.db through that handle (see
// imessage/db/handle.ts for why there must be exactly one). Shuts down
// cleanly: stop taking sends, stop reading chat.db, drain deliveries in
// flight, stop the parts, close the databases.
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { Connector } from './core/connector.ts';
import { BridgeCore } from './core/core.ts';
import { openBridgeDb, type BridgeDb } from './core/db/bridgeDb.ts';
import { ConnectorKits } from './core/kit/index.ts';
import type { MessageSender } from './core/outbox/outbox.ts';
import { ChatDbHandle } from './imessage/db/handle.ts';
import { AppleScriptSender } from './imessage/send/index.ts';
import { configureMedia } from './media/index.ts';
import { apiUploadDir, outgoingDir } from './paths.ts';

/** `chatDb`: the process's one chat.db handle; read through it, never open chat.db yourself, never close it. */
export interface Part { start(core: BridgeCore, db: BridgeDb, chatDb: ChatDbHandle): Promise<void> | void; stop(): Promise<void> | void }

/** What connector factories get: kits from the core (never the bridge database itself), the log, the config, the chat.db handle. */
export interface ConnectorDeps { kits: ConnectorKits; log: Logger; config: Config; chatDb: ChatDbHandle }

export interface BridgeOptions {
  config: Config;
  /** The connectors, or a factory that gets the core's connector kits. */
  connectors: Connector[] | ((deps: ConnectorDeps) => Connector[] | Promise<Connector[]>);
  extraParts?: Part[];
  log: Logger;
  /** Defaults to osascript (config imessage.send). */
  sender?: MessageSender;
  /** Install SIGTERM/SIGINT handlers that stop the bridge and exit (default true). */
  handleSignals?: boolean;
}

export interface RunningBridge { core: BridgeCore; db: BridgeDb; chatDb: ChatDbHandle; stop(): Promise<void> }

/** The home chat.db lives under (`<home>/Library/Messages/chat.db`), for attachment staging. */
export function homeOf(chatDbPath: string): string {
  const messages = dirname(chatDbPath);
  const library = dirname(messages);
  return basename(messages) === 'Messages' && basename(library) === 'Library' ? dirname(library) : homedir();
}

export class BridgeDbError extends Error {
  override readonly name = 'BridgeDbError';
  readonly exitCode = 8;
  constructor(message: string, readonly advice: string, options?: { cause?: unknown }) { super(message, options); }
}

/** The bridge database, or an error that names the file (bridge.database) and what to do. */
export function openBridgeDatabase(path: string): BridgeDb {
  try {
    return openBridgeDb(path);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const code = e.code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new BridgeDbError(`The bridge database ${path} (bridge.database) is not a SQLite database the bridge can use.`,
        'Point bridge.database at a new file (it is created) or at the bridge\'s own database; never at chat.db or another file.', { cause: err });
    }
    throw new BridgeDbError(`The bridge database ${path} (bridge.database) could not be opened: ${e.message ?? String(err)}.`,
      'Check that bridge.database names a file in a folder this user can write.', { cause: err });
  }
}

export async function startBridge(o: BridgeOptions): Promise<RunningBridge> {
  const im = o.config.imessage;
  const home = homeOf(im.chat_db);
  const chatDb = ChatDbHandle.open(im.chat_db, { home });
  let db: BridgeDb;
  try {
    db = openBridgeDatabase(o.config.bridge.database);
  } catch (err) {
    chatDb.close();
    throw err;
  }
  // One converter for the whole process (connectors and API share it), set
  // from bridge.media; its cache defaults to a folder next to bridge.database.
  configureMedia(o.config.bridge.media, o.config.bridge.database);
  // Files may be sent from the configured folders and from the bridge's own
  // staging folders (connector downloads, API uploads) — nothing else.
  const allowedFileDirs = [...im.send.allowed_file_dirs, outgoingDir(o.config), apiUploadDir(o.config.bridge.database), ...(o.config.matrix?.data_dir ? [o.config.matrix.data_dir] : [])];
  const sender = o.sender ?? new AppleScriptSender({ osascript: im.send.osascript, home, timeoutMs: im.send.timeout_ms, allowedFileDirs, maxFileBytes: im.send.max_file_bytes });
  let core: BridgeCore | null = null;
  const parts = o.extraParts ?? [];
  const started: Part[] = [];
  try {
    const connectors = typeof o.connectors === 'function' ? await o.connectors({ kits: new ConnectorKits(db), log: o.log, config: o.config, chatDb }) : o.connectors;
    core = new BridgeCore({
      db, chatDbPath: im.chat_db, chatDb, sender, connectors, log: o.log, confirmTimeoutMs: im.send.confirm_timeout_ms, region: im.default_region,
      watch: { home, pollIntervalMs: im.poll_interval_ms, debounceMs: im.debounce_ms, rescanWindowMs: im.rescan_window_ms, orphanRetryMs: im.orphan_retry_ms, flipHoldMs: im.flip_hold_ms, fileEvents: im.file_events },
    });
    await core.start();
    for (const p of parts) { await p.start(core, db, chatDb); started.push(p); }
  } catch (err) {
    for (const p of started.reverse()) await Promise.resolve(p.stop()).catch(() => undefined);
    await core?.stop().catch(() => undefined);
    db.close();
    chatDb.close();
    throw err;
  }
  const running = core;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= (async () => {
    o.log.info('stopping the bridge');
    for (const p of [...started].reverse()) {
      try { await p.stop(); } catch (err) { o.log.warn({ err }, 'a part did not stop cleanly'); }
    }
    await running.stop();
    if (sender instanceof AppleScriptSender) await sender.dispose();
    db.close();
    chatDb.close();
    o.log.info('bridge stopped');
  })());
  if (o.handleSignals !== false) {
    const onSignal = (sig: NodeJS.Signals): void => {
      o.log.info({ signal: sig }, 'shutting down');
      stop().then(() => process.exit(0), (err: unknown) => { o.log.error({ err }, 'shutdown failed'); process.exit(1); });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  o.log.info({ chatDb: im.chat_db, database: o.config.bridge.database }, 'bridge running');
  return { core: running, db, chatDb, stop };
}
