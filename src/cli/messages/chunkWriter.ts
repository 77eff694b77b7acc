// Byte chunks to stdout, waiting for 'drain' when a pipe is full (pipes are
// asynchronous on macOS), so a slow reader holds the producer back instead
// of the output piling up in memory.
export class ChunkWriter {
  /** The reader went away (`| head`): stop producing, quietly. */
  closed = false;

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  /** Resolves at once unless this chunk filled the pipe. `written` runs once the bytes are out (they may be reused then). */
  write(bytes: Uint8Array, written?: () => void): Promise<void> | undefined {
    if (bytes.length === 0 || this.closed) {
      written?.();
      return undefined;
    }
    if (this.out.write(bytes, written && ((e) => { if (!e) written(); }))) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }
}
