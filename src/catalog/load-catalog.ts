import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { AvailableModels } from './available-models.js';

const APP_ID = 'io.github.paddock.Paddock';
const BUNDLED_CATALOG = '/io/github/paddock/Paddock/catalog.json';

let loading: Promise<AvailableModels> | null = null;

/**
 * The app's catalog, loaded once per process: from the cache, the network
 * (PADDOCK_CATALOG_URL, else the catalog-url setting) or the copy shipped in the GResource.
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
