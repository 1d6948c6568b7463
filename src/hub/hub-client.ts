import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _, ngettext } from 'gettext';

import { NetworkError, OllamaError, TimeoutError, TlsError } from '../ollama/errors.js';
import { hostLabel } from '../ollama/ollama-host.js';
import { RequestGuard } from '../ollama/request-guard.js';
import { systemClock, type Clock } from '../util/clock.js';
import { readBounded } from '../util/read-bounded.js';
import { cutText, fillTemplate } from '../util/text.js';
import { HubError, hubWhere } from './errors.js';
import { parseRepo, parseSearch, parseTree } from './hub-replies.js';
import { listQuants, type QuantList } from './quants.js';
import { isRepoId } from './repo-id.js';
import type { HubFile, HubRepo } from './types.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface HubClientOptions {
  /** The Hub's address (PADDOCK_HF_URL, else the hub-url setting); default huggingface.co. */
  url?: string;
  session?: Soup.Session;
  clock?: Clock;
  /** For each request (default 30). */
  timeoutSeconds?: number;
}

/** A listing of 1000 entries is about 300 KB. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;
const MAX_ERROR_BYTES = 64 * 1024;
/** Bounds of one repository's tree walk: folder depth, files, requests. */
const MAX_DEPTH = 4;
const MAX_FILES = 10_000;
const MAX_TREE_REQUESTS = 64;
const MAX_SEARCH_LIMIT = 100;
const MAX_QUERY = 200;
/** Answers kept for the session, per kind. */
const MAX_CACHED = 200;
const DAY_SECONDS = 24 * 3600;

interface JsonReply {
  json: unknown;
  /** The Link header's `rel="next"` address, for a listing that goes on. */
  next: string | null;
}

/**
 * The Hugging Face Hub's model API (Soup 3): search GGUF repositories, a repository's
 * page and its files, and its quants. Answers are kept in memory for the session (per
 * query, per repository); failures are not. Rejects with a HubError in plain words, or
 * with the GLib CANCELLED error when the caller's cancellable was cancelled.
 */
export class HubClient {
  readonly url: string;
  readonly #session: Soup.Session;
  readonly #clock: Clock;
  readonly #timeoutSeconds: number;
  readonly #searches = new Map<string, HubRepo[]>();
  readonly #repos = new Map<string, HubRepo>();
  readonly #files = new Map<string, HubFile[]>();

  constructor(options: HubClientOptions = {}) {
    this.url = (options.url?.trim() || DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.#session = options.session ?? new Soup.Session({ timeout: 0, user_agent: 'Paddock' });
    this.#clock = options.clock ?? systemClock;
    this.#timeoutSeconds = options.timeoutSeconds ?? 30;
  }

  /** The GGUF repositories matching `text`, the most downloaded first. */
  async search(
    text: string,
    options: { limit?: number; cancellable?: Gio.Cancellable | null } = {},
  ): Promise<HubRepo[]> {
    const query = text.trim().slice(0, MAX_QUERY);
    const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(options.limit ?? 50)));
    const key = `${limit}\n${query.toLowerCase()}`;
    const cached = this.#searches.get(key);
    if (cached) return cached;
    const fields = ['author', 'downloads', 'likes', 'lastModified', 'gated', 'private'];
    const address =
      `${this.url}/api/models?search=${encodeURIComponent(query)}&filter=gguf&sort=downloads` +
      `&limit=${limit}${fields.map((field) => `&expand=${field}`).join('')}`;
    const reply = await this.#getJson(address, null, options.cancellable ?? null);
    const repos = parseSearch(reply.json);
    if (repos === null) throw this.#unreadable(_('the search answer is not a list'));
    remember(this.#searches, key, repos);
    return repos;
  }

