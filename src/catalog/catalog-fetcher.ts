import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _, ngettext } from 'gettext';

import { NetworkError, OllamaError, TimeoutError, TlsError } from '../ollama/errors.js';
import { hostLabel } from '../ollama/ollama-host.js';
import { RequestGuard } from '../ollama/request-guard.js';
import { systemClock, type Clock } from '../util/clock.js';
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
    const host = hostLabel(uri);
    const guard = new RequestGuard(this.clock, this.timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.get_request_headers().replace('Accept', 'application/json');
      input = await this.session.send_async(message, GLib.PRIORITY_DEFAULT, guard.cancellable);
      const status = message.status_code;
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
      const body = await readBounded(input, this.maxBytes, guard.cancellable);
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
      const explained = guard.explain(error, host);
      // Not a GLib error: a bug, which goes on as it is (as in OllamaClient).
      if (!(explained instanceof OllamaError)) throw explained;
      throw new CatalogFetchError(CatalogFetcher.reason(explained, host), { cause: error });
    } finally {
      guard.release();
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

  /**
   * The catalog's clause for an error of the way there, as mapError words it for Ollama.
   * It completes “Couldn’t refresh the model catalog: …”.
   */
  private static reason(error: OllamaError, host: string): string {
    const cause = error.cause instanceof GLib.Error ? error.cause.message : error.message;
    // Translators: {host} is the catalog's server, e.g. “example.com”; {detail} is a
    // lower-level (English) error text. These complete “Couldn’t refresh the model catalog: …”.
    const text = (template: string) =>
      fillTemplate(template, { host, detail: CatalogFetcher.clause(cause) });
    if (error instanceof TimeoutError)
      return error.seconds === null
        ? text(_('{host} did not answer in time'))
        : fillTemplate(
            ngettext(
              '{host} did not send the catalog within {seconds} second',
              '{host} did not send the catalog within {seconds} seconds',
              error.seconds,
            ),
            { host, seconds: error.seconds },
          );
    if (error instanceof NetworkError && error.kind === 'dns')
      return text(_('{host} could not be found; check your network connection'));
    if (error instanceof NetworkError && error.kind === 'refused')
      return text(_('{host} refused the connection'));
    if (error instanceof NetworkError && error.kind === 'unreachable')
      return text(_('{host} cannot be reached; check your network connection'));
    if (error instanceof TlsError)
      return text(_('the secure connection to {host} failed ({detail})'));
    return text(_('the connection to {host} failed ({detail})'));
  }

  private static clause(text: string): string {
    return text.trim().replace(/[.\s]+$/, '');
  }
}
