// Sending as contacts through one reused channel webhook. Everything goes via
// discord.js's REST manager, so its per-bucket queue paces us and keeps order
// within a webhook (= within a chat).
import { Routes, type REST } from 'discord.js';
import { discordCodeOf, httpStatusOf, withRedaction } from './requestErrors.ts';
import { NO_MENTIONS } from './toDiscord.ts';

export interface WebhookTarget {
  webhookId: string;
  webhookToken: string;
  /** Forum post / thread to post into, if any. */
  threadId: string | null;
}

export interface WebhookBody { content?: string; username?: string; embeds?: unknown[]; thread_name?: string }
export interface OutFile { name: string; data: Buffer }
export interface SentMessage { id: string; channel_id: string }

export class WebhookSender {
  constructor(private readonly rest: REST) {}

  async execute(t: WebhookTarget, body: WebhookBody, files: OutFile[] = []): Promise<SentMessage> {
    const query = new URLSearchParams({ wait: 'true' });
    if (t.threadId) query.set('thread_id', t.threadId);
    const payload = { ...body, allowed_mentions: NO_MENTIONS, ...(files.length ? { attachments: files.map((f, i) => ({ id: i, filename: f.name })) } : {}) };
    return await withRedaction([t.webhookToken], () => this.rest.post(Routes.webhook(t.webhookId, t.webhookToken), {
      body: payload, query, auth: false, files: files.length ? files.map((f) => ({ name: f.name, data: f.data })) : undefined,
    })) as SentMessage;
  }

  async edit(t: WebhookTarget, messageId: string, body: { content: string }): Promise<void> {
    await withRedaction([t.webhookToken], () => this.rest.patch(Routes.webhookMessage(t.webhookId, t.webhookToken, messageId), {
      body: { ...body, allowed_mentions: NO_MENTIONS }, query: this.threadQuery(t), auth: false,
    }));
  }

  /** Deleting something already gone is success: the wanted state holds. */
  async delete(t: WebhookTarget, messageId: string): Promise<void> {
    try {
      await withRedaction([t.webhookToken], () => this.rest.delete(Routes.webhookMessage(t.webhookId, t.webhookToken, messageId), { query: this.threadQuery(t), auth: false }));
    } catch (e) {
      if (discordCodeOf(e) !== 10008) throw e;
    }
  }

  private threadQuery(t: WebhookTarget): URLSearchParams | undefined {
    return t.threadId ? new URLSearchParams({ thread_id: t.threadId }) : undefined;
  }
}

export const isTooLarge = (e: unknown): boolean => discordCodeOf(e) === 40005 || httpStatusOf(e) === 413;
