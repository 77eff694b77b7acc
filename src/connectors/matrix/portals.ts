// One portal room per mirrored chat, created on demand: unencrypted, owners
// invited, named after the contact or group, with a topic and m.bridge state,
// gathered in the bridge's Space (or the team's, `matrix.space`); one-to-one
// chats marked as direct.
import type { Chat } from '../../imessage/model.ts';
import type { ChatGuid } from '../../ids.ts';
import type { PortalView } from '../../core/kit/index.ts';
import type { Actors } from './actors.ts';
import type { MatrixStore } from './store.ts';
import type { MatrixApi } from './api.ts';
import { chatTitle, chatTopic } from '../../core/presentation/index.ts';
import { joinTeamSpace } from './space.ts';

export interface PortalDeps {
  connectorId: string;
  serverName: string;
  /** The Space's name (`matrix.space_name`, namespaced by `bridge.name`). */
  spaceName?: string;
  /** `matrix.space`: a team Space to join and fill instead of creating one. */
  teamSpace?: string;
  owners: string[];
  actors: Actors;
  portals: PortalView;
  store: MatrixStore;
  displayName(handle: string): string;
}

export const BRIDGE_PROTOCOL = { id: 'imessage', displayname: 'iMessage' };

export { chatTitle };

export class PortalManager {
  private readonly creating = new Map<string, Promise<string>>();
  private space: Promise<string> | null = null;
  private teamSpace: Promise<string> | null = null;

  constructor(private readonly d: PortalDeps) {}

  roomFor(chat: ChatGuid): string | null {
    return this.d.portals.byChat(chat)?.remoteId ?? null;
  }

  chatFor(roomId: string): ChatGuid | null {
    return this.d.portals.byRemote(roomId)?.chatGuid ?? null;
  }

  /** The room for a chat, created once (concurrent callers share the creation). */
  ensure(chat: Chat): Promise<string> {
    const existing = this.roomFor(chat.guid);
    if (existing) return Promise.resolve(existing);
    let p = this.creating.get(chat.guid);
    if (!p) {
      p = this.create(chat).finally(() => this.creating.delete(chat.guid));
      this.creating.set(chat.guid, p);
    }
    return p;
  }

  private async create(chat: Chat): Promise<string> {
    const { actors, owners } = this.d;
    const bot = actors.bot;
    const spaceId = await this.ensureSpace();
    const title = chatTitle(chat, this.d.displayName);
    const ghosts = actors.ghostIds(chat.participants);
    // The creator (the bot) gets full power by default; room v12 forbids listing it.
    const users: Record<string, number> = {};
    for (const o of owners) users[o] = 50;
    const roomId = await bot.createRoom({
      preset: 'private_chat',
      visibility: 'private',
      name: title,
      topic: `${chatTopic(chat, this.d.displayName)}, bridged by imessage-bridge`,
      is_direct: !chat.isGroup,
      invite: [...owners, ...ghosts],
      power_level_content_override: { users, events_default: 0, invite: 50 },
      initial_state: [
        { type: 'm.bridge', state_key: `imessage://${chat.guid}`, content: this.bridgeState(chat, title) },
        { type: 'uk.half-shot.bridge', state_key: `imessage://${chat.guid}`, content: this.bridgeState(chat, title) },
        { type: 'm.space.parent', state_key: spaceId, content: { via: [this.d.serverName], canonical: true } },
      ],
    });
    // Persist first: if anything below fails, the room is reused, never duplicated.
    this.d.portals.upsert({ chatGuid: chat.guid, remoteId: roomId, extra: { spaceId, direct: !chat.isGroup, title } });
    await bot.setState(spaceId, 'm.space.child', roomId, { via: [this.d.serverName], suggested: true });
    for (const h of chat.participants) await actors.addMember(roomId, h);
    const puppet = actors.puppet();
    if (puppet) await this.puppetJoin(puppet, roomId, !chat.isGroup ? actors.ghostIds(chat.participants)[0] : undefined);
    return roomId;
  }

