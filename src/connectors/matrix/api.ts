// The few client-server calls the connector makes, on top of matrix-bot-sdk's
// MatrixClient (auth, impersonation for ghosts, error objects). Sends and
// redactions always carry our own deterministic transaction ids.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MatrixClient } from 'matrix-bot-sdk';
import { HomeserverUnreachableError, MatrixConnectorError } from './errors.ts';

const enc = encodeURIComponent;

export class MatrixApi {
  constructor(readonly client: MatrixClient, readonly userId: string) {}

  /** `ts` (appservice tokens only, history): the event's origin_server_ts. */
  async send(roomId: string, type: string, content: Record<string, unknown>, txnId: string, ts?: number): Promise<string> {
    const r = await this.client.doRequest('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/${enc(type)}/${enc(txnId)}`, ts !== undefined ? { ts } : null, content) as { event_id: string };
    return r.event_id;
  }

  async redact(roomId: string, eventId: string, txnId: string, reason?: string): Promise<string> {
    const r = await this.client.doRequest('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/redact/${enc(eventId)}/${enc(txnId)}`, null, reason ? { reason } : {}) as { event_id: string };
    return r.event_id;
  }

  async setState(roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
    const r = await this.client.doRequest('PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`, null, content) as { event_id: string };
    return r.event_id;
  }

  async createRoom(body: Record<string, unknown>): Promise<string> {
    const r = await this.client.doRequest('POST', '/_matrix/client/v3/createRoom', null, body) as { room_id: string };
    return r.room_id;
  }

  invite(roomId: string, userId: string): Promise<unknown> {
    return this.client.doRequest('POST', `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, null, { user_id: userId });
  }

  join(roomId: string): Promise<unknown> {
    return this.client.doRequest('POST', `/_matrix/client/v3/join/${enc(roomId)}`, null, {});
  }

  leave(roomId: string): Promise<unknown> {
    return this.client.doRequest('POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, null, {});
  }

  kick(roomId: string, userId: string, reason: string): Promise<unknown> {
    return this.client.doRequest('POST', `/_matrix/client/v3/rooms/${enc(roomId)}/kick`, null, { user_id: userId, reason });
  }

  receipt(roomId: string, eventId: string): Promise<unknown> {
    return this.client.doRequest('POST', `/_matrix/client/v3/rooms/${enc(roomId)}/receipt/m.read/${enc(eventId)}`, null, {});
  }

  setDisplayName(name: string): Promise<unknown> {
    return this.client.doRequest('PUT', `/_matrix/client/v3/profile/${enc(this.userId)}/displayname`, null, { displayname: name });
  }

  setAvatar(mxc: string): Promise<unknown> {
    return this.client.doRequest('PUT', `/_matrix/client/v3/profile/${enc(this.userId)}/avatar_url`, null, { avatar_url: mxc });
  }

  async accountData<T>(type: string): Promise<T | null> {
    try {
      return await this.client.doRequest('GET', `/_matrix/client/v3/user/${enc(this.userId)}/account_data/${enc(type)}`) as T;
    } catch (e) {
      if ((e as { errcode?: string }).errcode === 'M_NOT_FOUND') return null;
      throw e;
    }
  }

  setAccountData(type: string, content: Record<string, unknown>): Promise<unknown> {
    return this.client.doRequest('PUT', `/_matrix/client/v3/user/${enc(this.userId)}/account_data/${enc(type)}`, null, content);
  }

  upload(data: Buffer, contentType: string, name: string): Promise<string> {
    return this.client.uploadContent(data, contentType, name);
  }
}

export async function whoami(client: MatrixClient, url: string): Promise<string> {
  try {
    const r = await client.doRequest('GET', '/_matrix/client/v3/account/whoami') as { user_id: string };
    return r.user_id;
  } catch (e) {
    const errcode = (e as { errcode?: string }).errcode;
    if (errcode === 'M_UNKNOWN_TOKEN' || errcode === 'M_FORBIDDEN') {
      throw new MatrixConnectorError(`the homeserver rejected the bridge's access token (${errcode})`, 'bad_token',
        'create a new access token for the bot account (bot mode) or re-register the appservice, and update the config');
    }
    throw new HomeserverUnreachableError(url, (e as Error).message ?? String(e));
  }
}

/**
 * Authenticated media download (Synapse refuses the old unauthenticated
 * endpoint for new media), streamed to `path` with a byte cap: a declared or
 * actual size past `maxBytes` aborts the transfer and leaves no file behind.
 */
export async function downloadMediaTo(hsUrl: string, token: string, mxc: string, path: string, maxBytes = 100 * 1024 * 1024): Promise<{ size: number; contentType: string }> {
  const m = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(mxc);
  if (!m) throw new MatrixConnectorError(`not a Matrix media URL: ${mxc}`, 'bad_mxc', 'the sender\'s client produced a malformed attachment; ask them to resend it');
  const url = `${hsUrl.replace(/\/$/, '')}/_matrix/client/v1/media/download/${enc(m[1] as string)}/${enc(m[2] as string)}`;
  const abort = new AbortController();
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.any([abort.signal, AbortSignal.timeout(120_000)]) });
  const tooLarge = (size: number): MatrixConnectorError => new MatrixConnectorError('the file is too large to send through iMessage', 'media_too_large', `send a file smaller than ${Math.floor(maxBytes / 1024 / 1024)} MB`, { size, maxBytes });
  if (!r.ok) {
    abort.abort();
    throw new MatrixConnectorError(`media download failed: HTTP ${r.status}`, 'media_download', 'the file may have been deleted or be too large for the homeserver', { status: r.status });
  }
  const declared = Number(r.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    abort.abort();
    throw tooLarge(declared);
  }
  let size = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      done(size > maxBytes ? tooLarge(size) : null, chunk);
    },
  });
  try {
    if (!r.body) throw new MatrixConnectorError('media download returned no body', 'media_download', 'ask the sender to resend the file', { status: r.status });
    await pipeline(Readable.fromWeb(r.body as import('node:stream/web').ReadableStream<Uint8Array>), capped, createWriteStream(path));
  } catch (e) {
    abort.abort();
    await rm(path, { force: true });
    throw e;
  }
  return { size, contentType: r.headers.get('content-type') ?? 'application/octet-stream' };
}
