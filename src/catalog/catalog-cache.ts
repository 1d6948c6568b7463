import GLib from 'gi://GLib';
import Gio from 'gi://Gio';

import { readTextFile, writeTextFileAtomically } from '../util/atomic-file.js';
import type { Clock } from '../util/clock.js';
import { parseCatalog, type ParsedCatalog } from './catalog-parser.js';

Gio._promisify(Gio.File.prototype, 'set_display_name_async', 'set_display_name_finish');

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
  constructor(
    readonly file: Gio.File,
    private readonly clock: Clock,
  ) {}

  /**
   * The cached catalog, or null when there is none to use. A file that cannot be
   * understood is renamed to `<name>.corrupt-<ms>` (kept for a bug report, out of the
   * way of the next download); one that cannot be read at all is left alone.
   */
  async read(cancellable: Gio.Cancellable | null = null): Promise<CachedCatalog | null> {
    let text: string | null;
    try {
      text = await readTextFile(this.file, cancellable);
    } catch (error) {
      if (CatalogCache.isCancelled(error)) throw error;
      if (error instanceof TypeError) {
        // Not UTF-8.
        await this.setAside();
        return null;
      }
      console.warn(`Paddock: cannot read the model catalog cache: ${String(error)}`);
      return null;
    }
    if (text === null) return null;
    const cached = CatalogCache.decode(text);
    if (cached === null) await this.setAside();
    return cached;
  }

  async write(
    fetchedAt: number,
    source: string,
    catalog: unknown,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    const text = JSON.stringify({ fetchedAt, source, catalog });
    await writeTextFileAtomically(this.file, text, cancellable);
  }

  private static decode(text: string): CachedCatalog | null {
    try {
      const json: unknown = JSON.parse(text);
      if (typeof json !== 'object' || json === null) return null;
      const { fetchedAt, source, catalog } = json as Record<string, unknown>;
      if (typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt)) return null;
      return {
        fetchedAt,
        source: typeof source === 'string' ? source : null,
        catalog: parseCatalog(catalog),
      };
    } catch {
      // Not JSON, or no usable catalog in it (CatalogFormatError).
      return null;
    }
  }

  private async setAside(): Promise<void> {
    const name = `${this.file.get_basename() ?? 'models.cache.json'}.corrupt-${Math.round(this.clock.wallNow())}`;
    try {
      await this.file.set_display_name_async(name, GLib.PRIORITY_DEFAULT, null);
    } catch (error) {
      // The next download replaces the file anyway.
      console.warn(`Paddock: cannot set the damaged model catalog cache aside: ${String(error)}`);
    }
  }

  private static isCancelled(error: unknown): boolean {
    return (
      error instanceof GLib.Error && error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    );
  }
}
