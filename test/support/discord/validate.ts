// The input checks Discord applies that a bridge is most likely to trip over.
import { ApiError, type UploadedFile } from './restPlumbing.ts';

const formError = (field: string, code: string, message: string): ApiError =>
  new ApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });

export function checkContent(body: Record<string, unknown>, files: UploadedFile[], requireSomething = true): void {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') throw formError('content', 'STRING_TYPE_CONVERT', 'Could not interpret as string.');
  if (typeof content === 'string' && content.length > 2000) throw formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if (requireSomething && !content && embeds.length === 0 && files.length === 0) throw new ApiError(400, 50006, 'Cannot send an empty message');
}

/** Webhook username rules: 1–80 chars, no "clyde"/"discord", not "everyone"/"here". */
export function checkWebhookUsername(name: unknown): void {
  if (name === undefined || name === null) return;
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) throw formError('username', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.');
  const lower = name.toLowerCase();
  if (lower.includes('clyde') || lower.includes('discord') || lower === 'everyone' || lower === 'here') {
    throw formError('username', 'USERNAME_INVALID_CONTAINS', 'Username cannot contain "clyde", "discord", or be "everyone" or "here"');
  }
}

export function checkUploads(files: UploadedFile[], maxUploadBytes: number): void {
  if (files.some((f) => f.data.length > maxUploadBytes)) throw new ApiError(413, 40005, 'Request entity too large');
}
