import { z } from 'zod';

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
  webhooks: z.array(z.object({ url: z.string().url(), secret: z.string().min(16) })).default([]),
  web_client: z.boolean().default(true),
}).strict();
