// The gateway's contract as zod schemas: the routes validate requests with
// them, their handlers are typed by them, and /v1/openapi.json is generated
// from them (@fastify/swagger + fastify-type-provider-zod). Each named schema
// (`.meta({ id })`) becomes a component of the document.
import { z } from 'zod';
import { ERROR_STATUS } from './errors.ts';

const iso = z.iso.datetime({ offset: true }).describe('ISO 8601 UTC date-time');
const isoOrNull = iso.nullable();

export const AttachmentSchema = z.object({
  path: z.string().nullable().describe('Absolute path on the Mac; null when Messages has not downloaded it'),
  mime_type: z.string().nullable(),
  transfer_name: z.string().nullable(),
  size: z.number().int(),
  uti: z.string().nullable(),
  is_sticker: z.boolean(),
  url: z.string().describe('Where to download it from this API (GET, read scope)'),
}).meta({ id: 'Attachment', examples: [{ path: '/Users/me/Library/Messages/Attachments/ab/01/IMG_0001.heic', mime_type: 'image/heic', transfer_name: 'IMG_0001.heic', size: 123456, uti: 'public.heic', is_sticker: false, url: '/v1/attachments/p%3A0%2FMSG-1/0' }] });

const service = z.enum(['iMessage', 'SMS', 'RCS', 'any', 'unknown']);

export const MessageSchema = z.object({
  rowid: z.number().int().describe('chat.db ROWID'),
  guid: z.string(),
  chat_guid: z.string().nullable(),
  from_me: z.boolean(),
  sender: z.string().describe('E.164 phone, email, or "me"'),
  sender_name: z.string().optional().describe('Contacts name (or the handle), when the gateway knows Contacts'),
  service,
  date: isoOrNull,
  text: z.string(),
  attachments: z.array(AttachmentSchema),
  reaction: z.object({
    type: z.enum(['love', 'like', 'dislike', 'laugh', 'emphasize', 'question', 'emoji', 'sticker']),
    emoji: z.string().nullable(), target_guid: z.string(), target_part: z.number().int(), removed: z.boolean(),
  }).nullable(),
  reply_to: z.object({ guid: z.string(), part: z.number().int() }).nullable(),
  edited_at: isoOrNull,
  edits: z.array(z.string()),
  unsent: z.boolean(),
  event: z.object({
    type: z.enum(['renamed', 'member_added', 'member_removed', 'member_left', 'photo_changed']),
    name: z.string().optional(), handle: z.string().optional(), actor: z.string().optional(),
  }).nullable(),
  error: z.number().int().describe('chat.db error code; 0 = none'),
  kind: z.enum(['text', 'reaction', 'group_event', 'url_preview', 'app', 'other']),
  read_at: isoOrNull,
  delivered_at: isoOrNull,
  unsent_at: isoOrNull,
  unsent_parts: z.array(z.number().int()),
  is_sent: z.boolean(),
  is_delivered: z.boolean(),
  is_read: z.boolean(),
  balloon_bundle_id: z.string().nullable(),
}).meta({
  id: 'Message',
  examples: [{
    rowid: 1201, guid: 'B1C2D3E4-0000-4000-8000-000000000001', chat_guid: 'iMessage;-;+15551230001', from_me: false, sender: '+15551230001', sender_name: 'Ada Lovelace',
    service: 'iMessage', date: '2024-05-01T12:00:00.000Z', text: 'Lunch at noon?', attachments: [], reaction: null, reply_to: null, edited_at: null, edits: [],
    unsent: false, event: null, error: 0, kind: 'text', read_at: null, delivered_at: null, unsent_at: null, unsent_parts: [], is_sent: false, is_delivered: false, is_read: false, balloon_bundle_id: null,
  }],
});

export const ChatSchema = z.object({
  guid: z.string().describe('The raw chat guid, as chat.db has it (macOS 26: `any;-;…`)'),
  service: service.describe('The service its messages use; on macOS 26 derived from the messages where the guid says `any`'),
  display_name: z.string().nullable(),
  name: z.string().optional().describe('display_name, or the participants\' Contacts names'),
  participant_names: z.array(z.string()).optional(),
  is_group: z.boolean(),
  participants: z.array(z.string()),
  last_message_at: isoOrNull,
  identifier: z.string(),
}).meta({
  id: 'Chat',
  examples: [{ guid: 'iMessage;-;+15551230001', service: 'iMessage', display_name: null, name: 'Ada Lovelace', participant_names: ['Ada Lovelace'], is_group: false, participants: ['+15551230001'], last_message_at: '2024-05-01T12:00:00.000Z', identifier: '+15551230001' }],
});

