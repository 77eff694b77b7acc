// Matrix → iMessage, in portal rooms; the bridge's own and its ghosts' events
// are never relayed back. Who may send is the core's send policy: a stranger
// is refused there, audited, and told once (tellRefused). The outbox is the
// send ledger: an event already handed over (a retry, a restart) never goes twice. Text and emotes go as
// plain text, media is downloaded (authenticated endpoint) and sent as a file.
// What iMessage can't take (reactions, edits, redactions) gets a notice.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CoreHandle } from '../../core/connector.ts';
import { isDenial } from '../../core/errors.ts';
import type { MessageMapView } from '../../core/kit/index.ts';
import type { MatrixPart } from './parts.ts';
import type { SendIntent } from '../../core/events.ts';
import type { Actors } from './actors.ts';
import type { PortalManager } from './portals.ts';
import type { MatrixEvent } from './store.ts';
import { downloadMediaTo } from './api.ts';
import { plainTextOf } from './html.ts';
import { txnIdFor } from './ids.ts';
import { noticeContent, BRIDGE_MARK } from './render.ts';
import { reasonOf, retryability } from './errors.ts';
import { discardDownload, mediaDirFor } from './mediaFiles.ts';
import type { Commands } from './commands.ts';

export interface IncomingDeps {
  connectorId: string;
  actors: Actors;
  portals: PortalManager;
  map: MessageMapView<MatrixPart>;
  core: () => CoreHandle;
  /** Who may use the management commands and invite the bot (owners + allowed_users); sends are the core's to decide. */
  allowed: Set<string>;
  hsUrl: string;
  mediaToken: string;
  /** Where downloads wait for the outbox (see mediaFiles.ts). */
  mediaRoot: string;
  maxMediaBytes?: number;
  commands: Commands;
  log: Logger;
}

const MEDIA = new Set(['m.image', 'm.video', 'm.audio', 'm.file']);

export class Incoming {
  constructor(private readonly d: IncomingDeps) {}

  async handle(ev: MatrixEvent): Promise<void> {
    const { actors, d } = { actors: this.d.actors, d: this.d };
    if (actors.isBridgeUser(ev.sender)) return;
    if (ev.content?.[BRIDGE_MARK] === true) return;
    if (d.map.byRemote(ev.event_id)) return;
    if (ev.type === 'm.room.member') return this.membership(ev);
    const chatGuid = d.portals.chatFor(ev.room_id);
    if (!chatGuid) {
      if (ev.type === 'm.room.message' && d.allowed.has(ev.sender)) await d.commands.maybeHandle(ev);
      return;
    }
    if (ev.type !== 'm.room.message' && ev.type !== 'm.reaction' && ev.type !== 'm.room.redaction') return;
    const from = { connector: d.connectorId, userId: ev.sender, displayName: ev.sender.slice(1).split(':')[0] ?? ev.sender };
    const origin = { connector: d.connectorId, remoteId: ev.event_id, room: ev.room_id };
    try {
      // The core's send policy, before anything is downloaded or answered.
      d.core().check({ chatGuid, from, origin });
    } catch (e) {
      if (isDenial(e)) return; // audited by the core, which has the sender told once
      throw e;
    }
    if (ev.type === 'm.reaction') return this.notice(ev, 'Reactions made in Matrix can\'t reach iMessage (AppleScript cannot send tapbacks); the contact did not see it.');
    if (ev.type === 'm.room.redaction') return this.notice(ev, 'Deleting a message in Matrix can\'t unsend it in iMessage; the contact still sees it.');
    if (ev.type !== 'm.room.message') return;
    const rel = ev.content['m.relates_to'] as { rel_type?: string } | undefined;
    if (rel?.rel_type === 'm.replace') return this.notice(ev, 'Edits made in Matrix can\'t reach iMessage; the contact still sees the original. Send a new message instead.');
    const msgtype = ev.content.msgtype;
    const base = { chatGuid, from, origin };
    let intent: SendIntent;
    if (msgtype === 'm.text' || msgtype === 'm.emote') {
      const text = plainTextOf(ev.content);
      if (!text) return;
      intent = { ...base, text: msgtype === 'm.emote' ? `* ${from.displayName} ${text}` : text };
    } else if (typeof msgtype === 'string' && MEDIA.has(msgtype)) {
      if (d.core().sentFrom(origin).length > 0) return; // a retry: don't download again
      const file = await this.download(ev);
      if (!file) return;
      // The core owns the download from here: deleted at the final fate (or if refused).
      intent = { ...base, file: { ...file, owned: true } };
    } else {
      return;
    }
    try {
      // Idempotent by origin: a crash or retry after this never sends twice.
      await d.core().send(intent);
    } catch (e) {
      if (isDenial(e)) return;
      await this.notice(ev, `❌ Not sent to iMessage: ${reasonOf(e)}`);
    }
  }

  private async membership(ev: MatrixEvent): Promise<void> {
    // An allowed user inviting the bot: accept (a DM becomes a management room).
    if (ev.state_key === this.d.actors.bot.userId && ev.content.membership === 'invite' && this.d.allowed.has(ev.sender)) {
      await this.d.actors.bot.join(ev.room_id);
    }
  }

  private async download(ev: MatrixEvent): Promise<{ path: string; name: string } | null> {
    const url = ev.content.url;
    if (typeof url !== 'string') {
      await this.notice(ev, '❌ This attachment is encrypted or has no URL; it can\'t be sent to iMessage.');
      return null;
    }
    const raw = typeof ev.content.filename === 'string' ? ev.content.filename : typeof ev.content.body === 'string' ? ev.content.body : 'file';
    const name = raw.replace(/[/\\\0]/g, '_').slice(0, 200) || 'file';
    const dir = mediaDirFor(this.d.mediaRoot, ev.event_id);
    const path = join(dir, name);
    try {
      await mkdir(dir, { recursive: true });
      await downloadMediaTo(this.d.hsUrl, this.d.mediaToken, url, path, this.d.maxMediaBytes);
      return { path, name };
    } catch (e) {
      await discardDownload(this.d.mediaRoot, path);
      // The homeserver being down says nothing about the file: the worker retries the event.
      if (retryability(e) === 'transient') throw e;
      await this.notice(ev, `❌ Not sent to iMessage: the file could not be downloaded (${reasonOf(e)})`);
      return null;
    }
  }

  /** The worker gave up on this event for good: say so where the user will see it. */
  async parked(ev: MatrixEvent, reason: string): Promise<void> {
    if (ev.type !== 'm.room.message' || this.d.actors.isBridgeUser(ev.sender)) return;
    const content = { ...noticeContent(`❌ The bridge gave up on this message; it was not sent to iMessage: ${reason}`), 'm.relates_to': { 'm.in_reply_to': { event_id: ev.event_id } } };
    await this.d.actors.bot.send(ev.room_id, 'm.room.message', content, txnIdFor(`parked:${ev.event_id}`));
  }

  async notice(ev: MatrixEvent, text: string): Promise<void> {
    const content = { ...noticeContent(text), 'm.relates_to': { 'm.in_reply_to': { event_id: ev.event_id } } };
    await this.d.actors.bot.send(ev.room_id, 'm.room.message', content, txnIdFor(`notice:${ev.event_id}`));
  }
}
