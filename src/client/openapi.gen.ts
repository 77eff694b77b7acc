// GENERATED from GET /v1/openapi.json by openapi-typescript. Do not edit.
// test/api/clientTypes.test.ts fails when this file and the API drift apart;
// regenerate with: UPDATE_CLIENT_TYPES=1 node scripts/test.mjs test/api/clientTypes
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (no auth) */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (no auth) */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List chats, newest activity first */
        get: operations["listChats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chats/{guid}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Page through a chat, oldest first within a page
         * @description Without a cursor: the newest page. next_cursor pages to older messages, prev_cursor to newer ones.
         */
        get: operations["listMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{guid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One message by guid */
        get: operations["getMessage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/attachments/{guid}/{part}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an attachment file
         * @description Only files inside ~/Library/Messages/Attachments are served. Messages carry this URL in attachments[].url.
         */
        get: operations["getAttachment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a message through the outbox
         * @description JSON, or multipart/form-data with one `file` part. Checked here, not by the schema validator, because multipart is streamed.
         */
        post: operations["send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This token's scheduled sends still waiting, soonest first */
        get: operations["listScheduled"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scheduled/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Cancel a scheduled send that has not gone out yet */
        delete: operations["cancelScheduled"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/outbox/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A send's current fate (this token's own sends only) */
        get: operations["getSend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Full-text search, newest first */
        get: operations["search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events as Server-Sent Events, resumable
         * @description Event ids are resume positions: `<rowid>` (replay new chat.db rows after this ROWID) or `<rowid>:<seq>` (also replay the edits, unsends and delivered/read/failed changes logged after event-log position `seq`; updates are kept about 3 days). Send back the last id you received unchanged. Replays may repeat an event: dedupe by `key`. Each `data:` is an Event (components/schemas/Event). A token with the send scope also gets `event: fate` frames, without an id, for its own sends only: `{id, state, messageGuid?, code?, reason?}` (id: the outbox id). Fates are not replayed; GET /v1/outbox/{id} has the current one.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events over WebSocket, resumable
         * @description Event ids are resume positions: `<rowid>` (replay new chat.db rows after this ROWID) or `<rowid>:<seq>` (also replay the edits, unsends and delivered/read/failed changes logged after event-log position `seq`; updates are kept about 3 days). Send back the last id you received unchanged. Replays may repeat an event: dedupe by `key`. Each message is one Event as JSON; its `last_event_id` is the position to reconnect with (?last_event_id=). Fates of this token's own sends come as `{type: "fate", id, state, messageGuid?, code?, reason?}`.
         */
        get: operations["streamEventsWebSocket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @example {
         *       "path": "/Users/me/Library/Messages/Attachments/ab/01/IMG_0001.heic",
         *       "mime_type": "image/heic",
         *       "transfer_name": "IMG_0001.heic",
         *       "size": 123456,
         *       "uti": "public.heic",
         *       "is_sticker": false,
         *       "url": "/v1/attachments/p%3A0%2FMSG-1/0"
         *     }
         */
        AttachmentInput: {
            /** @description Absolute path on the Mac; null when Messages has not downloaded it */
            path: string | null;
            mime_type: string | null;
            transfer_name: string | null;
            size: number;
            uti: string | null;
            is_sticker: boolean;
            /** @description Where to download it from this API (GET, read scope) */
            url: string;
        };
        /**
         * @example {
         *       "rowid": 1201,
         *       "guid": "B1C2D3E4-0000-4000-8000-000000000001",
         *       "chat_guid": "iMessage;-;+15551230001",
         *       "from_me": false,
         *       "sender": "+15551230001",
         *       "sender_name": "Ada Lovelace",
         *       "service": "iMessage",
         *       "date": "2024-05-01T12:00:00.000Z",
         *       "text": "Lunch at noon?",
         *       "attachments": [],
         *       "reaction": null,
         *       "reply_to": null,
         *       "edited_at": null,
         *       "edits": [],
         *       "unsent": false,
         *       "event": null,
         *       "error": 0,
         *       "kind": "text",
         *       "read_at": null,
         *       "delivered_at": null,
         *       "unsent_at": null,
         *       "unsent_parts": [],
         *       "is_sent": false,
         *       "is_delivered": false,
         *       "is_read": false,
         *       "balloon_bundle_id": null
         *     }
         */
        MessageInput: {
            /** @description chat.db ROWID */
            rowid: number;
            guid: string;
            chat_guid: string | null;
            from_me: boolean;
            /** @description E.164 phone, email, or "me" */
            sender: string;
            /** @description Contacts name (or the handle), when the gateway knows Contacts */
            sender_name?: string;
            /** @enum {string} */
            service: "iMessage" | "SMS" | "RCS" | "any" | "unknown";
            date: string | null;
            text: string;
            attachments: components["schemas"]["AttachmentInput"][];
            reaction: {
                /** @enum {string} */
                type: "love" | "like" | "dislike" | "laugh" | "emphasize" | "question" | "emoji" | "sticker";
                emoji: string | null;
                target_guid: string;
                target_part: number;
                removed: boolean;
            } | null;
            reply_to: {
                guid: string;
                part: number;
            } | null;
            edited_at: string | null;
            edits: string[];
            unsent: boolean;
            event: {
                /** @enum {string} */
                type: "renamed" | "member_added" | "member_removed" | "member_left" | "photo_changed";
                name?: string;
                handle?: string;
                actor?: string;
            } | null;
            /** @description chat.db error code; 0 = none */
            error: number;
            /** @enum {string} */
            kind: "text" | "reaction" | "group_event" | "url_preview" | "app" | "other";
            read_at: string | null;
            delivered_at: string | null;
            unsent_at: string | null;
            unsent_parts: number[];
            is_sent: boolean;
            is_delivered: boolean;
            is_read: boolean;
            balloon_bundle_id: string | null;
        };
        /**
         * @example {
         *       "guid": "iMessage;-;+15551230001",
         *       "service": "iMessage",
         *       "display_name": null,
         *       "name": "Ada Lovelace",
         *       "participant_names": [
         *         "Ada Lovelace"
         *       ],
         *       "is_group": false,
         *       "participants": [
         *         "+15551230001"
         *       ],
         *       "last_message_at": "2024-05-01T12:00:00.000Z",
         *       "identifier": "+15551230001"
         *     }
         */
        ChatInput: {
            /** @description The raw chat guid, as chat.db has it (macOS 26: `any;-;…`) */
            guid: string;
            /**
             * @description The service its messages use; on macOS 26 derived from the messages where the guid says `any`
             * @enum {string}
             */
            service: "iMessage" | "SMS" | "RCS" | "any" | "unknown";
            display_name: string | null;
            /** @description display_name, or the participants' Contacts names */
            name?: string;
            participant_names?: string[];
            is_group: boolean;
            participants: string[];
            last_message_at: string | null;
            identifier: string;
        };
        ChatPageInput: {
            chats: components["schemas"]["ChatInput"][];
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            next_cursor: string | null;
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            prev_cursor: string | null;
        };
        MessagePageInput: {
            chat: components["schemas"]["ChatInput"];
            /** @description Oldest first */
            messages: components["schemas"]["MessageInput"][];
            /** @description Older messages */
            next_cursor: string | null;
            /** @description Newer messages */
            prev_cursor: string | null;
        };
        MessageEnvelopeInput: {
            message: components["schemas"]["MessageInput"];
        };
        SearchHitInput: {
            /** @description HTML-escaped text around the match, matches wrapped in <mark> */
            snippet: string;
            message: components["schemas"]["MessageInput"];
            chat: components["schemas"]["ChatInput"];
        };
        SearchPageInput: {
            /** @description Newest first */
            results: components["schemas"]["SearchHitInput"][];
            /** @description Older hits */
            next_cursor: string | null;
            /** @description Newer hits */
            prev_cursor: string | null;
        };
        FateInput: {
            /** @enum {string} */
            state: "queued" | "sending";
        } | {
            /** @constant */
            state: "sent";
            messageGuid: string;
        } | {
            /** @constant */
            state: "failed";
            code: string;
            reason: string;
        } | {
            /** @constant */
            state: "unknown";
            reason: string;
        } | {
            /** @constant */
            state: "scheduled";
        } | {
            /** @constant */
            state: "cancelled";
        };
        /**
         * @example {
         *       "id": "0f3c2a4e-8d1b-4c1e-9a55-5b8f1c2d3e4f",
         *       "chat": "iMessage;-;+15551230001",
         *       "fate": {
         *         "state": "queued"
         *       }
         *     }
         */
        OutboxItemInput: {
            /** @description Outbox id (or scheduled-send id, `sch_…`) */
            id: string;
            /** @description Chat guid */
            chat: string;
            fate: components["schemas"]["FateInput"];
            /**
             * Format: date-time
             * @description For scheduled sends: when it goes out
             */
            send_at?: string;
            warnings?: string[];
            /** @description With ?wait=true: no final fate within the wait */
            timed_out?: boolean;
        };
        ScheduledListInput: {
            scheduled: components["schemas"]["OutboxItemInput"][];
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            next_cursor: string | null;
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            prev_cursor: string | null;
        };
        /** @description One live event (SSE `data:`, a WebSocket message, a webhook body) */
        EventInput: {
            /** @enum {string} */
            type: "message" | "reaction" | "edit" | "unsend" | "group_event" | "delivery";
            /** @description ROWID of a new row; null for updates (edit, unsend, delivery) */
            id: number | null;
            /** @description Idempotency key: same key, same effect */
            key: string;
            chat: components["schemas"]["ChatInput"];
            message: components["schemas"]["MessageInput"];
            /** @enum {string} */
            status?: "delivered" | "read" | "failed";
            sent_by?: {
                connector: string;
                userId: string;
                displayName: string;
            };
            /** @description WebSocket only: ROWID part of last_event_id */
            resume_from?: number;
            /** @description WebSocket only: the position to reconnect with */
            last_event_id?: string;
        };
        /**
         * @example {
         *       "error": {
         *         "code": "unknown_chat",
         *         "message": "No chat \"iMessage;-;+15550000000\" in chat.db."
         *       }
         *     }
         */
        ErrorInput: {
            error: {
                /** @enum {string} */
                code: "bad_request" | "invalid_json" | "invalid_body" | "bad_cursor" | "bad_query" | "token_in_query" | "unauthorized" | "forbidden_scope" | "send_not_allowed" | "bad_host" | "not_found" | "method_not_allowed" | "unknown_chat" | "unknown_message" | "unknown_attachment" | "unknown_send" | "not_cancellable" | "body_too_large" | "unsupported_media_type" | "rate_limited" | "internal" | "unavailable";
                /** @description What went wrong, in a sentence */
                message: string;
                /** @description What to do about it */
                advice?: string;
            };
        };
        /**
         * @example {
         *       "path": "/Users/me/Library/Messages/Attachments/ab/01/IMG_0001.heic",
         *       "mime_type": "image/heic",
         *       "transfer_name": "IMG_0001.heic",
         *       "size": 123456,
         *       "uti": "public.heic",
         *       "is_sticker": false,
         *       "url": "/v1/attachments/p%3A0%2FMSG-1/0"
         *     }
         */
        Attachment: {
            /** @description Absolute path on the Mac; null when Messages has not downloaded it */
            path: string | null;
            mime_type: string | null;
            transfer_name: string | null;
            size: number;
            uti: string | null;
            is_sticker: boolean;
            /** @description Where to download it from this API (GET, read scope) */
            url: string;
        };
        /**
         * @example {
         *       "rowid": 1201,
         *       "guid": "B1C2D3E4-0000-4000-8000-000000000001",
         *       "chat_guid": "iMessage;-;+15551230001",
         *       "from_me": false,
         *       "sender": "+15551230001",
         *       "sender_name": "Ada Lovelace",
         *       "service": "iMessage",
         *       "date": "2024-05-01T12:00:00.000Z",
         *       "text": "Lunch at noon?",
         *       "attachments": [],
         *       "reaction": null,
         *       "reply_to": null,
         *       "edited_at": null,
         *       "edits": [],
         *       "unsent": false,
         *       "event": null,
         *       "error": 0,
         *       "kind": "text",
         *       "read_at": null,
         *       "delivered_at": null,
         *       "unsent_at": null,
         *       "unsent_parts": [],
         *       "is_sent": false,
         *       "is_delivered": false,
         *       "is_read": false,
         *       "balloon_bundle_id": null
         *     }
         */
        Message: {
            /** @description chat.db ROWID */
            rowid: number;
            guid: string;
            chat_guid: string | null;
            from_me: boolean;
            /** @description E.164 phone, email, or "me" */
            sender: string;
            /** @description Contacts name (or the handle), when the gateway knows Contacts */
            sender_name?: string;
            /** @enum {string} */
            service: "iMessage" | "SMS" | "RCS" | "any" | "unknown";
            date: string | null;
            text: string;
            attachments: components["schemas"]["Attachment"][];
            reaction: {
                /** @enum {string} */
                type: "love" | "like" | "dislike" | "laugh" | "emphasize" | "question" | "emoji" | "sticker";
                emoji: string | null;
                target_guid: string;
                target_part: number;
                removed: boolean;
            } | null;
            reply_to: {
                guid: string;
                part: number;
            } | null;
            edited_at: string | null;
            edits: string[];
            unsent: boolean;
            event: {
                /** @enum {string} */
                type: "renamed" | "member_added" | "member_removed" | "member_left" | "photo_changed";
                name?: string;
                handle?: string;
                actor?: string;
            } | null;
            /** @description chat.db error code; 0 = none */
            error: number;
            /** @enum {string} */
            kind: "text" | "reaction" | "group_event" | "url_preview" | "app" | "other";
            read_at: string | null;
            delivered_at: string | null;
            unsent_at: string | null;
            unsent_parts: number[];
            is_sent: boolean;
            is_delivered: boolean;
            is_read: boolean;
            balloon_bundle_id: string | null;
        };
        /**
         * @example {
         *       "guid": "iMessage;-;+15551230001",
         *       "service": "iMessage",
         *       "display_name": null,
         *       "name": "Ada Lovelace",
         *       "participant_names": [
         *         "Ada Lovelace"
         *       ],
         *       "is_group": false,
         *       "participants": [
         *         "+15551230001"
         *       ],
         *       "last_message_at": "2024-05-01T12:00:00.000Z",
         *       "identifier": "+15551230001"
         *     }
         */
        Chat: {
            /** @description The raw chat guid, as chat.db has it (macOS 26: `any;-;…`) */
            guid: string;
            /**
             * @description The service its messages use; on macOS 26 derived from the messages where the guid says `any`
             * @enum {string}
             */
            service: "iMessage" | "SMS" | "RCS" | "any" | "unknown";
            display_name: string | null;
            /** @description display_name, or the participants' Contacts names */
            name?: string;
            participant_names?: string[];
            is_group: boolean;
            participants: string[];
            last_message_at: string | null;
            identifier: string;
        };
        ChatPage: {
            chats: components["schemas"]["Chat"][];
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            next_cursor: string | null;
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            prev_cursor: string | null;
        };
        MessagePage: {
            chat: components["schemas"]["Chat"];
            /** @description Oldest first */
            messages: components["schemas"]["Message"][];
            /** @description Older messages */
            next_cursor: string | null;
            /** @description Newer messages */
            prev_cursor: string | null;
        };
        MessageEnvelope: {
            message: components["schemas"]["Message"];
        };
        SearchHit: {
            /** @description HTML-escaped text around the match, matches wrapped in <mark> */
            snippet: string;
            message: components["schemas"]["Message"];
            chat: components["schemas"]["Chat"];
        };
        SearchPage: {
            /** @description Newest first */
            results: components["schemas"]["SearchHit"][];
            /** @description Older hits */
            next_cursor: string | null;
            /** @description Newer hits */
            prev_cursor: string | null;
        };
        Fate: {
            /** @enum {string} */
            state: "queued" | "sending";
        } | {
            /** @constant */
            state: "sent";
            messageGuid: string;
        } | {
            /** @constant */
            state: "failed";
            code: string;
            reason: string;
        } | {
            /** @constant */
            state: "unknown";
            reason: string;
        } | {
            /** @constant */
            state: "scheduled";
        } | {
            /** @constant */
            state: "cancelled";
        };
        /**
         * @example {
         *       "id": "0f3c2a4e-8d1b-4c1e-9a55-5b8f1c2d3e4f",
         *       "chat": "iMessage;-;+15551230001",
         *       "fate": {
         *         "state": "queued"
         *       }
         *     }
         */
        OutboxItem: {
            /** @description Outbox id (or scheduled-send id, `sch_…`) */
            id: string;
            /** @description Chat guid */
            chat: string;
            fate: components["schemas"]["Fate"];
            /**
             * Format: date-time
             * @description For scheduled sends: when it goes out
             */
            send_at?: string;
            warnings?: string[];
            /** @description With ?wait=true: no final fate within the wait */
            timed_out?: boolean;
        };
        ScheduledList: {
            scheduled: components["schemas"]["OutboxItem"][];
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            next_cursor: string | null;
            /** @description Opaque; pass back as ?cursor= unchanged. null: nothing further that way (yet) */
            prev_cursor: string | null;
        };
        /** @description One live event (SSE `data:`, a WebSocket message, a webhook body) */
        Event: {
            /** @enum {string} */
            type: "message" | "reaction" | "edit" | "unsend" | "group_event" | "delivery";
            /** @description ROWID of a new row; null for updates (edit, unsend, delivery) */
            id: number | null;
            /** @description Idempotency key: same key, same effect */
            key: string;
            chat: components["schemas"]["Chat"];
            message: components["schemas"]["Message"];
            /** @enum {string} */
            status?: "delivered" | "read" | "failed";
            sent_by?: {
                connector: string;
                userId: string;
                displayName: string;
            };
            /** @description WebSocket only: ROWID part of last_event_id */
            resume_from?: number;
            /** @description WebSocket only: the position to reconnect with */
            last_event_id?: string;
        };
        /**
         * @example {
         *       "error": {
         *         "code": "unknown_chat",
         *         "message": "No chat \"iMessage;-;+15550000000\" in chat.db."
         *       }
         *     }
         */
        Error: {
            error: {
                /** @enum {string} */
                code: "bad_request" | "invalid_json" | "invalid_body" | "bad_cursor" | "bad_query" | "token_in_query" | "unauthorized" | "forbidden_scope" | "send_not_allowed" | "bad_host" | "not_found" | "method_not_allowed" | "unknown_chat" | "unknown_message" | "unknown_attachment" | "unknown_send" | "not_cancellable" | "body_too_large" | "unsupported_media_type" | "rate_limited" | "internal" | "unavailable";
                /** @description What went wrong, in a sentence */
                message: string;
                /** @description What to do about it */
                advice?: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        ok: true;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChats: {
        parameters: {
            query?: {
                /** @description A next_cursor or prev_cursor from the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMessages: {
        parameters: {
            query?: {
                /** @description A next_cursor or prev_cursor from the previous page */
                cursor?: string;
                /** @description Deprecated (use cursor): older than this ROWID */
                before?: number;
                /** @description Deprecated (use cursor): newer than this ROWID */
                after?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Chat guid, or a handle for its one-to-one chat */
                guid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagePage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Message guid */
                guid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageEnvelope"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAttachment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Message guid */
                guid: string;
                /** @description Attachment index on the message */
                part: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file: images, video and audio with their own type (inline), anything else as application/octet-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    send: {
        parameters: {
            query?: {
                /** @description Hold the answer until chat.db confirms the send (or timeout_ms passes) */
                wait?: "0" | "1" | "true" | "false";
                /** @description Wait at most this long (capped by api.send_wait_timeout_ms) */
                timeout_ms?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    chat?: string;
                    to?: string;
                    text?: string;
                    /**
                     * Format: date-time
                     * @description Send later, at this ISO 8601 time (text only; within a year). Listed by GET /v1/scheduled, cancelled by DELETE /v1/scheduled/{id}
                     */
                    send_at?: string;
                };
                "multipart/form-data": {
                    chat?: string;
                    to?: string;
                    text?: string;
                    /**
                     * Format: date-time
                     * @description Send later, at this ISO 8601 time (text only; within a year). Listed by GET /v1/scheduled, cancelled by DELETE /v1/scheduled/{id}
                     */
                    send_at?: string;
                    /**
                     * Format: binary
                     * @description One file; text is then optional
                     */
                    file?: string;
                };
            };
        };
        responses: {
            /** @description Final fate (with ?wait=true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxItem"];
                };
            };
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxItem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listScheduled: {
        parameters: {
            query?: {
                /** @description A next_cursor from the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduledList"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelScheduled: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A scheduled send id (sch_…) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxItem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutboxItem"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    search: {
        parameters: {
            query: {
                /** @description Words, "a phrase", or prefix* */
                q: string;
                /** @description Only this chat (guid or handle) */
                chat?: string;
                /** @description Not before this time: ISO 8601, or epoch milliseconds */
                from?: string;
                /** @description Not after this time: ISO 8601, or epoch milliseconds */
                to?: string;
                /** @description A next_cursor or prev_cursor from the previous page */
                cursor?: string;
                /** @description Deprecated (use cursor): older than this ROWID */
                before?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchPage"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Resume position (`<rowid>` or `<rowid>:<seq>`); SSE also takes the Last-Event-ID header */
                last_event_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEventsWebSocket: {
        parameters: {
            query?: {
                /** @description Resume position (`<rowid>` or `<rowid>:<seq>`); SSE also takes the Last-Event-ID header */
                last_event_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching protocols; then one Event per message */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not a WebSocket upgrade request */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            421: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
