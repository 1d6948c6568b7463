import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _, ngettext } from 'gettext';

import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import { AvailableModel } from './available-model.js';
import { CatalogCache } from './catalog-cache.js';
import { CatalogFetchError, CatalogFormatError } from './errors.js';
import { CatalogFetcher } from './catalog-fetcher.js';
import { parseCatalog, type ParsedCatalog } from './catalog-parser.js';

export type CatalogSource = 'cache' | 'network' | 'bundled';

export interface AvailableModelsOptions {
  /** Default `<user data dir>/paddock/models.cache.json`. */
  cacheFile?: Gio.File;
  /** The catalog's address (GSettings catalog-url, or PADDOCK_CATALOG_URL). */
  url: string;
  /** The catalog shipped with the app (a GResource); null when there is none. */
  bundled: () => Promise<string | null>;
  clock?: Clock;
  /** A cache older than this is downloaded again (default 3 days). */
  maxAgeMs?: number;
  session?: Soup.Session;
  /** For the whole download (default 30). */
  timeoutSeconds?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * The catalog of models that can be pulled, as a Gio.ListModel of AvailableModel. It comes
 * from the cache while that is younger than maxAgeMs, else from the network (and is then
 * cached); a failed download keeps the old cache, however old, and with no cache either
 * the catalog shipped with the app is used. `problem` then says why in plain language.
 * Each load() or successful refresh() replaces the whole list with one items-changed.
 * Calls run one at a time, in order. A process that runs for days keeps the list fresh
 * with refreshIfStale() (when the list is about to be used) and keepFresh() (on a timer).
 */
export class AvailableModels extends GObject.Object implements Gio.ListModel<AvailableModel> {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockAvailableModels',
        Implements: [Gio.ListModel],
        Properties: {
          source: GObject.ParamSpec.string('source', null, null, GObject.ParamFlags.READABLE, ''),
          problem: GObject.ParamSpec.string(
            'problem',
            null,
            null,
            GObject.ParamFlags.READABLE,
            null,
          ),
        },
      },
      this,
    );
  }

  declare get_item_type: () => GObject.GType;
  declare get_n_items: () => number;
  declare get_item: (position: number) => AvailableModel | null;
  declare items_changed: (position: number, removed: number, added: number) => void;

  readonly url: string;
  readonly #cache: CatalogCache;
  readonly #fetcher: CatalogFetcher;
  readonly #bundled: () => Promise<string | null>;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  #models: AvailableModel[] = [];
  #byName: Map<string, AvailableModel> | null = null;
  #source: CatalogSource | null = null;
  #fetchedAt: number | null = null;
  #problem: string | null = null;
  /** When the last download failed (monotonic ms); null after a successful one. */
  #failedAt: number | null = null;
  #skipped = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: AvailableModelsOptions) {
    super();
    this.url = options.url;
    this.#clock = options.clock ?? systemClock;
    this.#cache = new CatalogCache(
      options.cacheFile ??
        Gio.File.new_for_path(
          GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock', 'models.cache.json']),
        ),
      this.#clock,
    );
    this.#fetcher = new CatalogFetcher({
      session: options.session,
      clock: this.#clock,
      timeoutSeconds: options.timeoutSeconds,
    });
    this.#bundled = options.bundled;
    this.#maxAgeMs = options.maxAgeMs ?? 3 * DAY_MS;
  }

  /** Where the list came from; null before the first load. */
  get source(): CatalogSource | null {
    return this.#source;
  }

  /** When the list was downloaded (wall-clock ms); null for the shipped catalog. */
  get fetchedAt(): number | null {
    return this.#fetchedAt;
  }

  /** Why the list is older than it should be, in plain language; null when all went well. */
  get problem(): string | null {
    return this.#problem;
  }

  /** Entries of the catalog that were not usable. */
  get skipped(): number {
    return this.#skipped;
  }

  /**
   * Whether the list should be downloaded again: nothing loaded yet, the shipped copy,
   * older than maxAgeMs, or shown because the last download failed.
   */
  get isStale(): boolean {
    return (
      this.#source === null ||
      this.#fetchedAt === null ||
      this.#problem !== null ||
      !this.#isFresh(this.#fetchedAt, this.url)
    );
  }

  get cacheFile(): Gio.File {
    return this.#cache.file;
  }

  vfunc_get_item_type(): GObject.GType {
    return AvailableModel.$gtype;
  }

  vfunc_get_n_items(): number {
    return this.#models.length;
  }

  vfunc_get_item(position: number): AvailableModel | null {
    return this.#models[position] ?? null;
  }

  /** The models in catalog order (a copy). */
  list(): AvailableModel[] {
    return [...this.#models];
  }

  /** The family of that name, ignoring case (`llama3.2`, `user/model`), or null. */
  find(name: string): AvailableModel | null {
    if (this.#byName === null) {
      this.#byName = new Map();
      for (const model of this.#models) this.#byName.set(model.searchText, model);
    }
    return this.#byName.get(name.toLowerCase()) ?? null;
  }

  /**
   * Shows the cached catalog when it is fresh, else downloads it. Never rejects for a
   * bad cache, network or catalog (see `problem`); rejects only when cancelled, and
   * then changes nothing.
   */
  load(cancellable: Gio.Cancellable | null = null): Promise<void> {
    return this.#exclusive(() => this.#update(false, cancellable));
  }

  /** Downloads the catalog now, however fresh the cache is. Same rules as load(). */
  refresh(cancellable: Gio.Cancellable | null = null): Promise<void> {
    return this.#exclusive(() => this.#update(true, cancellable));
  }

  /**
   * Downloads the catalog when the list is stale (see isStale), as load() does. After a
   * failed download it waits an hour before trying again by itself (refresh() does not).
   */
  refreshIfStale(cancellable: Gio.Cancellable | null = null): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.isStale) return;
      if (this.#failedAt !== null && this.#clock.now() - this.#failedAt < HOUR_MS) return;
      await this.#update(this.#source !== null, cancellable);
    });
  }

  /**
   * Checks every hour whether the list went stale, and refreshes it then (an hourly check
   * rather than one timer for the day it expires: monotonic time stands still in suspend).
   * Returns the function that stops it.
   */
  keepFresh(): () => void {
    let timer: TimerHandle | null = null;
    let stopped = false;
    const schedule = () => {
      timer = this.#clock.timeout(HOUR_MS, () => {
        timer = null;
        this.refreshIfStale()
          .catch((error: unknown) =>
            console.warn(`Paddock: cannot refresh the model catalog: ${String(error)}`),
          )
          .finally(() => {
            if (!stopped) schedule();
          });
      });
    };
    schedule();
    return () => {
      stopped = true;
      if (timer !== null) this.#clock.cancel(timer);
      timer = null;
    };
  }

  async #update(force: boolean, cancellable: Gio.Cancellable | null): Promise<void> {
    const loaded = this.#source !== null;
    // A refresh of a list already shown falls back to that list, not to the cache.
    const cached = force && loaded ? null : await this.#cache.read(cancellable);
    if (cached && !force && this.#isFresh(cached.fetchedAt, cached.source)) {
      this.#show(cached.catalog, 'cache', cached.fetchedAt, null);
      return;
    }

    let reason: string;
    try {
      const raw = await this.#fetcher.fetch(this.url, cancellable);
      const catalog = AvailableModels.parseDownload(raw);
      const fetchedAt = this.#clock.wallNow();
      await this.#save(fetchedAt, raw, cancellable);
      this.#failedAt = null;
      this.#show(catalog, 'network', fetchedAt, null);
      return;
    } catch (error) {
      if (cancellable?.is_cancelled()) throw error;
      if (!(error instanceof CatalogFetchError)) throw error;
      reason = error.reason;
      this.#failedAt = this.#clock.now();
    }

    // Translators: {reason} is a clause such as “example.com did not answer in time”.
    const failed = fillTemplate(_('Couldn’t refresh the model catalog: {reason}.'), { reason });
    // Translators: {problem} says why the catalog could not be refreshed, {fallback} which list is shown instead.
    const problem = (fallback: string) =>
      fillTemplate(_('{problem} {fallback}'), { problem: failed, fallback });
    if (cached) {
      this.#show(
        cached.catalog,
        'cache',
        cached.fetchedAt,
        problem(this.#showing(cached.fetchedAt)),
      );
    } else if (loaded) {
      this.#setProblem(problem(this.#showing(this.#fetchedAt)));
    } else {
      const bundled = await this.#readBundled();
      if (bundled)
        this.#show(
          bundled,
          'bundled',
          null,
          problem(_('Showing the list that came with Paddock.')),
        );
      else
        this.#show(
          { models: [], skipped: 0 },
          'bundled',
          null,
          problem(_('The list that came with Paddock could not be read either.')),
        );
    }
  }

  /** A download must hold a usable catalog before it replaces anything. */
  private static parseDownload(raw: unknown): ParsedCatalog {
    try {
      return parseCatalog(raw);
    } catch (error) {
      if (error instanceof CatalogFormatError)
        throw new CatalogFetchError(
          fillTemplate(_('the download is not a usable catalog ({detail})'), {
            detail: error.detail,
          }),
          { cause: error },
        );
      throw error;
    }
  }

  async #save(fetchedAt: number, raw: unknown, cancellable: Gio.Cancellable | null): Promise<void> {
    try {
      await this.#cache.write(fetchedAt, this.url, raw, cancellable);
    } catch (error) {
      if (cancellable?.is_cancelled()) throw error;
      // The list is fresh all the same; the next start downloads it again.
      console.warn(`Paddock: cannot save the model catalog cache: ${String(error)}`);
    }
  }

  /** Null when there is none or it is unusable; the caller's problem text says so. */
  async #readBundled(): Promise<ParsedCatalog | null> {
    try {
      const text = await this.#bundled();
      return text === null ? null : parseCatalog(JSON.parse(text));
    } catch {
      return null;
    }
  }

  #isFresh(fetchedAt: number, source: string | null): boolean {
    const age = this.#clock.wallNow() - fetchedAt;
    // A cache of another address (the setting changed) or from the future is not fresh.
    return source === this.url && age >= 0 && age < this.#maxAgeMs;
  }

  /** "Showing the list from 3 days ago." */
  #showing(fetchedAt: number | null): string {
    if (fetchedAt === null) return _('Showing the list that came with Paddock.');
    const age = this.#clock.wallNow() - fetchedAt;
    if (age < 0) return _('Showing the list saved earlier.');
    const minutes = Math.floor(age / 60000);
    const hours = Math.floor(minutes / 60);
    const days = Math.floor(hours / 24);
    if (days >= 1)
      return fillTemplate(
        ngettext(
          'Showing the list from {count} day ago.',
          'Showing the list from {count} days ago.',
          days,
        ),
        { count: days },
      );
    if (hours >= 1)
      return fillTemplate(
        ngettext(
          'Showing the list from {count} hour ago.',
          'Showing the list from {count} hours ago.',
          hours,
        ),
        { count: hours },
      );
    if (minutes >= 1)
      return fillTemplate(
        ngettext(
          'Showing the list from {count} minute ago.',
          'Showing the list from {count} minutes ago.',
          minutes,
        ),
        { count: minutes },
      );
    return _('Showing the list from a moment ago.');
  }

  #show(
    catalog: ParsedCatalog,
    source: CatalogSource,
    fetchedAt: number | null,
    problem: string | null,
  ): void {
    const removed = this.#models.length;
    this.#models = catalog.models;
    this.#byName = null;
    this.#skipped = catalog.skipped;
    this.#fetchedAt = fetchedAt;
    this.freeze_notify();
    if (source !== this.#source) {
      this.#source = source;
      this.notify('source');
    }
    this.#setProblem(problem);
    this.items_changed(0, removed, this.#models.length);
    this.thaw_notify();
  }

  #setProblem(problem: string | null): void {
    if (problem === this.#problem) return;
    this.#problem = problem;
    this.notify('problem');
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
