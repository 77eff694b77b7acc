// The Discord connector: wires the discord.js client to the core. Conversion,
// portals, webhooks, inbound relay, fate and commands live in their own modules.
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import type { DiscordConfig } from '../../config/schema.ts';
import type { CoreHandle, FateReportingConnector, MirrorSettings, ReconcilingConnector, Refusal, RefusalTellingConnector, SendPermissions } from '../../core/connector.ts';
import type { EventEnvelope, SendReceipt } from '../../core/events.ts';
import type { ConnectorKits, MessageMapView } from '../../core/kit/index.ts';
import { FIRST_POST, type DiscordPart } from './parts.ts';
import type { ChatGuid } from '../../ids.ts';
import type { Chat } from '../../imessage/model.ts';
import { createClient } from './client.ts';
import { handleCommand, registerCommands, type CommandActions } from './commands.ts';
import { buildCommandActions } from './commandActions.ts';
import { CatchUp } from './catchUp.ts';
import { sweepDownloads } from './downloads.ts';
import { DiscordConnectorError, loginError } from './errors.ts';
import { FateReactions } from './fate.ts';
import { Inbound } from './inbound.ts';
import { Outbound } from './outbound.ts';
import { deniedNotice, permissionsOf } from './permissions.ts';
import { CONNECTOR, Portals, type DiscordPortal, type NewPortal } from './portals.ts';
import { RecentIds } from './recentIds.ts';
import { reconcileDelivery } from './reconcile.ts';
import { discordCodeOf } from './requestErrors.ts';
import { channelName, chatTitle, chatTopic } from './toDiscord.ts';
import { WebhookSender } from './webhookSender.ts';
import { openDiscordKit, type DiscordKit } from './kit.ts';
import { DiscordHistory, EarlierThreads } from './history.ts';
import { Pacer } from '../../core/backfill/pace.ts';
import { backfillLimits } from '../../core/backfill/limits.ts';
import type { BackfillLimits } from '../../core/backfill/plan.ts';

export interface DiscordDeps {
  /** The core's kits: this connector opens its own (views scoped to `discord`, its migrations). */
  kits: ConnectorKits;
  displayName(handle: string): string;
  status(): Promise<Record<string, unknown>>;
  log: Logger;
  downloadDir: string;
  /** Find a known chat for a handle (for /imessage new and link); defaults to a new 1:1 chat. */
  resolveChat?(query: string): Chat | null;
  /** `bridge.backfill`; `discord.backfill` overrides it. */
  bridgeBackfill?: { messages?: number; max_age_days?: number };
}

interface Running { client: Client<true>; portals: Portals; outbound: Outbound; inbound: Inbound; fate: FateReactions; catchUp: CatchUp; history: DiscordHistory }

export class DiscordConnector implements ReconcilingConnector, FateReportingConnector, RefusalTellingConnector {
  readonly id = CONNECTOR;
  private readonly kit: DiscordKit;
  private readonly map: MessageMapView<DiscordPart>;
  private readonly recentlySent = new RecentIds();
  private core: CoreHandle | null = null;
  private run: Running | null = null;

  constructor(private readonly config: DiscordConfig, private readonly deps: DiscordDeps) {
    this.kit = openDiscordKit(deps.kits);
    this.map = this.kit.messages;
  }