const cursor = z.string().nullable().describe('Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet)');

export const ChatPageSchema = z.object({ chats: z.array(ChatSchema), next_cursor: cursor, prev_cursor: cursor }).meta({ id: 'ChatPage' });

export const MessagePageSchema = z.object({
  chat: ChatSchema,
  messages: z.array(MessageSchema).describe('Oldest first'),
  next_cursor: cursor.describe('Older messages'),
  prev_cursor: cursor.describe('Newer messages'),
}).meta({ id: 'MessagePage' });

export const MessageEnvelopeSchema = z.object({ message: MessageSchema }).meta({ id: 'MessageEnvelope' });

export const SearchHitSchema = z.object({
  snippet: z.string().describe('HTML-escaped text around the match, matches wrapped in <mark>'),
  message: MessageSchema,
  chat: ChatSchema,
}).meta({ id: 'SearchHit' });

export const SearchPageSchema = z.object({
  results: z.array(SearchHitSchema).describe('Newest first'),
  next_cursor: cursor.describe('Older hits'),
  prev_cursor: cursor.describe('Newer hits'),
}).meta({ id: 'SearchPage' });

export const FateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.enum(['queued', 'sending']) }),
  z.object({ state: z.literal('sent'), messageGuid: z.string() }),
  z.object({ state: z.literal('failed'), code: z.string(), reason: z.string() }),
  z.object({ state: z.literal('unknown'), reason: z.string() }),
  z.object({ state: z.literal('scheduled') }).describe('Waiting for send_at; then it joins the outbox'),
  z.object({ state: z.literal('cancelled') }),
]).meta({ id: 'Fate' });

export const OutboxItemSchema = z.object({
  id: z.string().describe('Outbox id (or scheduled-send id, `sch_…`)'),
  chat: z.string().describe('Chat guid'),
  fate: FateSchema,
  send_at: iso.optional().describe('For scheduled sends: when it goes out'),
  warnings: z.array(z.string()).optional(),
  timed_out: z.boolean().optional().describe('With ?wait=true: no final fate within the wait'),
}).meta({ id: 'OutboxItem', examples: [{ id: '0f3c2a4e-8d1b-4c1e-9a55-5b8f1c2d3e4f', chat: 'iMessage;-;+15551230001', fate: { state: 'queued' } }] });

export const ScheduledListSchema = z.object({ scheduled: z.array(OutboxItemSchema), next_cursor: cursor, prev_cursor: cursor }).meta({ id: 'ScheduledList' });

export const EventSchema = z.object({
  type: z.enum(['message', 'reaction', 'edit', 'unsend', 'group_event', 'delivery']),
  id: z.number().int().nullable().describe('ROWID of a new row; null for updates (edit, unsend, delivery)'),
  key: z.string().describe('Idempotency key: same key, same effect'),
  chat: ChatSchema,
  message: MessageSchema,
  status: z.enum(['delivered', 'read', 'failed']).optional(),
  sent_by: z.object({ connector: z.string(), userId: z.string(), displayName: z.string() }).optional(),
  resume_from: z.number().int().optional().describe('WebSocket only: ROWID part of last_event_id'),
  last_event_id: z.string().optional().describe('WebSocket only: the position to reconnect with'),
}).meta({ id: 'Event', description: 'One live event (SSE `data:`, a WebSocket message, a webhook body)' });

export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string().describe('What went wrong, in a sentence'),
    advice: z.string().optional().describe('What to do about it'),
  }),
}).meta({ id: 'Error', examples: [{ error: { code: 'unknown_chat', message: 'No chat "iMessage;-;+15550000000" in chat.db.' } }] });

export type MessageOut = z.output<typeof MessageSchema>;
export type ChatOut = z.output<typeof ChatSchema>;
export type OutboxItemOut = z.output<typeof OutboxItemSchema>;
export type EventOut = z.output<typeof EventSchema>;
