// Who posts an iMessage line in Matrix. Bot mode: the one bot account, with
// the sender's name in the text. Appservice mode: one ghost per handle (named
// "Alice (iMessage)"), the owner's own account for their phone's messages when
// double puppeting is configured, else the bridge bot with a clear mark.
import type { MatrixApi } from './api.ts';
import { OWN_LABEL } from '../../core/presentation/index.ts';

export interface Poster {
  api: MatrixApi;
  /** Name to show in the body (bot mode / unpuppeted own messages); null when the account itself is the sender. */
  label: string | null;
}

export interface Actors {
  readonly mode: 'bot' | 'appservice';
  readonly bot: MatrixApi;
  /** The account posting for `handle` (or "me") in `roomId`, joined to it. */
  poster(handle: string, fromMe: boolean, roomId: string): Promise<Poster>;
  /** Put a handle's ghost in / out of a room (appservice only; bot mode returns false). */
  addMember(roomId: string, handle: string): Promise<boolean>;
  removeMember(roomId: string, handle: string, reason: string): Promise<boolean>;
  /** Users the portal must invite at creation (ghosts of the participants). */
  ghostIds(handles: string[]): string[];
  /** The bridge's own accounts: their events are never relayed back. */
  isBridgeUser(userId: string): boolean;
  /** The owner's own account (double puppet), if configured. */
  puppet(): MatrixApi | null;
}

export class BotActors implements Actors {
  readonly mode = 'bot' as const;
  constructor(readonly bot: MatrixApi, private readonly displayName: (h: string) => string) {}

  async poster(handle: string, fromMe: boolean): Promise<Poster> {
    return { api: this.bot, label: fromMe ? OWN_LABEL : this.displayName(handle) };
  }

  async addMember(): Promise<boolean> { return false; }
  async removeMember(): Promise<boolean> { return false; }
  ghostIds(): string[] { return []; }
  isBridgeUser(userId: string): boolean { return userId === this.bot.userId; }
  puppet(): MatrixApi | null { return null; }
}