  async start(core: CoreHandle): Promise<void> {
    this.core = core;
    const client = createClient(this.config.api_url);
    const log = this.deps.log;
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    try {
      await client.login(this.config.token);
    } catch (e) {
      await client.destroy();
      throw loginError(e);
    }
    await ready;
    const c = client as Client<true>;
    if (!c.guilds.cache.has(this.config.guild_id)) {
      await client.destroy();
      throw new DiscordConnectorError('no_guild', `The bot is not in guild ${this.config.guild_id}.`, 'Invite the bot to the server (OAuth2 URL with the bot and applications.commands scopes) and check discord.guild_id.');
    }
    const sender = new WebhookSender(client.rest);
    const portals = new Portals(this.kit.portals, client, sender, this.config, this.config.guild_id);
    const fate = new FateReactions(client.rest, log, this.recentlySent);
    const outbound = new Outbound({ client, sender, map: this.map, nameOf: this.deps.displayName, guildId: this.config.guild_id, log, settings: this.config, recentlySent: this.recentlySent });
    const inbound = new Inbound({
      core: () => this.requireCore(), portals, fate, botUserId: () => c.user.id, recentlySent: this.recentlySent,
      settings: this.config, downloadDir: this.deps.downloadDir, log,
    });
    const catchUp = new CatchUp({ client: c, portals, inbound, log });
    const history = new DiscordHistory(outbound, new Pacer(this.config.backfill.posts_per_minute), this.deps.displayName, new EarlierThreads(client.rest, this.kit.history));
    this.run = { client: c, portals, outbound, inbound, fate, catchUp, history };
    await sweepDownloads(this.deps.downloadDir);
    const guard = (what: string) => (e: unknown) => log.error({ err: e }, `discord ${what} failed`);
    client.on('messageCreate', (m) => void inbound.onMessage(m));
    client.on('messageUpdate', (_old, m) => { inbound.onEdit(m).catch(guard('edit notice')); });
    client.on('messageDelete', (m) => { inbound.onDelete(m).catch(guard('delete notice')); });
    client.on('interactionCreate', (i) => {
      if (i.isChatInputCommand() && i.commandName === this.config.command_name) handleCommand(i, this.commandActions()).catch(guard('slash command'));
    });
    client.on('error', guard('client'));
    // A later READY means a fresh session (op 9): whatever was posted in between never came over the gateway.
    client.on('shardReady', () => { catchUp.run().catch(guard('catch-up')); });
    await registerCommands(c, this.config.guild_id, this.config.command_name);
    catchUp.run().catch(guard('catch-up'));
    log.info({ guild: this.config.guild_id, mode: this.config.mode }, 'discord connector ready');
  }

  async stop(): Promise<void> {
    const r = this.run;
    this.run = null;
    if (!r) return;
    await r.catchUp.settled();
    await r.inbound.idle();
    await r.client.destroy();
  }

  /** The discord.js client (tests, doctor). */
  get client(): Client<true> | null { return this.run?.client ?? null; }

  /** Resolves once every Discord message received so far reached the outbox. */
  async idle(): Promise<void> {
    await this.run?.catchUp.settled();
    await this.run?.inbound.idle();
  }

  /** History for new portals (src/core/backfill): `discord.backfill` over `bridge.backfill`. */
  get backfill(): BackfillLimits {
    return backfillLimits(this.deps.bridgeBackfill, this.config.backfill);
  }

  /** `allowed_users` + `allowed_roles`: the core's send policy decides with them. */
  get sendPermissions(): SendPermissions {
    return permissionsOf(this.config);
  }

  /** `mirrors` + `auto_mirror`: the core's mirror policy decides with them. */
  get mirroring(): MirrorSettings {
    return { rules: this.config, nameOf: this.deps.displayName };
  }

  async deliver(env: EventEnvelope): Promise<void> {
    try {
      await this.deliverOnce(env);
    } catch (e) {
      const code = discordCodeOf(e);
      if (code !== 10015 && code !== 10003) throw e;
      await this.repairPortal(env.chatGuid, code);
      await this.deliverOnce(env);
    }
  }

  /**
   * 10015: our webhook is gone. If the channel stands, a new webhook goes on it
   * and the portal (history, agents' replies) stays. Only when the channel
   * itself is gone (10003; deleting a channel deletes its webhooks too) is the
   * portal forgotten so the next delivery recreates it.
   */
  private async repairPortal(chat: ChatGuid, code: number): Promise<void> {
    const r = this.requireRun();
    const portal = r.portals.findEquivalent(chat);
    if (code === 10015 && portal) {
      try {
        await r.portals.renewWebhook(portal);
        this.deps.log.warn({ chat, channel: portal.channelId }, 'discord webhook was deleted; made a new one on the same channel');
        return;
      } catch (e) {
        if (discordCodeOf(e) !== 10003) throw e;
      }
    }
    this.deps.log.warn({ chat }, 'discord channel was deleted; recreating it');
    r.portals.forget(portal?.chatGuid ?? chat);
  }

