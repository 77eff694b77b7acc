// Appservice mode: ghosts registered on demand, named "<name> (iMessage)",
// with an avatar when one is known, and joined to portals via the bot's invite.
import type { Appservice } from 'matrix-bot-sdk';
import type { Logger } from 'pino';
import { MatrixApi } from './api.ts';
import type { Actors, Poster } from './actors.ts';
import { OWN_LABEL } from '../../core/presentation/index.ts';
import { errcodeOf } from './errors.ts';
import { ghostSuffix } from './ids.ts';
import type { MatrixStore } from './store.ts';

export interface GhostDeps {
  displayName(handle: string): string;
  avatar?(handle: string): { data: Buffer; mimeType: string } | null;
  log: Logger;
}

export class AppserviceActors implements Actors {
  readonly mode = 'appservice' as const;
  readonly bot: MatrixApi;
  private readonly joined = new Set<string>();
  private readonly ready = new Map<string, Promise<void>>();

  constructor(private readonly as: Appservice, private readonly store: MatrixStore, private readonly deps: GhostDeps,
    private readonly puppetApi: MatrixApi | null) {
    this.bot = new MatrixApi(as.botClient, as.botUserId);
  }

  ghostId(handle: string): string {
    return this.as.getUserIdForSuffix(ghostSuffix(handle));
  }

  private api(userId: string): MatrixApi {
    return new MatrixApi(this.as.getIntentForUserId(userId).underlyingClient, userId);
  }

  /** Register once and keep the profile in step with the contact name. */
  private ensureGhost(handle: string): Promise<void> {
    const userId = this.ghostId(handle);
    const name = `${this.deps.displayName(handle)} (iMessage)`;
    const cacheKey = `${userId}\u0000${name}`;
    let p = this.ready.get(cacheKey);
    if (!p) {
      p = this.setUpGhost(userId, handle, name).catch((e: unknown) => { this.ready.delete(cacheKey); throw e; });
      this.ready.set(cacheKey, p);
    }
    return p;
  }

  private async setUpGhost(userId: string, handle: string, name: string): Promise<void> {
    const api = this.api(userId);
    if (this.store.get(`ghost_registered:${userId}`) !== '1') {
      try {
        await api.client.doRequest('POST', '/_matrix/client/v3/register', null, { type: 'm.login.application_service', username: userId.slice(1).split(':')[0], inhibit_login: true });
      } catch (e) {
        if (errcodeOf(e) !== 'M_USER_IN_USE') throw e;
      }
      this.store.set(`ghost_registered:${userId}`, '1');
    }
    if (this.store.get(`ghost_name:${userId}`) !== name) {
      await api.setDisplayName(name);
      this.store.set(`ghost_name:${userId}`, name);
    }
    if (this.store.get(`ghost_avatar:${userId}`) === null && this.deps.avatar) {
      const av = this.deps.avatar(handle);
      if (av) {
        const mxc = await api.upload(av.data, av.mimeType, 'avatar');
        await api.setAvatar(mxc);
        this.store.set(`ghost_avatar:${userId}`, mxc);
      }
    }
  }

  private async ensureJoined(roomId: string, handle: string): Promise<MatrixApi> {
    await this.ensureGhost(handle);
    const userId = this.ghostId(handle);
    const api = this.api(userId);
    const k = `${roomId}\u0000${userId}`;
    if (this.joined.has(k)) return api;
    try {
      await api.join(roomId);
    } catch (e) {
      if (errcodeOf(e) !== 'M_FORBIDDEN') throw e;
      await this.bot.invite(roomId, userId).catch((err: unknown) => { if (errcodeOf(err) !== 'M_FORBIDDEN') throw err; });
      await api.join(roomId);
    }
    this.joined.add(k);
    return api;
  }

  async poster(handle: string, fromMe: boolean, roomId: string): Promise<Poster> {
    if (fromMe) return this.puppetApi ? { api: this.puppetApi, label: null } : { api: this.bot, label: OWN_LABEL };
    return { api: await this.ensureJoined(roomId, handle), label: null };
  }

  async addMember(roomId: string, handle: string): Promise<boolean> {
    await this.ensureJoined(roomId, handle);
    return true;
  }

  async removeMember(roomId: string, handle: string, reason: string): Promise<boolean> {
    const userId = this.ghostId(handle);
    this.joined.delete(`${roomId}\u0000${userId}`);
    try {
      await this.api(userId).leave(roomId);
    } catch (e) {
      this.deps.log.debug({ err: e, userId }, 'ghost leave failed; kicking instead');
      await this.bot.kick(roomId, userId, reason);
    }
    return true;
  }

  ghostIds(handles: string[]): string[] {
    return handles.filter((h) => h !== 'me').map((h) => this.ghostId(h));
  }

  isBridgeUser(userId: string): boolean {
    return this.as.isNamespacedUser(userId);
  }

  puppet(): MatrixApi | null { return this.puppetApi; }
}
