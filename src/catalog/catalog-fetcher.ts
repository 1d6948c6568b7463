import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';

import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { CatalogFetchError } from './catalog-fetch-error.js';

Gio._promisify(Soup.Session.prototype, 'send_async', 'send_finish');
Gio._promisify(Gio.InputStream.prototype, 'read_bytes_async', 'read_bytes_finish');
Gio._promisify(Gio.InputStream.prototype, 'close_async', 'close_finish');

export interface CatalogFetcherOptions {
  session?: Soup.Session;
  clock?: Clock;
  /** For the whole download (default 30). */
  timeoutSeconds?: number;
  /** Larger replies are refused (default 64 MiB; ollama.com's whole library is about 1 MB). */
  maxBytes?: number;
}

const MIB = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Downloads a catalog document over HTTP(S) with Soup 3. The deadline runs on the
 * injected clock and covers the whole exchange, so tests never wait for it.
 */
export class CatalogFetcher {
  private readonly session: Soup.Session;
  private readonly clock: Clock;
  private readonly timeoutSeconds: number;
  private readonly maxBytes: number;

  constructor(options: CatalogFetcherOptions = {}) {
    // Soup's own timeout is per socket read; the deadline below covers everything.
    this.session = options.session ?? new Soup.Session({ timeout: 0, user_agent: 'Paddock' });
    this.clock = options.clock ?? systemClock;
    this.timeoutSeconds = options.timeoutSeconds ?? 30;
    this.maxBytes = options.maxBytes ?? 64 * MIB;
  }

  /**
   * The document's JSON. Rejects with a CatalogFetchError that says why in plain
   * language, or with the GLib CANCELLED error when `cancellable` was cancelled.
   */
  async fetch(url: string, cancellable: Gio.Cancellable | null = null): Promise<unknown> {
    const uri = CatalogFetcher.parseUrl(url);
    const host = CatalogFetcher.hostLabel(uri);
    const inner = new Gio.Cancellable();
    let timedOut = false;
    let timer: TimerHandle | null = this.clock.timeout(this.timeoutSeconds * 1000, () => {
      timer = null;
      timedOut = true;
      inner.cancel();
    });
    const outerHandler = cancellable
      ? cancellable.connect_after('cancelled', () => inner.cancel())
      : 0;
    if (cancellable?.is_cancelled()) inner.cancel();
    let input: Gio.InputStream | null = null;
    try {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.get_request_headers().replace('Accept', 'application/json');
      input = await this.session.send_async(message, GLib.PRIORITY_DEFAULT, inner);
      const status = message.get_status();
      if (status < 200 || status >= 300) {
        const phrase = message.get_reason_phrase() || Soup.status_get_phrase(status) || '';
        throw new CatalogFetchError(`${host} answered “${`${status} ${phrase}`.trim()}”`);
      }
      const body = await this.readAll(input, inner);
      if (body === null)
        throw new CatalogFetchError(
          `the catalog at ${host} is larger than ${Math.round(this.maxBytes / MIB)} MiB`,
        );
      return CatalogFetcher.parseJson(body, host);
    } catch (error) {
      if (error instanceof CatalogFetchError) throw error;
      if (cancellable?.is_cancelled()) throw error;
      if (timedOut)
        throw new CatalogFetchError(
          `${host} did not send the catalog within ${this.timeoutSeconds} seconds`,
          { cause: error },
        );
      throw new CatalogFetchError(CatalogFetcher.describe(error, host), { cause: error });
    } finally {
      if (timer !== null) this.clock.cancel(timer);
      if (cancellable && outerHandler !== 0) cancellable.disconnect(outerHandler);
      if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    }
  }

  /** The whole body, or null when it exceeds maxBytes (then reading stops). */
  private async readAll(
    input: Gio.InputStream,
    cancellable: Gio.Cancellable,
  ): Promise<Uint8Array | null> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const bytes = await input.read_bytes_async(CHUNK_BYTES, GLib.PRIORITY_DEFAULT, cancellable);
      if (bytes.get_size() === 0) break;
      const part = bytes.toArray();
      size += part.length;
      if (size > this.maxBytes) return null;
      parts.push(part);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.length;
    }
    return body;
  }

  private static parseJson(body: Uint8Array, host: string): unknown {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new CatalogFetchError(`what ${host} sent is not text`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new CatalogFetchError(`what ${host} sent is not a catalog (it is not JSON)`);
    }
  }

  private static parseUrl(url: string): GLib.Uri {
    let uri: GLib.Uri | null = null;
    try {
      uri = GLib.Uri.parse(url.trim(), GLib.UriFlags.NONE);
    } catch {
      // Reported below.
    }
    const scheme = uri?.get_scheme().toLowerCase();
    if (!uri || (scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      throw new CatalogFetchError(
        `the catalog address “${url}” is not an http:// or https:// address`,
      );
    return uri;
  }

  /** "catalog.example.com", "127.0.0.1:8080", "[::1]:8080". */
  private static hostLabel(uri: GLib.Uri): string {
    const host = uri.get_host() ?? '';
    const shown = host.includes(':') ? `[${host}]` : host;
    const port = uri.get_port();
    return port > 0 ? `${shown}:${port}` : shown;
  }

  private static describe(error: unknown, host: string): string {
    if (!(error instanceof GLib.Error)) return `${host} could not be reached (${String(error)})`;
    const io = (code: number): boolean => error.matches(Gio.io_error_quark(), code);
    if (error.domain === Gio.resolver_error_quark() || io(Gio.IOErrorEnum.HOST_NOT_FOUND))
      return `${host} could not be found; check your network connection`;
    if (io(Gio.IOErrorEnum.CONNECTION_REFUSED)) return `${host} refused the connection`;
    if (io(Gio.IOErrorEnum.NETWORK_UNREACHABLE) || io(Gio.IOErrorEnum.HOST_UNREACHABLE))
      return `${host} cannot be reached; check your network connection`;
    if (io(Gio.IOErrorEnum.TIMED_OUT)) return `${host} did not answer in time`;
    if (error.domain === Gio.tls_error_quark())
      return `the secure connection to ${host} failed (${CatalogFetcher.clause(error.message)})`;
    return `the connection to ${host} failed (${CatalogFetcher.clause(error.message)})`;
  }

  private static clause(text: string): string {
    return text.trim().replace(/[.\s]+$/, '');
  }
}