  private async deliverOnce(env: EventEnvelope): Promise<void> {
    const r = this.requireRun();
    const ev = env.event;
    const portal = await this.portalFor(r, ev.chat, ev.type === 'message' || ev.type === 'group_event' || ev.type === 'history');
    if (!portal) return;
    switch (ev.type) {
      case 'message': return r.outbound.message(portal, ev);
      case 'reaction': return r.outbound.reaction(portal, ev.chat, ev.message);
      case 'edit':
        // Already shown by the line's history post (edited just before the portal opened): editing again would drop its time line.
        if (r.history.threads.showsEdit(ev)) return;
        return r.outbound.edit(portal, ev.message);
      case 'unsend': return r.outbound.unsend(portal, ev.message);
      case 'group_event':
        await r.outbound.groupEvent(portal, ev.message);
        if (ev.message.event?.type === 'renamed') await r.portals.retitle(portal, this.newPortal(ev.chat)).catch((e: unknown) => this.deps.log.warn({ err: e }, 'could not rename the Discord channel'));
        return;
      case 'delivery':
        if (ev.status === 'failed' && ev.message.fromMe) await r.outbound.deliveryFailed(portal, ev.message);
        return;
      case 'history':
        return r.history.deliver(portal, ev);
    }
  }

  async reconcile(env: EventEnvelope): Promise<'delivered' | 'missing'> {
    const r = this.requireRun();
    const portal = r.portals.findEquivalent(env.chatGuid);
    return reconcileDelivery(env, portal && env.event.type === 'history' ? r.history.threads.known(portal, env.event) : portal, r.client.rest, this.map, r.outbound);
  }

  async reportFate(receipt: SendReceipt): Promise<void> {
    const origin = receipt.intent.origin;
    if (origin?.connector !== CONNECTOR || !this.run) return;
    // The Discord message now stands for the iMessage one: replies and tapbacks find it.
    if (receipt.fate.state === 'sent' && !this.map.remote(receipt.fate.messageGuid, FIRST_POST)) {
      this.map.put({ messageGuid: receipt.fate.messageGuid, part: FIRST_POST, remoteId: origin.remoteId, chatGuid: receipt.intent.chatGuid });
    }
    await this.run.fate.report(receipt, this.run.portals.findEquivalent(receipt.intent.chatGuid)?.channelId ?? null);
  }

  /** The core refused a message (first time for this user and chat): say so under it. */
  async tellRefused(r: Refusal): Promise<void> {
    const run = this.run;
    const messageId = r.origin?.remoteId;
    const channelId = r.origin?.room ?? run?.portals.findEquivalent(r.chatGuid)?.channelId;
    if (!run || !messageId || !channelId) return;
    const text = r.error.code === 'not_allowed' ? deniedNotice(r.from.userId) : `<@${r.from.userId}> ${r.error.message}, so your message stayed in Discord. ${r.error.advice}`;
    await run.fate.reply(channelId, messageId, text);
  }

  private async portalFor(r: Running, chat: Chat, mayCreate: boolean): Promise<DiscordPortal | null> {
    const found = r.portals.findEquivalent(chat.guid);
    const existing = found ? r.portals.rekey(found, chat.guid) : null;
    if (existing || !mayCreate) return existing;
    // Queued before an unlink, or handed in directly: the core's policy has the last word.
    if (!this.requireCore().isMirrored(CONNECTOR, chat)) return null;
    return r.portals.ensure(this.newPortal(chat));
  }

  private newPortal(chat: Chat): NewPortal {
    const title = chatTitle(chat, this.deps.displayName);
    return { chatGuid: chat.guid, title, channelName: channelName(title), topic: chatTopic(chat, this.deps.displayName) };
  }

  private commandActions(): CommandActions {
    const r = this.requireRun();
    return buildCommandActions({
      config: this.config, deps: this.deps, core: () => this.requireCore(),
      portals: r.portals, outbound: r.outbound, fate: r.fate, client: r.client, newPortal: (chat) => this.newPortal(chat),
    });
  }

  private requireRun(): Running {
    if (!this.run) throw new DiscordConnectorError('not_started', 'The Discord connector is not running.', 'Start it (or check the earlier error that stopped it).');
    return this.run;
  }

  private requireCore(): CoreHandle {
    if (!this.core) throw new DiscordConnectorError('not_started', 'The Discord connector has no core.', 'Start the connector before sending.');
    return this.core;
  }
}

export function createDiscordConnector(config: DiscordConfig, deps: DiscordDeps): DiscordConnector {
  return new DiscordConnector(config, deps);
}
