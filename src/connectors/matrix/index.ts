// The Matrix connector: bot mode (one account, any homeserver) or appservice
// mode (ghosts per handle, durable transaction endpoint). Data in from the
// core goes through Outgoing; Matrix events are queued durably, then Incoming
// turns the allowed ones into outbox sends.
import { Appservice, LogService, MatrixClient, MemoryStorageProvider } from 'matrix-bot-sdk';
import type { Logger } from 'pino';
import type { CoreHandle, FateReportingConnector, Refusal, RefusalTellingConnector } from '../../core/connector.ts';
import type { EventEnvelope, SendReceipt } from '../../core/events.ts';
import type { MatrixConfig } from '../../config/schema.ts';
import type { ConnectorKits } from '../../core/kit/index.ts';
import { MatrixApi, whoami } from './api.ts';
import { BotActors, type Actors } from './actors.ts';
import { AppserviceActors } from './ghosts.ts';
import { BotSync } from './botSync.ts';
import { Commands, HELP } from './commands.ts';
import { reportE2ee } from './e2ee.ts';
import { MatrixConfigError, reasonOf } from './errors.ts';
import { reportFate } from './fate.ts';
import { Incoming } from './incoming.ts';
import { InboundWorker } from './inboundWorker.ts';
import { Outgoing } from './outgoing.ts';
import { PortalManager } from './portals.ts';
import { loadRegistration } from './registration.ts';
import { MatrixStore } from './store.ts';
import { mediaRoot, sweepDownloads } from './mediaFiles.ts';
import { TxnServer } from './txnServer.ts';
import { backfillLimits } from '../../core/backfill/limits.ts';
import { openMatrixKit } from './kit.ts';
import type { BackfillLimits } from '../../core/backfill/plan.ts';
import { txnIdFor } from './ids.ts';
import { noticeContent } from './render.ts';

export interface MatrixConnectorDeps {
  /** The core's kits: this connector opens its own (views scoped to its id, the matrix_* tables, its migrations). */
  kits: ConnectorKits;
  displayName(handle: string): string;
  status(): Promise<Record<string, unknown>>;
  log: Logger;
  dataDir: string;
  /** Contact photo for a ghost's avatar, when known. */
  avatar?(handle: string): { data: Buffer; mimeType: string } | null;
  /** Connector id (default "matrix"); tests run two side by side. */
  id?: string;
  /** `bridge.backfill`; `matrix.backfill` overrides it. */
  bridgeBackfill?: { messages?: number; max_age_days?: number };
}

export interface MatrixConnector extends FateReportingConnector, RefusalTellingConnector {
  /** History for new rooms (src/core/backfill): `matrix.backfill` over `bridge.backfill`. */
  readonly backfill: BackfillLimits;
  /** The appservice listener's port (appservice mode, after start). */
  readonly appservicePort: number | null;
  readonly botUserId: string | null;
  /** The management room, once started. */
  readonly managementRoom: string | null;
}

/** Handled inbound events, transaction ids and leftover downloads are kept this long. */
const KEEP_DONE_MS = 3 * 24 * 3600_000;
const KEEP_FAILED_MS = 30 * 24 * 3600_000;

