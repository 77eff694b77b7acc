// Matrix → iMessage. Only allowed users, only in portal rooms; the bridge's
// own and its ghosts' events are never relayed back. Text and emotes go as
// plain text, media is downloaded (authenticated endpoint) and sent as a file.
// What iMessage can't take (reactions, edits, redactions) gets a notice.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CoreHandle } from '../../core/connector.ts';
import type { MessageMap } from '../../core/store/messageMap.ts';
import type { SendIntent } from '../../core/events.ts';
import type { Actors } from './actors.ts';
import type { PortalManager } from './portals.ts';
import type { MatrixEvent } from './store.ts';
import { downloadMediaTo } from './api.ts';
import { plainTextOf } from './html.ts';
import { txnIdFor } from './ids.ts';
import { noticeContent, BRIDGE_MARK } from './render.ts';
import { reasonOf, retryability } from './errors.ts';
import type { Handoffs } from './handoff.ts';
import { discardDownload, mediaDirFor } from './mediaFiles.ts';
import type { Commands } from './commands.ts';

export interface IncomingDeps {
  connectorId: string;
  actors: Actors;
  portals: PortalManager;
  map: MessageMap;
  core: () => CoreHandle;
  allowed: Set<string>;
  hsUrl: string;
  mediaToken: string;
  /** Where downloads wait for the outbox (see mediaFiles.ts). */
  mediaRoot: string;
  maxMediaBytes?: number;
  commands: Commands;
  handoffs: Handoffs;
  log: Logger;
}

const MEDIA = new Set(['m.image', 'm.video', 'm.audio', 'm.file']);

export class Incoming {
  constructor(private readonly d: IncomingDeps) {}

  async handle(ev: MatrixEvent): Promise<void> {
    const { actors, d } = { actors: this.d.actors, d: this.d };
    if (actors.isBridgeUser(ev.sender)) return;
    if (ev.content?.[BRIDGE_MARK] === true) return;
    if (d.map.byRemote(d.connectorId, ev.event_id)) return;
    if (ev.type === 'm.room.member') return this.membership(ev);
    const chatGuid = d.portals.chatFor(ev.room_id);
    if (!chatGuid) {
      if (ev.type === 'm.room.message' && d.allowed.has(ev.sender)) await d.commands.maybeHandle(ev);
      return;
    }
    if (!d.allowed.has(ev.sender)) {
      d.log.info({ sender: ev.sender, room: ev.room_id }, 'ignored a message from a Matrix user who is not allowed to send');
      return;
    }
    if (ev.type === 'm.reaction') return this.notice(ev, 'Reactions made in Matrix can\'t reach iMessage (AppleScript cannot send tapbacks); the contact did not see it.');
    if (ev.type === 'm.room.redaction') return this.notice(ev, 'Deleting a message in Matrix can\'t unsend it in iMessage; the contact still sees it.');
    if (ev.type !== 'm.room.message') return;
    const rel = ev.content['m.relates_to'] as { rel_type?: string } | undefined;
    if (rel?.rel_type === 'm.replace') return this.notice(ev, 'Edits made in Matrix can\'t reach iMessage; the contact still sees the original. Send a new message instead.');
    const msgtype = ev.content.msgtype;
    const from = { connector: d.connectorId, userId: ev.sender, displayName: ev.sender.slice(1).split(':')[0] ?? ev.sender };
    const base = { chatGuid, from, origin: { connector: d.connectorId, remoteId: ev.event_id } };
    let intent: SendIntent;
    if (msgtype === 'm.text' || msgtype === 'm.emote') {
      const text = plainTextOf(ev.content);
      if (!text) return;
      intent = { ...base, text: msgtype === 'm.emote' ? `* ${from.displayName} ${text}` : text };
    } else if (typeof msgtype === 'string' && MEDIA.has(msgtype)) {
      if (d.handoffs.handedOver(ev.event_id)) return; // a retry: don't download again
      const file = await this.download(ev);
      if (!file) return;
      intent = { ...base, file };
    } else {
      return;
    }
    try {
      // Marked as handed over durably first: a crash or retry after this never sends twice.
      await d.handoffs.send(d.core(), ev.event_id, intent);
    } catch (e) {
      if (intent.file) await discardDownload(d.mediaRoot, intent.file.path);
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
