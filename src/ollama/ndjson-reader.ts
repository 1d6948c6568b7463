import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { fillTemplate } from '../util/text.js';
import { MalformedReplyError } from './errors.js';
import { asyncCallBacklog } from '../util/async-call-backlog.js';

const NEWLINE = 10;
const CARRIAGE_RETURN = '\r';

export interface NdjsonReaderOptions {
  /** Longest line accepted, in bytes without the newline (default 1 MiB). */
  maxLineBytes?: number;
  /** Bytes asked of the stream per read (default 64 KiB). */
  chunkBytes?: number;
  /** The server, for error messages. */
  host?: string | null;
}

/**
 * Splits a byte stream into lines, 64 KiB at a time: it looks for byte 10 in the raw
 * chunk and decodes only complete lines (GJS's TextDecoder cannot decode a partial UTF-8
 * sequence), all lines of a chunk in one decode. Bytes after the last newline wait for
 * the next chunk. Empty lines are skipped, a trailing "\r" is dropped, and a last line
 * without a newline still counts. A line longer than the limit fails as soon as the limit
 * is passed, without buffering the rest.
 */
export class NdjsonReader {
  readonly maxLineBytes: number;
  private readonly chunkBytes: number;
  private readonly host: string | null;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes of the line being assembled, in arrival order. */
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private ended = false;
  /** A failure (line too long, bad UTF-8) ends the stream for good: later reads repeat it. */
  private failure: MalformedReplyError | null = null;
  /** Lines decoded but not yet handed out by readLine(). */
  private pending: string[] = [];
  private pendingIndex = 0;

  constructor(
    private readonly stream: Gio.InputStream,
    options: NdjsonReaderOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
    this.chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.host = options.host ?? null;
  }

  /**
   * The complete lines of the next chunk(s) (never an empty list), or null at the end of
   * the stream. The cheapest way through a stream: one promise per chunk, not per line.
   */
  async readLines(cancellable: Gio.Cancellable | null = null): Promise<string[] | null> {
    if (this.pendingIndex < this.pending.length) {
      const rest = this.pending.slice(this.pendingIndex);
      this.pending = [];
      this.pendingIndex = 0;
      return rest;
    }
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      const bytes = await this.stream.read_bytes_async(
        this.chunkBytes,
        GLib.PRIORITY_DEFAULT,
        cancellable,
      );
      asyncCallBacklog.note();
      const lines = bytes.get_size() === 0 ? this.finish() : this.take(bytes.toArray());
      if (lines.length > 0) return lines;
    }
  }

  /** The next non-empty line, or null at the end of the stream. */
  async readLine(cancellable: Gio.Cancellable | null = null): Promise<string | null> {
    if (this.pendingIndex >= this.pending.length) {
      const lines = await this.readLines(cancellable);
      if (lines === null) return null;
      this.pending = lines;
      this.pendingIndex = 0;
    }
    return this.pending[this.pendingIndex++];
  }

  /** Closes the stream (which drops an HTTP connection mid-body); never throws. */
  async close(): Promise<void> {
    this.ended = true;
    this.pending = [];
    this.pendingIndex = 0;
    try {
      await this.stream.close_async(GLib.PRIORITY_DEFAULT, null);
    } catch {
      // Already closed or broken: either way it is closed now.
    }
  }

  private take(chunk: Uint8Array): string[] {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.keep(chunk);
      return [];
    }
    let region = chunk.subarray(0, last);
    if (this.carryBytes > 0) {
      const first = chunk.indexOf(NEWLINE);
      if (this.carryBytes + first > this.maxLineBytes) this.tooLong();
      region = this.joinCarry(region);
    }
    this.checkLineLengths(region);
    const lines = this.split(region);
    if (last + 1 < chunk.length) this.keep(chunk.subarray(last + 1));
    return lines;
  }

  private finish(): string[] {
    this.ended = true;
    if (this.carryBytes === 0) return [];
    return this.split(this.joinCarry(new Uint8Array(0)));
  }

  private keep(bytes: Uint8Array): void {
    if (this.carryBytes + bytes.length > this.maxLineBytes) this.tooLong();
    this.carry.push(bytes);
    this.carryBytes += bytes.length;
  }

  private joinCarry(tail: Uint8Array): Uint8Array {
    const joined = new Uint8Array(this.carryBytes + tail.length);
    let offset = 0;
    for (const part of this.carry) {
      joined.set(part, offset);
      offset += part.length;
    }
    joined.set(tail, offset);
    this.carry = [];
    this.carryBytes = 0;
    return joined;
  }

  /** Lines inside one chunk can only be too long when the limit is below the chunk size. */
  private checkLineLengths(region: Uint8Array): void {
    if (region.length <= this.maxLineBytes) return;
    let start = 0;
    for (;;) {
      const end = region.indexOf(NEWLINE, start);
      if ((end < 0 ? region.length : end) - start > this.maxLineBytes) this.tooLong();
      if (end < 0) return;
      start = end + 1;
    }
  }

  /** Decodes whole lines at once; byte 10 never occurs inside a UTF-8 sequence. */
  private split(region: Uint8Array): string[] {
    let text: string;
    try {
      text = this.decoder.decode(region);
    } catch {
      throw this.fail(_('a line is not valid UTF-8'));
    }
    const lines = text.split('\n');
    let kept = 0;
    for (let line of lines) {
      if (line.endsWith(CARRIAGE_RETURN)) line = line.slice(0, -1);
      if (line.length > 0) lines[kept++] = line;
    }
    lines.length = kept;
    return lines;
  }

  private tooLong(): never {
    throw this.fail(
      fillTemplate(_('a line is too long (over {limit} bytes)'), { limit: this.maxLineBytes }),
    );
  }

  private fail(detail: string): MalformedReplyError {
    this.carry = [];
    this.carryBytes = 0;
    this.failure = new MalformedReplyError(detail, { host: this.host });
    return this.failure;
  }
}
