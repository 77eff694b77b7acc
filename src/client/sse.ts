// Server-Sent Events framing over a fetch() body (WHATWG streams, so it runs
// in browsers and Node alike). EventSource is not used: it cannot send the
// Authorization header, and tokens are never accepted in a URL.

export interface SseFrame {
  event: string;
  /** The frame's `id:` (a resume position), or null when it had none. */
  id: string | null;
  data: string;
  /** A `retry:` the server asked for, in ms. */
  retry?: number;
}

export async function* parseSse(body: ReadableStream<Uint8Array>, onBytes: () => void = () => undefined): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onBytes();
      buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let idx: number;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const frame = parseBlock(buf.slice(0, idx));
        buf = buf.slice(idx + 2);
        if (frame) yield frame;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function parseBlock(block: string): SseFrame | null {
  let event = 'message';
  let id: string | null = null;
  let retry: number | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a comment: the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }
  if (data.length === 0) return retry === undefined ? null : { event, id: null, data: '', retry };
  return { event, id, data: data.join('\n'), ...(retry === undefined ? {} : { retry }) };
}
