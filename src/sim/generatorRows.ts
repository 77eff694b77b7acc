// One generated message row at a time, into reused positional parameter
// arrays (no per-row objects or statement lookups): the hot loop of generate().
import type Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeAttributedBody } from '../imessage/typedstream/index.ts';
import { attachmentRelPath, typesFor } from './attachments.ts';
import { writeBplist, PlistReal } from './bplist.ts';
import type { GenChat } from './generatorWorld.ts';
import { richLinkPayload, appPayload } from './payload.ts';
import type { Random } from './random.ts';
import { PLAIN_SUMMARY_INFO } from './summaryInfo.ts';
import { APP_BUNDLES, GROUP_NAMES, LINK_POOL } from './textPool.ts';
import type { VersionTraits } from './versions.ts';

export type Kind = 'text' | 'from_me' | 'attachment' | 'tapback' | 'reply' | 'edit' | 'unsend' | 'group_event' | 'url_preview' | 'app' | 'error' | 'backfill';

const COLS = ['guid', 'text', 'attributedBody', 'handle_id', 'service', 'account', 'account_guid', 'version', 'date', 'date_read', 'date_delivered',
  'is_delivered', 'is_finished', 'is_from_me', 'is_read', 'is_sent', 'error', 'cache_has_attachments', 'cache_roomnames', 'is_audio_message',
  'item_type', 'other_handle', 'group_title', 'group_action_type', 'associated_message_guid', 'associated_message_type',
  'associated_message_range_location', 'associated_message_range_length', 'associated_message_emoji', 'balloon_bundle_id', 'payload_data',
  'message_summary_info', 'destination_caller_id', 'reply_to_guid', 'thread_originator_guid', 'thread_originator_part', 'date_edited',
  'date_retracted', 'part_count', 'was_data_detected'] as const;
type Col = typeof COLS[number];

const VERBS = ['Loved', 'Liked', 'Disliked', 'Laughed at', 'Emphasized', 'Questioned'];
const ATTACHMENT_NAMES = ['IMG_%.HEIC', 'IMG_%.jpeg', 'Audio Message.caf', 'IMG_%.MOV', 'Scan %.pdf', 'sticker_%.heic', 'IMG_%.png'];
const EMOJI_TAPBACKS = ['🔥', '🥹', '🙌', '💀', '🤝'];
const WEIGHTS: [Kind, number][] = [['group_event', 0.01], ['tapback', 0.08], ['url_preview', 0.02], ['app', 0.004], ['attachment', 0.06], ['reply', 0.03], ['edit', 0.01], ['unsend', 0.005]];

export interface RowOptions { home: string; attachmentFiles: boolean; end: number; spanMs: number; total: number }

export class MessageRowBuilder {
  readonly counts = Object.fromEntries(['text', 'from_me', 'attachment', 'tapback', 'reply', 'edit', 'unsend', 'group_event', 'url_preview', 'app', 'error', 'backfill'].map((k) => [k, 0])) as Record<Kind, number>;
  attachments = 0;
  private readonly cols: Col[];
  private readonly pos: Record<Col, number>;
  private readonly defaults: unknown[];
  private readonly insMessage: Database.Statement;
  private readonly insJoin: Database.Statement;
  private readonly insAttachment: Database.Statement;
  private readonly insAttJoin: Database.Statement;
  private readonly cache = new Map<string, Buffer>();
  private readonly unsentInfo = new Map<number, Buffer>();

