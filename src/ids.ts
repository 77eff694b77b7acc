// Branded ids: a chat guid can never be passed where a message guid is
// expected. They are made in one place (the readers and the bridge database).
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ChatGuid = Brand<string, 'ChatGuid'>;
export type MessageGuid = Brand<string, 'MessageGuid'>;
export type ConnectorId = Brand<string, 'ConnectorId'>;
export type OutboxId = Brand<string, 'OutboxId'>;

export const chatGuid = (s: string): ChatGuid => s as ChatGuid;
export const messageGuid = (s: string): MessageGuid => s as MessageGuid;
export const connectorId = (s: string): ConnectorId => s as ConnectorId;
export const outboxId = (s: string): OutboxId => s as OutboxId;
