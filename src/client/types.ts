// The client's names for the gateway's JSON, all taken from the generated
// OpenAPI types (openapi.gen.ts), so they cannot drift from the API: the drift
// test regenerates that file from the served document and compares.
import type { components, operations } from './openapi.gen.js';

type Schemas = components['schemas'];

export type Message = Schemas['Message'];
export type Chat = Schemas['Chat'];
export type Attachment = Schemas['Attachment'];
export type SearchHit = Schemas['SearchHit'];
export type OutboxItem = Schemas['OutboxItem'];
export type Fate = Schemas['Fate'];
/** One live event: an SSE `data:`, a WebSocket message, a webhook body. */
export type LiveEvent = Schemas['Event'];
export type ChatPage = Schemas['ChatPage'];
export type MessagePage = Schemas['MessagePage'];
export type SearchPage = Schemas['SearchPage'];
export type ScheduledList = Schemas['ScheduledList'];
export type ErrorBody = Schemas['Error'];
export type ErrorCode = ErrorBody['error']['code'];
/** A fate of one of this token's own sends, pushed on the live stream (never replayed). */
export type FateFrame = Fate & { id: string };

type Query<Op extends keyof operations> = operations[Op]['parameters']['query'];
export type ListChatsQuery = NonNullable<Query<'listChats'>>;
export type ListMessagesQuery = NonNullable<Query<'listMessages'>>;
export type SearchQuery = Query<'search'>;
export type SendQuery = NonNullable<Query<'send'>>;
export type ListScheduledQuery = NonNullable<Query<'listScheduled'>>;
/** POST /v1/send's JSON body: exactly one of `chat` or `to`. */
export type SendBody = NonNullable<operations['send']['requestBody']>['content']['application/json'];