  constructor(db: Database.Database, private readonly r: Random, private readonly traits: VersionTraits, private readonly me: { handle: string; login: string; accountGuid: string },
    private readonly texts: string[], private readonly bodies: Buffer[], private readonly o: RowOptions) {
    const have = new Set(db.prepare("SELECT name FROM pragma_table_info('message')").pluck().all() as string[]);
    this.cols = COLS.filter((c) => have.has(c));
    this.pos = Object.fromEntries(COLS.map((c) => [c, this.cols.indexOf(c)])) as Record<Col, number>;
    const d: Partial<Record<Col, unknown>> = { version: 10, account_guid: me.accountGuid, destination_caller_id: me.handle, is_finished: 1, part_count: 1,
      handle_id: 0, date_read: 0, date_delivered: 0, is_delivered: 0, is_from_me: 0, is_read: 0, is_sent: 0, error: 0, cache_has_attachments: 0,
      is_audio_message: 0, item_type: 0, other_handle: 0, group_action_type: 0, associated_message_type: 0, associated_message_range_location: 0,
      associated_message_range_length: 0, date_edited: 0, date_retracted: 0, was_data_detected: 0,
      message_summary_info: traits.bodyOnlyInAttributedBody ? PLAIN_SUMMARY_INFO : null };
    this.defaults = this.cols.map((c) => d[c] ?? null);
    this.insMessage = db.prepare(`INSERT INTO message (${this.cols.join(', ')}) VALUES (${this.cols.map(() => '?').join(', ')})`);
    this.insJoin = db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)');
    const attCols = new Set(db.prepare("SELECT name FROM pragma_table_info('attachment')").pluck().all() as string[]);
    const ac = ['guid', 'created_date', 'filename', 'uti', 'mime_type', 'transfer_state', 'is_outgoing', 'transfer_name', 'total_bytes', 'is_sticker', 'original_guid'].filter((c) => attCols.has(c));
    this.insAttachment = db.prepare(`INSERT INTO attachment (${ac.join(', ')}) VALUES (${ac.map((c) => `@${c}`).join(', ')})`);
    this.insAttJoin = db.prepare('INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (?, ?)');
  }

  private set(row: unknown[], c: Col, v: unknown): void {
    const i = this.pos[c];
    if (i >= 0) row[i] = v;
  }

  private stamp(appleMs: number): bigint | number {
    if (this.traits.dateUnit === 's') return Math.floor(appleMs / 1000);
    return BigInt(Math.floor(appleMs)) * 1_000_000n + BigInt(this.r.u32() % 1_000_000);
  }

  private encoded(key: string, text: string, runs?: Parameters<typeof encodeAttributedBody>[1]): Buffer {
    let b = this.cache.get(key);
    if (!b) {
      b = encodeAttributedBody(text, runs ?? { runs: [{ start: 0, length: text.length, part: 0 }] });
      if (this.cache.size < 50_000) this.cache.set(key, b);
    }
    return b;
  }

  /** Body columns for pooled text `ti`, or an explicit text (tapbacks). */
  private body(row: unknown[], text: string, blob: () => Buffer): void {
    if (!this.traits.bodyOnlyInAttributedBody) this.set(row, 'text', text);
    if (this.traits.writesAttributedBody) this.set(row, 'attributedBody', blob());
  }

  private pickKind(chat: GenChat): Kind {
    const x = this.r.next();
    let acc = 0;
    for (const [k, w] of WEIGHTS) {
      acc += w;
      if (x < acc) {
        if (k === 'group_event' && !chat.isGroup) return 'text';
        if ((k === 'tapback' || k === 'reply') && chat.recent.length === 0) return 'text';
        if ((k === 'tapback' || k === 'url_preview' || k === 'app') && this.pos.associated_message_type < 0) return 'text';
        if (k === 'reply' && this.pos.thread_originator_guid < 0) return 'text';
        if (k === 'edit' && this.pos.date_edited < 0) return 'text';
        if (k === 'unsend' && this.pos.date_retracted < 0) return 'text';
        return k;
      }
    }
    return 'text';
  }

  add(chats: GenChat[], i: number): void {
    const r = this.r;
    const chat = chats[Math.floor(chats.length * r.next() ** 2)]!;
    const row = this.defaults.slice();
    const guid = r.uuid();
    let appleMs = this.o.end - this.o.spanMs + (this.o.spanMs * i) / Math.max(1, this.o.total) + r.int(0, 5000);
    // iCloud sync: an old message arriving late gets a new, higher ROWID.
    if (r.chance(0.003)) { appleMs -= r.int(1, 300) * 86_400_000; this.counts.backfill++; }
    const date = this.stamp(appleMs);
    const fromMe = r.chance(0.4);
    const kind = this.pickKind(chat);
    this.counts[kind]++;
    this.set(row, 'guid', guid);
    this.set(row, 'service', chat.service);
    this.set(row, 'account', chat.service === 'SMS' ? `P:${this.me.handle}` : this.me.login);
    this.set(row, 'date', date);
    this.set(row, 'cache_roomnames', chat.roomName);
    const last = chat.recent[chat.recent.length - 1];
    if (last) this.set(row, 'reply_to_guid', last.guid);
    if (fromMe) {
      this.counts.from_me++;
      const failed = r.chance(0.003);
      if (failed) this.counts.error++;
      this.set(row, 'is_from_me', 1);
      this.set(row, 'handle_id', chat.isGroup ? 0 : chat.handles[0]);
      this.set(row, 'is_sent', failed ? 0 : 1);
      this.set(row, 'error', failed ? r.pick([4, 22, 43]) : 0);
      if (!failed) { this.set(row, 'is_delivered', 1); this.set(row, 'date_delivered', this.stamp(appleMs + 1500)); }
      if (!failed && chat.service === 'iMessage' && r.chance(0.7)) { this.set(row, 'is_read', 1); this.set(row, 'date_read', this.stamp(appleMs + r.int(10_000, 3_600_000))); }
    } else {
      this.set(row, 'handle_id', r.pick(chat.handles));
      this.set(row, 'is_delivered', 1);
      if (r.chance(0.97)) { this.set(row, 'is_read', 1); this.set(row, 'date_read', this.stamp(appleMs + r.int(5_000, 7_200_000))); }
    }

    let len = 0;
    let atts = 0;
    const ti = r.int(0, this.texts.length - 1);
    const text = this.texts[ti]!;
    if (kind === 'group_event') {
      const t = r.int(0, 4);
      const [item, action] = ([[2, 0], [1, 0], [1, 1], [3, 0], [3, 1]] as const)[t]!;
      this.set(row, 'item_type', item);
      this.set(row, 'group_action_type', action);
      if (item === 1) this.set(row, 'other_handle', r.pick(chat.handles));
      if (item === 2) { chat.displayName = r.pick(GROUP_NAMES); this.set(row, 'group_title', chat.displayName); }
    } else if (kind === 'tapback') {
      const target = r.pick(chat.recent);
      const remove = r.chance(0.1);
      const emoji = this.pos.associated_message_emoji >= 0 && r.chance(0.12) ? r.pick(EMOJI_TAPBACKS) : null;
      const t = emoji ? 6 : r.int(0, 5);
      const quoted = target.ti >= 0 ? this.texts[target.ti]! : 'an attachment';
      const label = emoji ? `Reacted ${emoji} to “${quoted}”` : remove ? `Removed a reaction from “${quoted}”` : `${VERBS[t]} “${quoted}”`;
      this.body(row, label, () => this.encoded(`tb:${emoji ?? (remove ? 'r' : t)}:${target.ti}`, label));
      this.set(row, 'associated_message_guid', `p:0/${target.guid}`);
      this.set(row, 'associated_message_type', (remove ? 3000 : 2000) + t);
      this.set(row, 'associated_message_range_length', target.len);
      this.set(row, 'associated_message_emoji', emoji);
    } else if (kind === 'url_preview' || kind === 'app') {
      const url = r.pick(LINK_POOL);
      const bundle = `com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:${r.pick(APP_BUNDLES)}`;
      const t = kind === 'app' ? '\uFFFC' : url;
      this.body(row, t, () => this.encoded(`b:${t}`, t, kind === 'app' ? { runs: [{ start: 0, length: 1, part: 0 }] } : { runs: [{ start: 0, length: t.length, part: 0, link: url }] }));
      this.set(row, 'balloon_bundle_id', kind === 'app' ? bundle : 'com.apple.messages.URLBalloonProvider');
      this.set(row, 'payload_data', kind === 'app' ? this.payload(`app:${bundle}`, () => appPayload(bundle, 'Your turn')) : this.payload(`url:${url}`, () => richLinkPayload(url)));
      len = t.length;
    } else if (kind === 'unsend') {
      this.set(row, 'date_retracted', this.stamp(appleMs + 60_000));
      let info = this.unsentInfo.get(text.length);
      if (!info) { info = writeBplist({ amc: 0, ust: true, otr: { 0: { lo: 0, le: text.length } }, rp: [0] }); this.unsentInfo.set(text.length, info); }
      this.set(row, 'message_summary_info', info);
    } else if (kind === 'attachment') {
      atts = r.chance(0.8) ? 1 : r.int(2, 3);
      const guids: string[] = [];
      const rowAtts: number[] = [];
      let audio = false;
      for (let a = 0; a < atts; a++) {
        const name = r.pick(ATTACHMENT_NAMES).replace('%', String(r.int(1000, 9999)));
        audio ||= name.endsWith('.caf');
        const ag = r.uuid();
        guids.push(ag);
        rowAtts.push(this.attachment(ag, name, fromMe, appleMs));
      }
      const caption = r.chance(0.4) ? text : '';
      const full = '\uFFFC'.repeat(atts) + caption;
      const runs = guids.map((g, p) => ({ start: p, length: 1, part: p, attachmentGuid: g }));
      if (caption) runs.push({ start: atts, length: caption.length, part: atts } as typeof runs[number]);
      this.body(row, full, () => encodeAttributedBody(full, { runs }));
      this.set(row, 'cache_has_attachments', 1);
      this.set(row, 'is_audio_message', audio ? 1 : 0);
      this.set(row, 'part_count', atts + (caption ? 1 : 0));
      len = caption.length;
      this.pendingAttachments = rowAtts;
    } else {
      this.body(row, text, () => this.bodies[ti]!);
      len = text.length;
      if (kind === 'reply') {
        const target = r.pick(chat.recent);
        this.set(row, 'thread_originator_guid', target.guid);
        this.set(row, 'thread_originator_part', `0:0:${Math.max(1, target.len)}`);
      } else if (kind === 'edit') {
        const before = this.texts[(ti + 1) % this.texts.length]!;
        this.set(row, 'date_edited', this.stamp(appleMs + 90_000));
        const s0 = appleMs / 1000;
        this.set(row, 'message_summary_info', writeBplist({ amc: 0, ec: { 0: [{ t: this.bodyFor(before), d: new PlistReal(s0) }, { t: this.bodies[ti] ?? this.bodyFor(text), d: new PlistReal(s0 + 90) }] }, ust: true, ep: [0], otr: { 0: { lo: 0, le: before.length } } }));
      }
    }

    const rowid = Number(this.insMessage.run(row).lastInsertRowid);
    this.insJoin.run(chat.rowid, rowid, date);
    if (this.pendingAttachments) {
      for (const a of this.pendingAttachments) this.insAttJoin.run(rowid, a);
      this.pendingAttachments = null;
    }
    if (kind !== 'group_event' && kind !== 'tapback' && kind !== 'unsend') {
      chat.recent.push({ guid, len, atts, ti: kind === 'text' || kind === 'reply' || kind === 'edit' ? ti : -1 });
      if (chat.recent.length > 16) chat.recent.shift();
    }
  }

  private pendingAttachments: number[] | null = null;

  private bodyFor(text: string): Buffer {
    return this.encoded(`t:${text}`, text);
  }

  private payload(key: string, make: () => Buffer): Buffer {
    let b = this.cache.get(key);
    if (!b) { b = make(); this.cache.set(key, b); }
    return b;
  }

  private attachment(guid: string, name: string, outgoing: boolean, appleMs: number): number {
    const sticker = name.startsWith('sticker_');
    const rel = attachmentRelPath(guid, name, sticker);
    const size = this.r.int(2_000, 4_000_000);
    if (this.o.attachmentFiles) {
      const path = join(this.o.home, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `generated attachment ${name}\n`);
    }
    const t = typesFor(name);
    this.attachments++;
    return Number(this.insAttachment.run({
      guid, original_guid: guid, created_date: Math.floor(appleMs / 1000), filename: `~/${rel}`, uti: t.uti, mime_type: t.mime,
      transfer_state: 5, is_outgoing: outgoing ? 1 : 0, transfer_name: name, total_bytes: size, is_sticker: sticker ? 1 : 0,
    }).lastInsertRowid);
  }
}
