// Commands in the management room (a DM with the bot): new, status, help.
import type { CoreHandle } from '../../core/connector.ts';
import { chatGuid } from '../../ids.ts';
import type { Actors } from './actors.ts';
import type { MatrixEvent } from './store.ts';
import { txnIdFor } from './ids.ts';
import { noticeContent } from './render.ts';
import { reasonOf } from './errors.ts';

export const HELP = [
  'iMessage bridge commands:',
  '!imessage new <phone-or-email> <text>: start a chat (or continue one) by sending a first message',
  '!imessage status: how the bridge is doing',
  '!imessage help: this list',
].join('\n');

export interface CommandDeps {
  connectorId: string;
  actors: Actors;
  core: () => CoreHandle;
  status(): Promise<Record<string, unknown>>;
  managementRoom(): string | null;
}

/** +1 (555) 123-4567 → +15551234567; emails lowercased; null when neither. */
export function normalizeHandle(raw: string): string | null {
  const s = raw.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return s.toLowerCase();
  const digits = s.replace(/[\s().-]/g, '');
  if (/^\+?\d{5,15}$/.test(digits)) return digits;
  return null;
}

/**
 * `!imessage new <handle> <text>`: an email is one word; a phone number may
 * contain spaces, dashes and parentheses (+1 (555) 123-4567), so it runs up to
 * the first character that can't be part of one.
 */
export function parseNew(body: string): { handle: string | null; text: string } {
  const args = body.replace(/^!imessage\s+new\s*/, '');
  const email = /^(\S+@\S+)\s+([\s\S]+)$/.exec(args);
  if (email) return { handle: normalizeHandle(email[1] as string), text: (email[2] as string).trim() };
  const phone = /^([+\d][\d\s().-]*?)\s+([^\d\s().+-][\s\S]*)$/.exec(args);
  if (phone) return { handle: normalizeHandle(phone[1] as string), text: (phone[2] as string).trim() };
  return { handle: null, text: '' };
}

export class Commands {
  constructor(private readonly d: CommandDeps) {}

  /** Handle a message if it is a command in the management room (or any DM with the bot). */
  async maybeHandle(ev: MatrixEvent): Promise<void> {
    const body = typeof ev.content.body === 'string' ? ev.content.body.trim() : '';
    if (!body.startsWith('!imessage')) return;
    const [, cmd = 'help'] = body.split(/\s+/);
    const reply = (text: string, sub: string | number = 0): Promise<string> => this.d.actors.bot.send(ev.room_id, 'm.room.message',
      { ...noticeContent(text), 'm.relates_to': { 'm.in_reply_to': { event_id: ev.event_id } } }, txnIdFor(`cmd:${ev.event_id}`, sub));
    switch (cmd) {
      case 'status': {
        const s = await this.d.status();
        const lines = Object.entries(s).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        await reply(['iMessage bridge status', ...lines].join('\n'));
        return;
      }
      case 'new': {
        const { handle, text } = parseNew(body);
        if (!handle || !text) {
          await reply('Usage: !imessage new <phone-or-email> <text>, e.g. !imessage new +15551234567 Hello');
          return;
        }
        // Only the send is guarded: a failing confirmation must not claim the send failed, and
        // its retry (the whole event is retried) finds the send already done (the outbox knows this origin).
        try {
          const guid = chatGuid(`any;-;${handle}`);
          // Starting a conversation links it, as in Discord: the answer gets a room, and the policy lets the send in.
          this.d.core().setMirrored?.(this.d.connectorId, guid, true);
          await this.d.core().send({
            chatGuid: guid, text,
            from: { connector: this.d.connectorId, userId: ev.sender, displayName: ev.sender.slice(1).split(':')[0] ?? ev.sender },
            origin: { connector: this.d.connectorId, remoteId: ev.event_id, room: ev.room_id },
          });
        } catch (e) {
          await reply(`❌ Could not send to ${handle}: ${reasonOf(e)}`, 'failed');
          return;
        }
        // The core never mirrors a send back to the connector it came from, so the room opens with the answer.
        await reply(`Sending to ${handle}: a ✅ on your command means Messages sent it. The chat gets its own room when ${handle} answers.`);
        return;
      }
      default:
        await reply(HELP);
    }
  }
}