  private bridgeState(chat: Chat, title: string): Record<string, unknown> {
    return {
      bridgebot: this.d.actors.bot.userId,
      protocol: BRIDGE_PROTOCOL,
      channel: { id: chat.guid, displayname: title },
    };
  }

  /** Double puppeting: the owner joins with their own account and the DM lands in their m.direct. */
  private async puppetJoin(puppet: MatrixApi, roomId: string, directWith?: string): Promise<void> {
    await puppet.join(roomId);
    if (!directWith) return;
    const direct = (await puppet.accountData<Record<string, string[]>>('m.direct')) ?? {};
    const list = direct[directWith] ?? [];
    if (!list.includes(roomId)) await puppet.setAccountData('m.direct', { ...direct, [directWith]: [...list, roomId] });
  }

  ensureSpace(): Promise<string> {
    if (this.d.teamSpace) {
      // Checked on every start: an owner may have taken the bot's power away since.
      this.teamSpace ??= joinTeamSpace(this.d.actors.bot, this.d.teamSpace).catch((e: unknown) => { this.teamSpace = null; throw e; });
      return this.teamSpace;
    }
    const known = this.d.store.get('space_room');
    if (known) return Promise.resolve(known);
    this.space ??= (async () => {
      const id = await this.d.actors.bot.createRoom({
        preset: 'private_chat', name: this.d.spaceName ?? 'iMessage', topic: 'Your iMessage chats, bridged by imessage-bridge',
        creation_content: { type: 'm.space' }, invite: this.d.owners,
        power_level_content_override: { events_default: 100 },
      });
      this.d.store.set('space_room', id);
      return id;
    })().finally(() => { this.space = null; });
    return this.space;
  }

  /**
   * Portals made under another Space (before `matrix.space` was set, or changed)
   * move into the current one, as people expect of a bridge's Space: a child of
   * the new Space, its canonical parent in the room, and out of the old Space.
   * Nothing is recreated. A portal that cannot be moved (the bot was removed
   * from its room) is reported and left for the next start.
   */
  async gatherPortals(): Promise<{ moved: number; failed: { roomId: string; error: unknown }[] }> {
    const spaceId = await this.ensureSpace();
    const bot = this.d.actors.bot;
    const via = [this.d.serverName];
    const out = { moved: 0, failed: [] as { roomId: string; error: unknown }[] };
    for (const p of this.d.portals.all()) {
      const old = p.extra.spaceId;
      if (old === spaceId) continue;
      try {
        await bot.setState(spaceId, 'm.space.child', p.remoteId, { via, suggested: true });
        await bot.setState(p.remoteId, 'm.space.parent', spaceId, { via, canonical: true });
        this.d.portals.upsert({ ...p, extra: { ...p.extra, spaceId } });
        out.moved++;
      } catch (error) {
        out.failed.push({ roomId: p.remoteId, error });
        continue;
      }
      // Empty content removes a space link. The old Space may be gone or not ours any more: best effort.
      if (typeof old === 'string' && old) {
        await bot.setState(p.remoteId, 'm.space.parent', old, {}).catch(() => undefined);
        await bot.setState(old, 'm.space.child', p.remoteId, {}).catch(() => undefined);
      }
    }
    return out;
  }

  /** The management room (a DM with the bot) for commands. */
  async ensureManagementRoom(help: string): Promise<string> {
    const known = this.d.store.get('management_room');
    if (known) return known;
    const bot = this.d.actors.bot;
    const id = await bot.createRoom({ preset: 'trusted_private_chat', name: 'iMessage bridge', topic: 'Commands: !imessage help', is_direct: true, invite: this.d.owners });
    this.d.store.set('management_room', id);
    await bot.send(id, 'm.room.message', { msgtype: 'm.notice', body: help }, 'imb.management-welcome');
    return id;
  }
}
