import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _ } from 'gettext';

import { hostLabel } from '../ollama/ollama-host.js';
import { RequestGuard } from '../ollama/request-guard.js';
import { systemClock, type Clock } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import { BlobReadError } from './errors.js';
import {
  DEFAULT_MAX_HEADER_BYTES,
  GgufHeaderParser,
  keysNotWithin,
  type GgufFacts,
} from './gguf-header.js';

/** llama.cpp's files have the keys and the token count within the first few KB. */
const FIRST_RANGE_BYTES = 64 * 1024;
const READ_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = [301, 302, 303, 307, 308];
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** A header read from a registry, and what it cost. */
export interface HeaderRead {
  facts: GgufFacts;
  /** Bytes received. */
  bytes: number;
  /** HTTP requests sent, redirects included. */
  requests: number;
}

export interface BlobHeaderReaderOptions {
  clock?: Clock;
  /** For each request (default 30). */
  timeoutSeconds?: number;
  /** Bytes received before giving up (default 2 MiB). */
  maxBytes?: number;
  /** The first range's size (default 64 KiB); each next one is twice the last. */
  firstRangeBytes?: number;
}

/**
 * Reads the GGUF header at the start of a registry's weights blob with HTTP range
 * requests, as gguf-parser does: `GET /v2/NS/MODEL/blobs/DIGEST` answers 307 to a blob
 * store, which is then asked for 64 KiB, then twice as much each time, until the parser
 * has the keys it needs. Soup follows no redirect itself and the requests carry no
 * Authorization header at all (the registry's blobs are public), so no key can travel to
 * the blob store's origin. A server that ignores Range is read from the start and left as
 * soon as the keys are in. Everything on the main loop, cancellable.
 */
export class BlobHeaderReader {
  readonly #clock: Clock;
  readonly #timeoutSeconds: number;
  readonly #maxBytes: number;
  readonly #firstRangeBytes: number;
  readonly #session = new Soup.Session({ timeout: 0, user_agent: 'Paddock' });

  constructor(options: BlobHeaderReaderOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#timeoutSeconds = options.timeoutSeconds ?? 30;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.#firstRangeBytes = options.firstRangeBytes ?? FIRST_RANGE_BYTES;
  }

