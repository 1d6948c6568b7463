import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Soup from 'gi://Soup?version=3.0';

import { AvailableModel } from '../../../src/catalog/available-model.js';
import { AvailableModels } from '../../../src/catalog/available-models.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { until } from '../pulls/pull-harness.js';
import {
  exists,
  listNames,
  makeTempDir,
  readText,
  removeTree,
  writeBytes,
} from '../config/temp-dir.js';
import { fixtureText } from './catalog-fixtures.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NETWORK_NAMES = [
  'nomic-embed-text',
  'llama3.2',
  'deepseek-v3.2',
  'qwen3-coder',
  'cogito-2.1',
  'aha2025/llama-joycaption-beta-one-hf-llava',
];
const CACHED_NAMES = ['llama3.2', 'mistral', 'phi3', 'tinyllama'];
const BUNDLED_NAMES = ['llama3.2', 'bge-m3'];

type Reply = { status: number; body: string } | 'hang';

/** A catalog server on 127.0.0.1 that answers what the spec tells it to. */
class CatalogServer {
  readonly server = new Soup.Server({});
  reply: Reply = { status: 200, body: fixtureText('library.json') };
  requests = 0;
  private arrived: (() => void) | null = null;

  constructor() {
    this.server.add_handler('/catalog.json', (_server, message) => {
      this.requests++;
      this.arrived?.();
      if (this.reply === 'hang') {
        message.pause();
        return;
      }
      message.set_status(this.reply.status, null);
      message.set_response(
        'application/json',
        Soup.MemoryUse.COPY,
        new TextEncoder().encode(this.reply.body),
      );
    });
    this.server.listen_local(0, Soup.ServerListenOptions.IPV4_ONLY);
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.get_uris()[0].get_port()}/catalog.json`;
  }

  /** Resolves when the next request has arrived. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => (this.arrived = resolve));
  }

  close(): void {
    this.server.disconnect();
  }
}

/** An address where nothing listens: a server's port, after it stopped. */
function refusingUrl(): string {
  const server = new CatalogServer();
  const url = server.url;
  server.close();
  return url;
}

function names(models: AvailableModels): string[] {
  const found: string[] = [];
  for (let i = 0; i < models.get_n_items(); i++) found.push(models.get_item(i)!.name);
  return found;
}

describe('Catalog AvailableModels', () => {
  let dir: Gio.File;
  let cacheFile: Gio.File;
  let clock: ManualClock;
  let server: CatalogServer;
  let bundledReads: number;

  function makeModels(
    options: { url?: string; bundled?: string | null; maxAgeMs?: number } = {},
  ): AvailableModels {
    return new AvailableModels({
      cacheFile,
      url: options.url ?? server.url,
      clock,
      maxAgeMs: options.maxAgeMs,
      bundled: () => {
        bundledReads++;
        return Promise.resolve(
          options.bundled === undefined ? fixtureText('wrapped.json') : options.bundled,
        );
      },
    });
  }

  function writeCache(
    ageMs: number,
    source = server.url,
    catalog = fixtureText('flat-tags.json'),
  ): void {
    const fetchedAt = clock.wallNow() - ageMs;
    writeBytes(
      cacheFile,
      `{"fetchedAt": ${fetchedAt}, "source": ${JSON.stringify(source)}, "catalog": ${catalog}}`,
    );
  }

  function readCache(): { fetchedAt: number; source: string; catalog: unknown } {
    return JSON.parse(readText(cacheFile));
  }

  /** Counts items-changed and checks that each replaces the whole list. */
  function watch(models: AvailableModels): { count: number } {
    const seen = { count: 0 };
    let size = models.get_n_items();
    models.connect('items-changed', (_model, position: number, removed: number, added: number) => {
      seen.count++;
      expect(position).toBe(0);
      expect(removed).toBe(size);
      size = models.get_n_items();
      expect(added).toBe(size);
    });
    return seen;
  }

  beforeEach(() => {
    dir = makeTempDir();
    cacheFile = dir.get_child('paddock').get_child('models.cache.json');
    dir.get_child('paddock').make_directory(null);
    clock = new ManualClock();
    clock.advance(1000);
    server = new CatalogServer();
    bundledReads = 0;
  });

  afterEach(() => {
    server.close();
    removeTree(dir);
  });

  it('is a Gio.ListModel of AvailableModel', async () => {
    const models = makeModels();
    expect(models instanceof Gio.ListModel).toBeTrue();
    expect(models.get_item_type()).toBe(AvailableModel.$gtype);
    expect(models.get_n_items()).toBe(0);
    expect(models.source).toBeNull();
    await models.load();
    expect(models.get_n_items()).toBe(NETWORK_NAMES.length);
    expect(models.get_item(0)).toBeInstanceOf(AvailableModel);
    expect(models.get_item(NETWORK_NAMES.length)).toBeNull();
    expect(models.list().map((model) => model.name)).toEqual(NETWORK_NAMES);
    expect(models.find('LLAMA3.2')?.name).toBe('llama3.2');
    expect(models.find('missing')).toBeNull();
  });

  it('keeps its cache in the user data folder unless told otherwise', () => {
    const models = new AvailableModels({ url: server.url, bundled: () => Promise.resolve(null) });
    expect(models.cacheFile.get_path()).toBe(
      GLib.build_filenamev([GLib.get_user_data_dir(), 'paddock', 'models.cache.json']),
    );
  });

  it('uses a fresh cache without asking the network', async () => {
    writeCache(2 * DAY);
    const models = makeModels();
    const changes = watch(models);
    await models.load();
    expect(server.requests).toBe(0);
    expect(models.source).toBe('cache');
    expect(models.fetchedAt).toBe(clock.wallNow() - 2 * DAY);
    expect(models.problem).toBeNull();
    expect(names(models)).toEqual(CACHED_NAMES);
    expect(changes.count).toBe(1);
  });

  it('downloads the catalog when the cache is older than 3 days, and caches it', async () => {
    writeCache(3 * DAY + 1);
    const models = makeModels();
    const changes = watch(models);
    await models.load();
    expect(server.requests).toBe(1);
    expect(models.source).toBe('network');
    expect(models.fetchedAt).toBe(clock.wallNow());
    expect(models.problem).toBeNull();
    expect(names(models)).toEqual(NETWORK_NAMES);
    expect(changes.count).toBe(1);
    const saved = readCache();
    expect(saved.fetchedAt).toBe(clock.wallNow());
    expect(saved.source).toBe(server.url);
    expect(saved.catalog).toEqual(JSON.parse(fixtureText('library.json')));
  });

  it('downloads the catalog when there is no cache, and uses that cache next time', async () => {
    await makeModels().load();
    expect(server.requests).toBe(1);
    expect(exists(cacheFile)).toBeTrue();
    clock.advance(DAY);
    const again = makeModels();
    await again.load();
    expect(server.requests).toBe(1);
    expect(again.source).toBe('cache');
    expect(names(again)).toEqual(NETWORK_NAMES);
  });

  it('honours maxAgeMs', async () => {
    writeCache(2 * 60 * 60 * 1000);
    await makeModels({ maxAgeMs: 60 * 60 * 1000 }).load();
    expect(server.requests).toBe(1);
  });

  it('downloads again when the cache came from another address', async () => {
    writeCache(DAY, 'https://elsewhere.example/catalog.json');
    const models = makeModels();
    await models.load();
    expect(models.source).toBe('network');
    expect(readCache().source).toBe(server.url);
  });

  it('keeps a stale cache when the download fails, and says why', async () => {
    writeCache(4 * DAY + 5 * 60 * 60 * 1000);
    const before = readText(cacheFile);
    server.reply = { status: 500, body: 'oops' };
    const models = makeModels();
    const changes = watch(models);
    await models.load();
    expect(models.source).toBe('cache');
    expect(names(models)).toEqual(CACHED_NAMES);
    expect(models.problem).toBe(
      `Couldn’t refresh the model catalog: 127.0.0.1:${server.server.get_uris()[0].get_port()} answered “500 Internal Server Error”. Showing the list from 4 days ago.`,
    );
    expect(changes.count).toBe(1);
    expect(readText(cacheFile)).toBe(before);
  });

  it('keeps a stale cache when nothing answers', async () => {
    writeCache(3 * DAY + 1, refusingUrl());
    const models = makeModels({ url: refusingUrl() });
    await models.load();
    expect(models.source).toBe('cache');
    expect(models.problem).toMatch(
      /^Couldn’t refresh the model catalog: 127\.0\.0\.1:\d+ refused the connection\. Showing the list from 3 days ago\.$/,
    );
  });

  it('does not replace the cache with a download that is not a catalog', async () => {
    writeCache(5 * DAY);
    const before = readText(cacheFile);
    for (const body of [
      '<html>Not here</html>',
      '{"error": "rate limited"}',
      '[]',
      '[{"name": "bad name"}]',
    ]) {
      server.reply = { status: 200, body };
      const models = makeModels();
      await models.load();
      expect(models.source).withContext(body).toBe('cache');
      expect(models.problem).withContext(body).toContain('Couldn’t refresh the model catalog: ');
      expect(readText(cacheFile)).toBe(before);
    }
    server.reply = { status: 200, body: '{"error": "rate limited"}' };
    const models = makeModels();
    await models.load();
    expect(models.problem).toContain(
      'the download is not a usable catalog (it is neither a list of models nor an object with a “models” list)',
    );
  });

  it('sets a corrupt cache aside and downloads the catalog again', async () => {
    const corrupt = [
      '{"fetchedAt": 1, "catalog": [',
      '\u00ff\u00fe not UTF-8',
      '{"fetchedAt": "yesterday", "catalog": []}',
      '{"fetchedAt": 1, "catalog": {"no": "models"}}',
      'null',
    ];
    for (const [index, text] of corrupt.entries()) {
      clock.advance(1000);
      const bytes =
        index === 1 ? new Uint8Array([0xff, 0xfe, 0x20, 0x41]) : new TextEncoder().encode(text);
      writeBytes(cacheFile, bytes);
      const models = makeModels();
      await models.load();
      expect(models.source).withContext(text).toBe('network');
      expect(models.problem).toBeNull();
      const stamp = new Date(clock.wallNow()).toISOString().replace(/[-:]|\.\d+/g, '');
      const aside = dir.get_child('paddock').get_child(`models.cache.json.corrupt-${stamp}`);
      expect(exists(aside)).withContext(text).toBeTrue();
      expect(Array.from(GLib.file_get_contents(aside.get_path()!)[1])).toEqual(Array.from(bytes));
      expect(readCache().source).toBe(server.url);
    }
    expect(listNames(dir.get_child('paddock')).length).toBe(corrupt.length + 1);
  });

  it('uses the shipped catalog when there is neither a cache nor a network', async () => {
    const models = makeModels({ url: refusingUrl() });
    const changes = watch(models);
    await models.load();
    expect(models.source).toBe('bundled');
    expect(models.fetchedAt).toBeNull();
    expect(names(models)).toEqual(BUNDLED_NAMES);
    expect(models.problem).toMatch(
      /^Couldn’t refresh the model catalog: 127\.0\.0\.1:\d+ refused the connection\. Showing the list that came with Paddock\.$/,
    );
    expect(changes.count).toBe(1);
    expect(exists(cacheFile)).toBeFalse();
  });

  it('reads the shipped catalog only when it needs it', async () => {
    await makeModels().load();
    expect(bundledReads).toBe(0);
  });

  it('shows an empty list, and says so, when even the shipped catalog is unusable', async () => {
    for (const bundled of [null, 'not json', '[]']) {
      const models = makeModels({ url: refusingUrl(), bundled });
      const changes = watch(models);
      await models.load();
      expect(models.source).toBe('bundled');
      expect(models.get_n_items()).toBe(0);
      expect(models.problem).toContain('The list that came with Paddock could not be read either.');
      expect(changes.count).toBe(1);
    }
  });

  it('gives up on a server that does not answer in time (on the clock)', async () => {
    server.reply = 'hang';
    const models = makeModels();
    const arrived = server.nextRequest();
    const loading = models.load();
    await arrived;
    expect(clock.pendingDelays()).toEqual([30_000]);
    clock.advance(30_000);
    await loading;
    expect(models.source).toBe('bundled');
    expect(models.problem).toMatch(
      /did not send the catalog within 30 seconds\. Showing the list that came with Paddock\.$/,
    );
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('refuses an address that is not http(s)', async () => {
    const models = makeModels({ url: 'ftp://example.com/catalog.json' });
    await models.load();
    expect(models.source).toBe('bundled');
    expect(models.problem).toContain(
      'the catalog address “ftp://example.com/catalog.json” is not an http:// or https:// address',
    );
  });

  describe('refresh', () => {
    it('downloads even when the cache is fresh', async () => {
      writeCache(DAY);
      const models = makeModels();
      await models.load();
      expect(models.source).toBe('cache');
      const changes = watch(models);
      clock.advance(60_000);
      await models.refresh();
      expect(server.requests).toBe(1);
      expect(models.source).toBe('network');
      expect(models.fetchedAt).toBe(clock.wallNow());
      expect(names(models)).toEqual(NETWORK_NAMES);
      expect(readCache().fetchedAt).toBe(clock.wallNow());
      expect(changes.count).toBe(1);
    });

    it('keeps the list shown when it fails, and says since when it is', async () => {
      await makeModels().load();
      const models = makeModels();
      await models.load();
      const changes = watch(models);
      let problemNotes = 0;
      models.connect('notify::problem', () => problemNotes++);
      server.reply = { status: 404, body: '' };
      clock.advance(90 * 60 * 1000);
      await models.refresh();
      expect(models.source).toBe('cache');
      expect(names(models)).toEqual(NETWORK_NAMES);
      expect(models.problem).toMatch(
        /answered “404 Not Found”\. Showing the list from 1 hour ago\.$/,
      );
      expect(changes.count).toBe(0);
      expect(problemNotes).toBe(1);
      // A later success clears the problem.
      server.reply = { status: 200, body: fixtureText('library.json') };
      await models.refresh();
      expect(models.problem).toBeNull();
      expect(models.source).toBe('network');
    });

    it('falls back to the cache when nothing was loaded yet', async () => {
      writeCache(DAY);
      server.reply = { status: 503, body: '' };
      const models = makeModels();
      await models.refresh();
      expect(server.requests).toBe(1);
      expect(models.source).toBe('cache');
      expect(models.problem).toMatch(/Showing the list from 1 day ago\.$/);
    });
  });

  describe('staying fresh', () => {
    it('is stale once older than 3 days, when shipped, or when its download failed', async () => {
      const shipped = makeModels({ url: refusingUrl() });
      expect(shipped.isStale).toBeTrue();
      await shipped.load();
      expect(shipped.source).toBe('bundled');
      expect(shipped.isStale).toBeTrue();

      const models = makeModels();
      await models.load();
      expect(models.isStale).toBeFalse();
      clock.advance(3 * DAY - 1);
      expect(models.isStale).toBeFalse();
      clock.advance(1);
      expect(models.isStale).toBeTrue();

      server.reply = { status: 500, body: 'oops' };
      const failed = makeModels();
      writeCache(DAY);
      await failed.load();
      expect(failed.isStale).toBeFalse();
      await failed.refresh();
      expect(failed.problem).not.toBeNull();
      expect(failed.isStale).toBeTrue();
    });

    it('refreshIfStale downloads only a stale list, and then only once', async () => {
      writeCache(DAY);
      const models = makeModels();
      await models.load();
      await models.refreshIfStale();
      expect(server.requests).toBe(0);
      clock.advance(2 * DAY);
      const changes = watch(models);
      await Promise.all([models.refreshIfStale(), models.refreshIfStale()]);
      expect(server.requests).toBe(1);
      expect(models.source).toBe('network');
      expect(names(models)).toEqual(NETWORK_NAMES);
      expect(changes.count).toBe(1);
      expect(models.isStale).toBeFalse();
    });

    it('loads a list not loaded yet, using a fresh cache', async () => {
      writeCache(DAY);
      const models = makeModels();
      await models.refreshIfStale();
      expect(server.requests).toBe(0);
      expect(names(models)).toEqual(CACHED_NAMES);
    });

    it('tries a failed download again by itself only after an hour', async () => {
      writeCache(5 * DAY);
      server.reply = { status: 503, body: '' };
      const models = makeModels();
      await models.load();
      expect(server.requests).toBe(1);
      clock.advance(HOUR - 1);
      await models.refreshIfStale();
      expect(server.requests).toBe(1);
      // Asked for (the dialog's Refresh button), it tries at once.
      await models.refresh();
      expect(server.requests).toBe(2);
      clock.advance(HOUR);
      server.reply = { status: 200, body: fixtureText('library.json') };
      await models.refreshIfStale();
      expect(server.requests).toBe(3);
      expect(models.problem).toBeNull();
      expect(models.isStale).toBeFalse();
    });

    it('keepFresh refreshes a list that went stale, checking every hour on the clock', async () => {
      const models = makeModels();
      await models.load();
      expect(server.requests).toBe(1);
      const stop = models.keepFresh();
      expect(clock.pendingDelays()).toEqual([HOUR]);
      for (let hour = 1; hour < 72; hour++) {
        clock.advance(HOUR);
        await until(() => clock.pendingDelays().length === 1, 'the next check');
      }
      expect(server.requests).toBe(1);
      clock.advance(HOUR);
      await until(() => server.requests === 2, 'the refresh');
      await until(() => clock.pendingDelays().length === 1, 'the next check');
      expect(models.fetchedAt).toBe(clock.wallNow());
      stop();
      expect(clock.pendingDelays()).toEqual([]);
    });
  });

  it('changes nothing when cancelled', async () => {
    writeCache(5 * DAY);
    server.reply = 'hang';
    const models = makeModels();
    const changes = watch(models);
    const cancellable = new Gio.Cancellable();
    const arrived = server.nextRequest();
    const loading = models.load(cancellable);
    await arrived;
    cancellable.cancel();
    let error: unknown = null;
    try {
      await loading;
    } catch (caught) {
      error = caught;
    }
    expect(
      error instanceof GLib.Error && error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED),
    ).toBeTrue();
    expect(models.source).toBeNull();
    expect(models.get_n_items()).toBe(0);
    expect(changes.count).toBe(0);
    expect(clock.pendingDelays()).toEqual([]);
  });

  it('runs loads one at a time', async () => {
    const models = makeModels();
    const changes = watch(models);
    await Promise.all([models.load(), models.refresh(), models.load()]);
    // The first load downloads; the refresh downloads again; the last load finds a fresh cache.
    expect(server.requests).toBe(2);
    expect(models.source).toBe('cache');
    expect(changes.count).toBe(3);
  });
});
