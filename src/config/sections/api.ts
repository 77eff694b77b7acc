import { z } from 'zod';
import { durationMs } from '../duration.ts';

export const apiSection = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
  /** Required to bind anything but loopback. */
  allow_remote: z.boolean().default(false),
  /** Extra Host header values accepted (DNS-rebinding guard). */
  allowed_hosts: z.array(z.string()).default([]),
  /** CORS origins; none unless set. */
  cors_origins: z.array(z.string()).default([]),
  /** Restrict `send` scope: `mirrored` chats only, or an allowlist. */
  send_restriction: z.enum(['none', 'mirrored', 'allowlist']).default('none'),
  send_allowlist: z.array(z.string()).default([]),
  body_limit_bytes: z.number().int().positive().default(1024 * 1024),
  file_limit_bytes: z.number().int().positive().default(100 * 1024 * 1024),
  webhooks: z.array(z.object({ url: z.string().url(), secret: z.string().min(16) }).strict()).default([]),
  web_client: z.boolean().default(true),
  /** Failed authentications per client address per minute before 429s. */
  auth_failures_per_minute: z.number().int().positive().default(20),
  /** Sends per token per minute. */
  sends_per_minute: z.number().int().positive().default(30),
  /** Longest `POST /v1/send?wait=true` waits for chat.db's confirmation. */
  send_wait_timeout_ms: durationMs(1).default(30_000),
  /** First webhook retry delay; doubles per attempt up to webhook_backoff_max_ms. */
  webhook_backoff_ms: durationMs(1).default(2_000),
  webhook_backoff_max_ms: durationMs(1).default(3_600_000),
  /** Attempts before a webhook delivery is parked as dead. */
  webhook_max_attempts: z.number().int().positive().default(15),
}).strict();
