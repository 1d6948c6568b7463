import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { Clock } from '../util/clock.js';
import { JsonFile } from '../util/json-file.js';
import { JsonFileError } from '../util/errors.js';
import { parseCatalog, type ParsedCatalog } from './catalog-parser.js';

/** The fetcher takes up to 64 MiB; the cache wraps that in a few more bytes. */
const MAX_FILE_BYTES = 80 * 1024 * 1024;

export interface CachedCatalog {
  /** When it was downloaded, in wall-clock milliseconds. */
  fetchedAt: number;
  /** The address it came from; null when the file does not say. */
  source: string | null;
  catalog: ParsedCatalog;
}

/**
 * The last downloaded catalog, kept as `{"fetchedAt": ms, "source": url, "catalog": …}`
 * with the catalog as it was received, so a newer Paddock can read more out of it.
 */
export class CatalogCache {
  readonly #json: JsonFile;

  constructor(file: Gio.File, clock: Clock) {
    this.#json = new JsonFile(file, { maxBytes: MAX_FILE_BYTES, compact: true, clock });
  }

  get file(): Gio.File {
    return this.#json.file;
  }

  /**
   * The cached catalog, or null when there is none to use. A file that cannot be
   * understood is set aside (kept for a bug report, out of the way of the next download);
   * one that cannot be read at all is left alone.
   */
  async read(cancellable: Gio.Cancellable | null = null): Promise<CachedCatalog | null> {
    let json: unknown;
    try {
      json = await this.#json.read(cancellable);
    } catch (error) {
      if (error instanceof JsonFileError) {
        await this.setAside(error.message);
        return null;
      }
      if (CatalogCache.isCancelled(error)) throw error;
      console.warn(`Paddock: cannot read the model catalog cache: ${String(error)}`);
      return null;
    }
    if (json === undefined) return null;
    const cached = CatalogCache.decode(json);
    if (cached === null) await this.setAside(_('it does not hold a model catalog'));
    return cached;
  }

  async write(
    fetchedAt: number,
    source: string,
    catalog: unknown,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    await this.#json.write({ fetchedAt, source, catalog }, cancellable);
  }

  private static decode(json: unknown): CachedCatalog | null {
    if (typeof json !== 'object' || json === null) return null;
    const { fetchedAt, source, catalog } = json as Record<string, unknown>;
    if (typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt)) return null;
    try {
      return {
        fetchedAt,
        source: typeof source === 'string' ? source : null,
        catalog: parseCatalog(catalog),
      };
    } catch {
      // No usable catalog in it (CatalogFormatError).
      return null;
    }
  }

  /** A cache is no loss: the message only goes to the log, and the next download replaces it. */
  private async setAside(reason: string): Promise<void> {
    const { message } = await this.#json.setAside(_('its cached model catalog'), reason);
    console.warn(message);
  }

  private static isCancelled(error: unknown): boolean {
    return (
      error instanceof GLib.Error && error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    );
  }
}
