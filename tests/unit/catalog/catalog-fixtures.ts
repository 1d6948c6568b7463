import GLib from 'gi://GLib';

/** The text of tests/fixtures/catalog/<name> (specs run from the project's root). */
export function fixtureText(name: string): string {
  const path = GLib.build_filenamev([GLib.get_current_dir(), 'tests', 'fixtures', 'catalog', name]);
  return new TextDecoder().decode(GLib.file_get_contents(path)[1]);
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** data/catalog.json, the catalog shipped with the app. */
export function shippedCatalogText(): string {
  const path = GLib.build_filenamev([GLib.get_current_dir(), 'data', 'catalog.json']);
  return new TextDecoder().decode(GLib.file_get_contents(path)[1]);
}
