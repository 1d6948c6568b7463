import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { AvailableModels } from './available-models.js';

const APP_ID = 'io.github.paddock.Paddock';
const BUNDLED_CATALOG = '/io/github/paddock/Paddock/catalog.json';

let loading: Promise<AvailableModels> | null = null;

/**
 * The app's catalog, one list per process, loaded on first use: from the cache, the network
 * (PADDOCK_CATALOG_URL, else the catalog-url setting) or the copy shipped in the GResource.
 * The window keeps it fresh (AvailableModels.keepFresh), Add Model refreshes it if stale.
 */
export function loadCatalog(): Promise<AvailableModels> {
  loading ??= (async () => {
    const settings = new Gio.Settings({ schema_id: APP_ID });
    const catalog = new AvailableModels({
      url: GLib.getenv('PADDOCK_CATALOG_URL') || settings.get_string('catalog-url'),
      bundled: async () => {
        const bytes = Gio.resources_lookup_data(BUNDLED_CATALOG, Gio.ResourceLookupFlags.NONE);
        return new TextDecoder().decode(bytes.toArray());
      },
    });
    await catalog.load();
    return catalog;
  })();
  return loading;
}
