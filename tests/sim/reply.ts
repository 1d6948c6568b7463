import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const CHUNK = 64 * 1024;

/**
 * An HTTP response that knows when its client went away, honours back-pressure, and can
 * misbehave on purpose (cut the connection, stall, send an oversized line).
 */
export class Reply {
  bytesWritten = 0;
  private ended = false;
  private closed = false;
  private readonly goneSignal: Promise<void>;
  private markGone: () => void = () => {};

  constructor(protected readonly res: ServerResponse) {
    this.goneSignal = new Promise((resolve) => (this.markGone = resolve));
    res.once('close', () => {
      this.closed = true;
      this.markGone();
    });
  }

  /** True once the response ended or the client closed the connection. */
  get gone(): boolean {
    return this.ended || this.closed;
  }

  whenGone(): Promise<void> {
    return this.goneSignal;
  }

  head(status: number, headers: OutgoingHttpHeaders): void {
    if (this.res.headersSent || this.gone) return;
    this.res.writeHead(status, headers);
  }

  async write(text: string): Promise<void> {
    let start = 0;
    while (start < text.length && !this.gone) {
      let end = Math.min(text.length, start + CHUNK);
      // Never split a surrogate pair across two writes.
      if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end--;
      const chunk = text.slice(start, end);
      start = end;
      this.bytesWritten += Buffer.byteLength(chunk);
      if (!this.res.write(chunk)) await this.drained();
    }
  }

  end(text?: string): void {
    if (this.gone) return;
    this.ended = true;
    this.res.end(text);
    this.markGone();
  }

  /** Drops the connection without finishing the response (a TCP reset). */
  abort(): void {
    if (this.gone) return;
    this.ended = true;
    const socket = this.res.socket;
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else this.res.destroy();
    this.markGone();
  }

  /** Sends nothing until the client gives up, or for `ms` when given. */
  async stall(ms: number | undefined): Promise<void> {
    if (ms === undefined) return this.whenGone();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.whenGone(),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  /** A valid JSON object of exactly `bytes` characters, newline excluded. */
  static hugeLine(bytes: number): string {
    const frame = '{"status":""}';
    return `{"status":"${'x'.repeat(Math.max(0, bytes - frame.length))}"}`;
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
