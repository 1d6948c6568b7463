import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _, ngettext } from 'gettext';

import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import { readBounded } from '../util/read-bounded.js';
import { CatalogFetchError } from './errors.js';

export interface CatalogFetcherOptions {
  session?: Soup.Session;
  clock?: Clock;
  /** For the whole download (default 30). */
  timeoutSeconds?: number;
  /** Larger replies are refused (default 64 MiB; ollama.com's whole library is about 1 MB). */
  maxBytes?: number;
}

const MIB = 1024 * 1024;

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
        throw new CatalogFetchError(
          // Translators: {reply} is an HTTP status, such as “404 Not Found”.
          fillTemplate(_('{host} answered “{reply}”'), {
            host,
            reply: `${status} ${phrase}`.trim(),
          }),
        );
      }
      const body = await readBounded(input, this.maxBytes, inner);
      if (body === null)
        throw new CatalogFetchError(
          fillTemplate(_('the catalog at {host} is larger than {limit} MiB'), {
            host,
            limit: Math.round(this.maxBytes / MIB),
          }),
        );
      return CatalogFetcher.parseJson(body, host);
    } catch (error) {
      if (error instanceof CatalogFetchError) throw error;
      if (cancellable?.is_cancelled()) throw error;
      if (timedOut)
        throw new CatalogFetchError(
          fillTemplate(
            ngettext(
              '{host} did not send the catalog within {seconds} second',
              '{host} did not send the catalog within {seconds} seconds',
              this.timeoutSeconds,
            ),
            { host, seconds: this.timeoutSeconds },
          ),
          { cause: error },
        );
      throw new CatalogFetchError(CatalogFetcher.describe(error, host), { cause: error });
    } finally {
      if (timer !== null) this.clock.cancel(timer);
      if (cancellable && outerHandler !== 0) cancellable.disconnect(outerHandler);
      if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    }
  }

  private static parseJson(body: Uint8Array, host: string): unknown {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new CatalogFetchError(fillTemplate(_('what {host} sent is not text'), { host }));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new CatalogFetchError(
        fillTemplate(_('what {host} sent is not a catalog (it is not JSON)'), { host }),
      );
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
        fillTemplate(_('the catalog address “{url}” is not an http:// or https:// address'), {
          url,
        }),
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
    // Translators: {host} is the catalog's server, e.g. “example.com”; {detail} is a
    // lower-level (English) error text. These complete “Couldn’t refresh the model catalog: …”.
    const text = (template: string, detail = '') => fillTemplate(template, { host, detail });
    if (!(error instanceof GLib.Error))
      return text(_('{host} could not be reached ({detail})'), String(error));
    const io = (code: number): boolean => error.matches(Gio.io_error_quark(), code);
    if (error.domain === Gio.resolver_error_quark() || io(Gio.IOErrorEnum.HOST_NOT_FOUND))
      return text(_('{host} could not be found; check your network connection'));
    if (io(Gio.IOErrorEnum.CONNECTION_REFUSED)) return text(_('{host} refused the connection'));
    if (io(Gio.IOErrorEnum.NETWORK_UNREACHABLE) || io(Gio.IOErrorEnum.HOST_UNREACHABLE))
      return text(_('{host} cannot be reached; check your network connection'));
    if (io(Gio.IOErrorEnum.TIMED_OUT)) return text(_('{host} did not answer in time'));
    const detail = CatalogFetcher.clause(error.message);
    if (error.domain === Gio.tls_error_quark())
      return text(_('the secure connection to {host} failed ({detail})'), detail);
    return text(_('the connection to {host} failed ({detail})'), detail);
  }

  private static clause(text: string): string {
    return text.trim().replace(/[.\s]+$/, '');
  }
}