  /** A repository's page: downloads, likes, last change, whether it is gated or private. */
  async repo(id: string, cancellable: Gio.Cancellable | null = null): Promise<HubRepo> {
    this.#checkId(id);
    const cached = this.#repos.get(id.toLowerCase());
    if (cached) return cached;
    const reply = await this.#getJson(`${this.url}/api/models/${id}`, id, cancellable);
    const repo = parseRepo(reply.json);
    if (repo === null) throw this.#unreadable(_('the repository’s page is not a model'));
    remember(this.#repos, id.toLowerCase(), repo);
    return repo;
  }

  /**
   * Every file of the repository's main branch, folders walked (at most 4 deep, 10,000
   * files, 64 requests, following the Hub's pages).
   */
  async files(id: string, cancellable: Gio.Cancellable | null = null): Promise<HubFile[]> {
    this.#checkId(id);
    const cached = this.#files.get(id.toLowerCase());
    if (cached) return cached;
    const files: HubFile[] = [];
    const folders: { path: string; depth: number }[] = [{ path: '', depth: 0 }];
    let requests = 0;
    for (let folder = folders.shift(); folder; folder = folders.shift()) {
      const tail =
        folder.path === '' ? '' : `/${folder.path.split('/').map(encodeURIComponent).join('/')}`;
      let address: string | null = `${this.url}/api/models/${id}/tree/main${tail}`;
      while (address !== null && requests < MAX_TREE_REQUESTS && files.length < MAX_FILES) {
        requests++;
        const reply: JsonReply = await this.#getJson(address, id, cancellable);
        const page = parseTree(reply.json, folder.path);
        if (page === null) throw this.#unreadable(_('the file list is not a list'));
        files.push(...page.files.slice(0, MAX_FILES - files.length));
        if (folder.depth < MAX_DEPTH)
          folders.push(...page.folders.map((path) => ({ path, depth: folder.depth + 1 })));
        address = reply.next;
      }
    }
    remember(this.#files, id.toLowerCase(), files);
    return files;
  }

  /** The repository's quants (see listQuants), from its files. */
  async quants(id: string, cancellable: Gio.Cancellable | null = null): Promise<QuantList> {
    return listQuants(await this.files(id, cancellable));
  }

  /** Where a file's bytes are (the Hub redirects to its storage, which honours Range). */
  resolveUrl(id: string, path: string): string {
    this.#checkId(id);
    return `${this.url}/${id}/resolve/main/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  #checkId(id: string): void {
    if (!isRepoId(id))
      throw new HubError(
        'not-found',
        fillTemplate(
          _('“{id}” is not a Hugging Face repository name; they look like author/name.'),
          { id: cutText(id, 200) },
        ),
      );
  }

  #host(): string {
    try {
      return hostLabel(GLib.Uri.parse(this.url, GLib.UriFlags.NONE));
    } catch {
      return this.url;
    }
  }

  #unreadable(detail: string): HubError {
    return new HubError(
      'failed',
      fillTemplate(_('{where} sent an answer Paddock cannot read ({detail}).'), {
        where: hubWhere(this.#host()),
        detail,
      }),
    );
  }

  async #getJson(
    address: string,
    repoId: string | null,
    cancellable: Gio.Cancellable | null,
  ): Promise<JsonReply> {
    const host = this.#host();
    let uri: GLib.Uri | null = null;
    try {
      uri = GLib.Uri.parse(address, GLib.UriFlags.ENCODED);
    } catch {
      // Reported below.
    }
    const scheme = uri?.get_scheme()?.toLowerCase();
    if (!uri || (scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      throw new HubError(
        'failed',
        fillTemplate(_('The Hugging Face address “{url}” is not an http:// or https:// address.'), {
          url: cutText(this.url, 200),
        }),
      );
    const guard = new RequestGuard(this.#clock, this.#timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.get_request_headers().replace('Accept', 'application/json');
      input = await this.#session.send_async(message, GLib.PRIORITY_DEFAULT, guard.cancellable);
      const status: number = message.status_code;
      if (status < 200 || status >= 300) {
        const body = await readBounded(input, MAX_ERROR_BYTES, guard.cancellable);
        throw this.#statusError(message, status, body, repoId, host);
      }
      const body = await readBounded(input, MAX_REPLY_BYTES, guard.cancellable);
      if (body === null) throw this.#unreadable(_('the answer is too large'));
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        throw this.#unreadable(_('the answer is not JSON'));
      }
      return { json, next: this.#nextPage(message) };
    } catch (error) {
      if (error instanceof HubError) throw error;
      if (cancellable?.is_cancelled()) throw error;
      const explained = guard.explain(error, host);
      // Not a GLib error: a bug, which goes on as it is (as in OllamaClient).
      if (!(explained instanceof OllamaError)) throw explained;
      throw new HubError('offline', this.#offlineText(explained, host), { cause: error });
    } finally {
      guard.release();
      if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    }
  }

  /** The next page of a listing, when the Hub sends one on its own address. */
  #nextPage(message: Soup.Message): string | null {
    const link = message.get_response_headers().get_one('Link');
    const next = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link)?.[1] : undefined;
    return next !== undefined && next.startsWith(`${this.url}/`) ? next : null;
  }

  #statusError(
    message: Soup.Message,
    status: number,
    body: Uint8Array | null,
    repoId: string | null,
    host: string,
  ): HubError {
    const headers = message.get_response_headers();
    const where = hubWhere(host);
    const code = headers.get_one('X-Error-Code') ?? '';
    const values = { where, status, id: repoId ?? '', said: serverText(body) };
    const text = (template: string) => fillTemplate(template, values);
    if (status === 429) {
      const seconds = this.#retryAfter(headers.get_one('Retry-After'));
      return new HubError(
        'rate-limited',
        seconds === null
          ? _('Hugging Face is limiting requests; try again in a moment.')
          : fillTemplate(
              ngettext(
                'Hugging Face is limiting requests; try again in {seconds} s.',
                'Hugging Face is limiting requests; try again in {seconds} s.',
                seconds,
              ),
              { seconds },
            ),
        { retryAfterSeconds: seconds },
      );
    }
    if (repoId !== null && code === 'GatedRepo') return new HubError('gated', gatedText(repoId));
    if (repoId !== null && (status === 404 || code === 'RepoNotFound'))
      // Signed out, the Hub answers 401 for a private repository and for one that does not exist.
      return new HubError(
        'not-found',
        status === 404
          ? text(_('Hugging Face has no repository “{id}”.'))
          : text(
              _(
                'Hugging Face has no repository “{id}”, or it is private: the Ollama server needs its own Hugging Face key registered for it.',
              ),
            ),
      );
    if (repoId !== null && (status === 401 || status === 403))
      return new HubError(
        'gated',
        text(
          _(
            'Hugging Face refused access to “{id}” (HTTP {status}): it is gated or private, and the Ollama server needs its own Hugging Face key registered for it.',
          ),
        ),
      );
    if (status >= 500)
      return new HubError(
        'failed',
        values.said
          ? text(_('{where} failed: {said} (HTTP {status}). Try again later.'))
          : text(_('{where} failed (HTTP {status}). Try again later.')),
      );
    return new HubError(
      'failed',
      values.said
        ? text(_('{where} answered HTTP {status}: {said}.'))
        : text(_('{where} answered HTTP {status}.')),
    );
  }

  /** Retry-After as seconds from now: a number of seconds, or an HTTP date. */
  #retryAfter(header: string | null): number | null {
    if (header === null) return null;
    const value = header.trim();
    if (/^\d{1,9}$/.test(value)) return Math.min(Number(value), DAY_SECONDS);
    const date = Soup.date_time_new_from_http_string(value);
    if (!date) return null;
    const seconds = Math.ceil(date.to_unix() - this.#clock.wallNow() / 1000);
    return Math.min(Math.max(seconds, 0), DAY_SECONDS);
  }

  #offlineText(error: OllamaError, host: string): string {
    const where = hubWhere(host);
    if (error instanceof TimeoutError)
      return error.seconds === null
        ? fillTemplate(_('{where} did not answer in time. Check the network, or try again.'), {
            where,
          })
        : fillTemplate(
            ngettext(
              '{where} did not answer within {seconds} second. Check the network, or try again.',
              '{where} did not answer within {seconds} seconds. Check the network, or try again.',
              error.seconds,
            ),
            { where, seconds: error.seconds },
          );
    if (error instanceof TlsError)
      return fillTemplate(_('The secure connection to {where} failed. Check the address.'), {
        where,
      });
    if (error instanceof NetworkError && error.kind === 'refused')
      return fillTemplate(_('{where} refused the connection. Check the address.'), { where });
    return fillTemplate(
      _('Could not reach {where}. Check your network connection, or try again.'),
      { where },
    );
  }
}

/** Why a repository's quants cannot be pulled by an Ollama server without its own key; null when they can. */
export function accessProblem(repo: HubRepo): HubError | null {
  if (repo.private)
    return new HubError(
      'private',
      fillTemplate(
        _(
          '“{id}” is private on Hugging Face: the Ollama server needs its own Hugging Face key registered for it.',
        ),
        { id: repo.id },
      ),
    );
  if (repo.gated !== false) return new HubError('gated', gatedText(repo.id));
  return null;
}

function gatedText(id: string): string {
  return fillTemplate(
    _(
      '“{id}” is gated on Hugging Face: the Ollama server needs its own Hugging Face key registered for it, with access granted to this repository.',
    ),
    { id },
  );
}

/** The `{"error": …}` of an error reply, as the end of a sentence, or ''. */
function serverText(body: Uint8Array | null): string {
  if (body === null) return '';
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    const said = (parsed as Record<string, unknown> | null)?.error;
    if (typeof said === 'string') return cutText(said.trim().replace(/[.\s]+$/, ''), 200);
  } catch {
    // Not JSON: nothing to quote.
  }
  return '';
}

/** Keeps an answer for the session, forgetting the oldest beyond MAX_CACHED. */
function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
}