  /**
   * The header facts of the blob at `blobUrl` (`size` bytes, from the manifest). Rejects
   * with GgufHeaderError for a header that cannot be parsed, BlobReadError when the
   * registry does not give the bytes, the ollama/errors network errors, CancelledError.
   */
  async read(
    blobUrl: string,
    size: number,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<HeaderRead> {
    const parser = new GgufHeaderParser({ fileSize: size, maxBytes: this.#maxBytes });
    let uri = BlobHeaderReader.#parse(blobUrl);
    let chunk = this.#firstRangeBytes;
    let requests = 0;
    let bytes = 0;
    while (!parser.done) {
      const start = parser.offset;
      if (start >= size) parser.end();
      // Bytes skipped inside a range count too: never more than maxBytes in all.
      if (bytes >= this.#maxBytes) throw keysNotWithin(this.#maxBytes);
      const end = Math.min(size, start + Math.min(chunk, this.#maxBytes - bytes)) - 1;
      const guard = new RequestGuard(this.#clock, this.#timeoutSeconds, cancellable);
      let input: Gio.InputStream | null = null;
      try {
        const answer = await this.#get(uri, `bytes=${start}-${end}`, guard);
        requests += answer.requests;
        uri = answer.uri;
        input = answer.input;
        const first = BlobHeaderReader.#firstByte(answer.message, start, hostLabel(uri));
        // A server that ignores Range sends the whole blob: read on until the keys are in.
        const until = first === start ? end + 1 : size;
        bytes += await BlobHeaderReader.#feed(parser, input, first, until, guard.cancellable);
        if (!parser.done && parser.offset === start) parser.end();
      } catch (error) {
        throw error instanceof BlobReadError || !(error instanceof GLib.Error)
          ? error
          : guard.explain(error, hostLabel(uri));
      } finally {
        guard.release();
        if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
      }
      chunk *= 2;
    }
    return { facts: parser.facts(), bytes, requests };
  }

  /** One GET with Range, following redirects by hand (each hop a new message with only Range). */
  async #get(
    uri: GLib.Uri,
    range: string,
    guard: RequestGuard,
  ): Promise<{ message: Soup.Message; input: Gio.InputStream; uri: GLib.Uri; requests: number }> {
    for (let hops = 0; ; hops++) {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.add_flags(Soup.MessageFlags.NO_REDIRECT);
      message.get_request_headers().replace('Range', range);
      const input = await this.#session.send_async(
        message,
        GLib.PRIORITY_DEFAULT,
        guard.cancellable,
      );
      const status = message.status_code;
      const location = message.get_response_headers().get_one('Location');
      if (!REDIRECTS.includes(status) || location === null)
        return { message, input, uri, requests: hops + 1 };
      await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
      const target = BlobHeaderReader.#resolve(uri, location);
      if (target === null || hops === MAX_REDIRECTS)
        throw new BlobReadError(
          fillTemplate(_('{host} redirected to an address Paddock cannot follow'), {
            host: hostLabel(uri),
          }),
        );
      uri = target;
    }
  }

  /** Where the body starts in the file: `start` for 206, 0 for 200; an error otherwise. */
  static #firstByte(message: Soup.Message, start: number, host: string): number {
    const status = message.status_code;
    if (status === 200) return 0;
    const range = CONTENT_RANGE.exec(message.get_response_headers().get_one('Content-Range') ?? '');
    if (status === 206 && range && Number(range[1]) === start) return start;
    if (status === 206)
      throw new BlobReadError(
        fillTemplate(_('{host} sent other bytes than were asked for'), { host }),
      );
    const phrase = message.get_reason_phrase() || Soup.status_get_phrase(status) || '';
    throw new BlobReadError(
      status === 404
        ? fillTemplate(_('{host} does not have this file'), { host })
        : fillTemplate(_('{host} answered “{reply}”'), {
            host,
            reply: `${status} ${phrase}`.trim(),
          }),
    );
  }

  /**
   * Hands the body (which starts at file offset `first`) to the parser, dropping what it
   * skips, until it is done or the body reaches `end`. Returns the bytes received.
   */
  static async #feed(
    parser: GgufHeaderParser,
    input: Gio.InputStream,
    first: number,
    end: number,
    cancellable: Gio.Cancellable,
  ): Promise<number> {
    let at = first;
    while (!parser.done && at < end) {
      const bytes = await input.read_bytes_async(READ_BYTES, GLib.PRIORITY_DEFAULT, cancellable);
      const piece = bytes.toArray();
      if (piece.length === 0) break;
      const wanted = parser.offset;
      if (at + piece.length > wanted) parser.push(piece.subarray(Math.max(0, wanted - at)));
      at += piece.length;
    }
    return at - first;
  }

  static #resolve(base: GLib.Uri, location: string): GLib.Uri | null {
    try {
      const target = base.parse_relative(location.trim(), GLib.UriFlags.NONE);
      const scheme = target.get_scheme().toLowerCase();
      return scheme === 'http' || scheme === 'https' ? target : null;
    } catch {
      return null;
    }
  }

  static #parse(url: string): GLib.Uri {
    let uri: GLib.Uri | null = null;
    try {
      uri = GLib.Uri.parse(url, GLib.UriFlags.NONE);
    } catch {
      // Reported below.
    }
    const scheme = uri?.get_scheme().toLowerCase();
    if (!uri || (scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      throw new BlobReadError(
        fillTemplate(_('“{url}” is not an http:// or https:// address'), { url }),
      );
    return uri;
  }
}