export function createMatrixConnector(config: MatrixConfig, deps: MatrixConnectorDeps): MatrixConnector {
  const id = deps.id ?? 'matrix';
  const log = deps.log.child({ connector: id });
  const kit = openMatrixKit(deps.kits, id);
  const store = new MatrixStore(kit.storage);
  const media = mediaRoot(config.data_dir ?? deps.dataDir);
  const map = kit.messages;
  const portalStore = kit.portals;
  const allowed = new Set([...config.owners, ...config.allowed_users]);
  let core: CoreHandle | null = null;
  let actors: Actors | null = null;
  let portals: PortalManager | null = null;
  let outgoing: Outgoing | null = null;
  let worker: InboundWorker | null = null;
  let sync: BotSync | null = null;
  let server: TxnServer | null = null;
  let mgmt: string | null = null;

  const need = <T>(v: T | null): T => {
    if (v === null) throw new MatrixConfigError('the Matrix connector is not started', 'call start() before delivering events');
    return v;
  };

  async function setUpActors(): Promise<{ actors: Actors; mediaToken: string }> {
    if (config.mode === 'bot') {
      if (!config.access_token) throw new MatrixConfigError('bot mode needs matrix.access_token', 'log in as the bot account (e.g. in Element: Settings → Help & About → Access token) and put it in the config');
      const client = new MatrixClient(config.homeserver_url, config.access_token, new MemoryStorageProvider());
      const userId = await whoami(client, config.homeserver_url);
      return { actors: new BotActors(new MatrixApi(client, userId), deps.displayName), mediaToken: config.access_token };
    }
    const registration = loadRegistration(config);
    const as = new Appservice({
      homeserverName: config.homeserver_name, homeserverUrl: config.homeserver_url,
      port: config.appservice.port, bindAddress: config.appservice.bind_address,
      registration, storage: new MemoryStorageProvider(),
    });
    await whoami(as.botClient, config.homeserver_url);
    const owner = config.owners.find((o) => config.appservice.double_puppet[o]);
    const puppetToken = owner ? config.appservice.double_puppet[owner] : undefined;
    let puppet: MatrixApi | null = null;
    if (owner && puppetToken) {
      const client = new MatrixClient(config.homeserver_url, puppetToken, new MemoryStorageProvider());
      puppet = new MatrixApi(client, await whoami(client, config.homeserver_url));
    }
    const a = new AppserviceActors(as, store, { displayName: deps.displayName, avatar: deps.avatar, log }, puppet);
    server = new TxnServer({
      bindAddress: config.appservice.bind_address, port: config.appservice.port, hsToken: registration.hs_token, store,
      onQueued: () => worker?.wake(), isOurUser: (u) => as.isNamespacedUser(u), log,
    });
    return { actors: a, mediaToken: registration.as_token };
  }

  const statusWithMatrix = async (): Promise<Record<string, unknown>> => ({
    ...(await deps.status()),
    matrix_mode: config.mode,
    matrix_portals: portalStore.all().length,
    matrix_inbound_pending: store.pending(1000).length,
  });

  const connector: MatrixConnector = {
    id,
    get appservicePort() { return server?.port ?? null; },
    get botUserId() { return actors?.bot.userId ?? null; },
    get managementRoom() { return mgmt; },
    get backfill() { return backfillLimits(deps.bridgeBackfill, config.backfill); },

    async start(handle: CoreHandle): Promise<void> {
      core = handle;
      // The SDK logs expected errors (M_NOT_FOUND, M_USER_IN_USE) loudly; we handle them, so keep them at debug.
      const sdk = log.child({ sdk: 'matrix-bot-sdk' });
      LogService.setLogger({
        trace: () => undefined, debug: () => undefined,
        info: (m: string) => sdk.debug({ module: m }, 'sdk info'),
        warn: (m: string, ...a: unknown[]) => sdk.debug({ module: m, detail: String(a[0]) }, 'sdk warning'),
        error: (m: string, ...a: unknown[]) => sdk.debug({ module: m, detail: JSON.stringify(a[0]) }, 'sdk error'),
      });
      reportE2ee(log);
      const pruned = { ...store.prune(KEEP_DONE_MS, KEEP_FAILED_MS), downloads: sweepDownloads(media, handle.filesInUse(), KEEP_DONE_MS) };
      log.debug(pruned, 'pruned old Matrix bookkeeping');
      const made = await setUpActors();
      actors = made.actors;
      if (config.mode === 'appservice') await nameTheBot(actors.bot, store, config.appservice.bot_display_name);
      portals = new PortalManager({ connectorId: id, serverName: config.homeserver_name, spaceName: config.space_name, teamSpace: config.space, owners: config.owners, actors, portals: portalStore, store, displayName: deps.displayName });
      outgoing = new Outgoing({ connectorId: id, actors, portals, map, store, displayName: deps.displayName, log, runs: kit.history });
      const commands = new Commands({ connectorId: id, actors, core: () => need(core), status: statusWithMatrix, managementRoom: () => mgmt });
      const incoming = new Incoming({
        connectorId: id, actors, portals, map, core: () => need(core), allowed, hsUrl: config.homeserver_url,
        mediaToken: made.mediaToken, mediaRoot: media, commands, log,
      });
      worker = new InboundWorker(store, (e) => incoming.handle(e), log, { onParked: (e, reason) => incoming.parked(e, reason) });
      const gathered = await portals.gatherPortals();
      if (gathered.moved) log.info({ moved: gathered.moved }, 'moved existing portals into the Space');
      for (const f of gathered.failed) log.warn({ room: f.roomId, reason: reasonOf(f.error) }, 'could not move a portal into the Space; trying again at the next start');
      mgmt = await portals.ensureManagementRoom(HELP);
      worker.start();
      if (server) await server.start();
      if (config.mode === 'bot' && config.access_token) {
        sync = new BotSync(config.homeserver_url, config.access_token, store, () => worker?.wake(), log);
        sync.start();
      }
      log.info({ mode: config.mode, user: actors.bot.userId }, 'Matrix connector started');
    },

    async stop(): Promise<void> {
      await sync?.stop();
      await server?.stop();
      await worker?.stop();
      sync = null;
    },

    // The core's one mirror policy decides with these (guid, handle, glob, /regex/, name).
    mirroring: { rules: config, nameOf: deps.displayName },
    // The core's send policy: owners and allowed_users (mxids) may send; nobody else.
    sendPermissions: { users: [...allowed], roles: [] },

    async deliver(env: EventEnvelope): Promise<void> {
      await need(outgoing).deliver(env);
    },

    async reportFate(receipt: SendReceipt): Promise<void> {
      await reportFate({ connectorId: id, actors: need(actors), portals: need(portals), store, map }, receipt);
    },

    // The core refused a message (first time for this user and chat): a notice under it, like Discord's.
    async tellRefused(r: Refusal): Promise<void> {
      const roomId = r.origin?.room ?? portals?.roomFor(r.chatGuid) ?? null;
      if (!actors || !roomId || !r.origin) return;
      const text = r.error.code === 'not_allowed'
        ? `${r.from.userId}: this room is mirrored to iMessage, but you aren't allowed to send into it, so your message stayed in Matrix. An owner can add you to matrix.allowed_users.`
        : `${r.from.userId}: ${r.error.message}, so your message stayed in Matrix. ${r.error.advice}`;
      const content = { ...noticeContent(text), 'm.relates_to': { 'm.in_reply_to': { event_id: r.origin.remoteId } } };
      await actors.bot.send(roomId, 'm.room.message', content, txnIdFor(`refused:${r.origin.remoteId}`));
    },
  };
  return connector;
}

/**
 * The appservice bot has no profile of its own: give it its name, once per
 * change (a new display name is a member event in every room it is in).
 */
async function nameTheBot(bot: MatrixApi, store: MatrixStore, name: string): Promise<void> {
  if (store.get('bot_display_name') === name) return;
  await bot.setDisplayName(name);
  store.set('bot_display_name', name);
}

export { E2EE_OFF_LINE } from './e2ee.ts';
export { writeRegistration, buildRegistration, loadRegistration } from './registration.ts';
