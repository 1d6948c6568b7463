import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';

import { ConnectionItem } from '../../../src/config/connection-item.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import {
  ConnectionStoreError,
  KeyringError,
  SecretStoreError,
} from '../../../src/config/errors.js';
import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';
import type { SecretStore } from '../../../src/config/secret-store.js';
import {
  exists,
  isChildWithoutCapabilities,
  listNames,
  makeTempDir,
  modeOf,
  permissionsAreIgnored,
  readBytes,
  readText,
  removeTree,
  runSpecWithoutCapabilities,
  writeBytes,
} from './temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** Where a file Paddock cannot use goes, at the manual clock's start. */
const ASIDE = 'connections.json.corrupt-20260101T000000Z';

interface StoredFile {
  version: number;
  connections: { id: string; name: string; url: string; default: boolean; apiKey?: boolean }[];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected the promise to reject');
}

function summary(store: ConnectionStore): [string, string, boolean][] {
  return store.list().map((item) => [item.name, item.url, item.isDefault]);
}

describe('Config ConnectionStore', () => {
  let dir: Gio.File;
  let secrets: MemorySecretStore;
  let environment: Record<string, string>;

  function newStore(options: { secrets?: SecretStore } = {}): ConnectionStore {
    return new ConnectionStore({
      configDir: dir,
      secrets: options.secrets ?? secrets,
      environment: (name) => environment[name] ?? null,
      clock: new ManualClock(),
    });
  }

  async function loaded(): Promise<ConnectionStore> {
    const store = newStore();
    const { problem } = await store.load();
    expect(problem).toBeNull();
    return store;
  }

  function file(name = 'connections.json'): Gio.File {
    return dir.get_child(name);
  }

  function stored(): StoredFile {
    return JSON.parse(readText(file())) as StoredFile;
  }

  function writeConnections(connections: unknown[], extra: object = {}): string {
    const text = JSON.stringify({ version: 1, connections, ...extra }, null, 2);
    writeBytes(file(), text);
    return text;
  }

  beforeEach(() => {
    dir = makeTempDir();
    secrets = new MemorySecretStore();
    environment = {};
  });

  afterEach(() => {
    removeTree(dir);
  });

  describe('first start', () => {
    it('creates one default connection to the local server and saves it', async () => {
      const store = newStore();
      const changed = jasmine.createSpy('changed');
      store.connect('changed', changed);
      expect(await store.load()).toEqual({ problem: null });
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11434', true]]);
      expect(changed).toHaveBeenCalledTimes(1);
      const saved = stored();
      expect(saved.version).toBe(1);
      expect(saved.connections).toEqual([
        {
          id: store.getDefault()!.id,
          name: 'Local Ollama',
          url: 'http://127.0.0.1:11434',
          default: true,
          apiKey: false,
        },
      ]);
      expect(store.getDefault()!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
      expect(modeOf(file())).toBe(0o600);
    });

    it('creates the config folder when it is missing', async () => {
      const configDir = dir.get_child('config').get_child('paddock');
      const store = new ConnectionStore({ configDir, secrets, environment: () => null });
      expect((await store.load()).problem).toBeNull();
      expect(exists(configDir.get_child('connections.json'))).toBeTrue();
    });

    it('uses the server OLLAMA_HOST names, by its host name', async () => {
      environment.OLLAMA_HOST = 'https://ollama.example.com/';
      const store = await loaded();
      expect(summary(store)).toEqual([
        ['ollama.example.com', 'https://ollama.example.com:443', true],
      ]);
    });

    it('calls a loopback OLLAMA_HOST "Local Ollama"', async () => {
      environment.OLLAMA_HOST = ':11500';
      const store = await loaded();
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11500', true]]);
    });

    it('names an IP address OLLAMA_HOST by its address', async () => {
      environment.OLLAMA_HOST = '192.168.1.5';
      const store = await loaded();
      expect(summary(store)).toEqual([['192.168.1.5', 'http://192.168.1.5:11434', true]]);
    });

    it('falls back to the local server when OLLAMA_HOST is unusable, and says so', async () => {
      environment.OLLAMA_HOST = 'ftp://files.example.com';
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('OLLAMA_HOST (“ftp://files.example.com”)');
      expect(problem).toContain('http://127.0.0.1:11434');
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11434', true]]);
    });

    it('reads OLLAMA_HOST only on the first start', async () => {
      await loaded();
      environment.OLLAMA_HOST = 'example.com';
      const store = await loaded();
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11434', true]]);
    });
  });

  describe('saving and loading', () => {
    it('gives back what it saved', async () => {
      const store = await loaded();
      const office = await store.add({ name: 'Office', url: '192.168.1.5' });
      const proxy = await store.add({ name: 'Proxy', url: 'https://proxy.example.com/ollama/' });
      await store.setDefault(proxy.id);
      await store.update(office.id, { name: 'Office GPU', url: 'http://192.168.1.6:11434' });

      const again = await loaded();
      expect(again.list().map((item) => item.toConnection())).toEqual(
        store.list().map((item) => item.toConnection()),
      );
      expect(summary(again)).toEqual([
        ['Local Ollama', 'http://127.0.0.1:11434', false],
        ['Office GPU', 'http://192.168.1.6:11434', false],
        ['Proxy', 'https://proxy.example.com:443/ollama', true],
      ]);
    });

    it('leaves a good file untouched when loading it', async () => {
      const text = writeConnections([
        { id: 'a', name: 'Home', url: 'localhost', default: true },
        { id: 'b', name: 'Work', url: 'http://10.0.0.2:11434' },
      ]);
      const store = await loaded();
      expect(summary(store)).toEqual([
        ['Home', 'http://localhost:11434', true],
        ['Work', 'http://10.0.0.2:11434', false],
      ]);
      expect(readText(file())).toBe(text);
      expect(listNames(dir)).toEqual(['connections.json']);
    });

    it('keeps an empty list empty', async () => {
      writeConnections([]);
      const store = await loaded();
      expect(store.list()).toEqual([]);
      expect(store.getDefault()).toBeNull();
    });

    it('runs changes one after the other, each saved', async () => {
      const store = await loaded();
      await Promise.all([
        store.add({ name: 'A', url: 'a.example' }),
        store.add({ name: 'B', url: 'b.example' }),
        store.add({ name: 'C', url: 'c.example' }),
      ]);
      expect(stored().connections.map((c) => c.name)).toEqual(['Local Ollama', 'A', 'B', 'C']);
    });

    it('refuses changes before load() has read the file', async () => {
      writeConnections([{ id: 'a', name: 'Home', url: 'localhost', default: true }]);
      const store = newStore();
      const error = await rejection(store.add({ name: 'X', url: 'x.example' }));
      expect(error.message).toContain('load()');
      expect(stored().connections.length).toBe(1);
    });

    it('waits for load() before a change asked for during it', async () => {
      writeConnections([{ id: 'a', name: 'Home', url: 'localhost', default: true }]);
      const store = newStore();
      const loading = store.load();
      await Promise.resolve();
      await loading;
      await store.add({ name: 'X', url: 'x.example' });
      expect(stored().connections.map((c) => c.name)).toEqual(['Home', 'X']);
    });
  });

  describe('a broken file', () => {
    const broken = '{"version": 1, "connections": [ {"id": "a", "name": "Home", ';

    it('is set aside byte for byte as connections.json.corrupt-<time>, and Paddock starts with the default', async () => {
      writeBytes(file(), broken);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('not valid JSON');
      expect(problem).toContain(file(ASIDE).get_path()!);
      expect(readText(file(ASIDE))).toBe(broken);
      expect(modeOf(file(ASIDE))).toBe(0o600);
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11434', true]]);
      expect(stored().connections.length).toBe(1);
    });

    it('never overwrites a file set aside earlier', async () => {
      writeBytes(file(), broken);
      await newStore().load();
      const second = new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
      writeBytes(file(), second);
      const { problem } = await newStore().load();
      expect(problem).toContain('it is not UTF-8 text');
      expect(problem).toContain(`${ASIDE}-2`);
      expect(readText(file(ASIDE))).toBe(broken);
      expect(Array.from(readBytes(file(`${ASIDE}-2`)))).toEqual(Array.from(second));
      writeBytes(file(), '[]');
      await newStore().load();
      expect(listNames(dir)).toEqual(['connections.json', ASIDE, `${ASIDE}-2`, `${ASIDE}-3`]);
    });

    const shapes: [string, string, string][] = [
      ['a list instead of an object', '[]', 'does not hold a list of connections'],
      ['no list', '{"version": 1}', 'does not hold a list of connections'],
      ['a newer format', '{"version": 2, "connections": []}', 'newer version of Paddock'],
      ['an unknown format', '{"version": "one", "connections": []}', 'format version is unknown'],
      [
        'no usable connection',
        '{"version": 1, "connections": [{"id": "a", "url": "x"}, 7]}',
        'none of its connections can be used',
      ],
    ];
    for (const [what, text, reason] of shapes)
      it(`is set aside when it has ${what}`, async () => {
        writeBytes(file(), text);
        environment.OLLAMA_HOST = 'example.com';
        const store = newStore();
        const { problem } = await store.load();
        expect(problem).toContain(reason);
        expect(readText(file(ASIDE))).toBe(text);
        expect(summary(store)).toEqual([['example.com', 'http://example.com:11434', true]]);
      });

    it('accepts a byte order mark and a missing version', async () => {
      writeBytes(
        file(),
        '\uFEFF{"connections": [{"id": "a", "name": "A", "url": "a.example", "default": true}]}',
      );
      const store = await loaded();
      expect(summary(store)).toEqual([['A', 'http://a.example:11434', true]]);
    });
  });

  describe('invalid entries', () => {
    it('are left out, the rest kept, the original set aside, and the problem named', async () => {
      const text = writeConnections([
        { id: 'a', name: 'Home', url: 'localhost', default: true },
        { id: 'b', name: 'Bad address', url: 'ftp://x.example' },
        { id: 'c', url: 'c.example' },
        'nonsense',
        { id: 'e', name: 'Work', url: 'work.example', default: 'yes' },
        { id: 'f', name: 'Lab', url: 'lab.example:8080' },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(summary(store)).toEqual([
        ['Home', 'http://localhost:11434', true],
        ['Lab', 'http://lab.example:8080', false],
      ]);
      expect(problem).toContain(
        'connection 2 (“Bad address”) was left out because “ftp” addresses',
      );
      expect(problem).toContain('connection 3 was left out because it has no name');
      expect(problem).toContain('connection 4 was left out because it is not a connection');
      expect(problem).toContain('connection 5 (“Work”) was left out because its “default”');
      expect(problem).toContain(file(ASIDE).get_path()!);
      expect(readText(file(ASIDE))).toBe(text);
      expect(stored().connections.map((c) => c.id)).toEqual(['a', 'f']);
    });

    it('with the same id get a new one', async () => {
      writeConnections([
        { id: 'a', name: 'One', url: 'one.example', default: true },
        { id: 'a', name: 'Two', url: 'two.example' },
      ]);
      const { problem } = await newStore().load();
      expect(problem).toContain('“Two” had the id of another connection');
      const ids = stored().connections.map((c) => c.id);
      expect(ids[0]).toBe('a');
      expect(ids[1]).not.toBe('a');
    });

    it('with the same name are renamed', async () => {
      writeConnections([
        { id: 'a', name: 'Server', url: 'one.example', default: true },
        { id: 'b', name: 'server', url: 'two.example' },
        { id: 'c', name: 'Server (2)', url: 'three.example' },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('“server” was renamed “server (3)”');
      expect(store.list().map((item) => item.name)).toEqual(['Server', 'server (3)', 'Server (2)']);
    });

    it('without a default get the first as default', async () => {
      writeConnections([
        { id: 'a', name: 'One', url: 'one.example' },
        { id: 'b', name: 'Two', url: 'two.example', default: false },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('no connection was the default, so “One” is now');
      expect(summary(store).map(([, , isDefault]) => isDefault)).toEqual([true, false]);
      expect(stored().connections.map((c) => c.default)).toEqual([true, false]);
    });

    it('with several defaults keep only the first', async () => {
      writeConnections([
        { id: 'a', name: 'One', url: 'one.example' },
        { id: 'b', name: 'Two', url: 'two.example', default: true },
        { id: 'c', name: 'Three', url: 'three.example', default: true },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('“Three” is no longer the default');
      expect(store.getDefault()!.name).toBe('Two');
      expect(store.list().filter((item) => item.isDefault).length).toBe(1);
    });
  });

  describe('the default', () => {
    let store: ConnectionStore;
    let a: ConnectionItem;
    let b: ConnectionItem;
    let c: ConnectionItem;

    beforeEach(async () => {
      writeConnections([]);
      store = await loaded();
      a = await store.add({ name: 'A', url: 'a.example' });
      b = await store.add({ name: 'B', url: 'b.example' });
      c = await store.add({ name: 'C', url: 'c.example' });
    });

    function defaults(): string[] {
      return store
        .list()
        .filter((item) => item.isDefault)
        .map((item) => item.name);
    }

    it('is the first connection added', () => {
      expect(defaults()).toEqual(['A']);
      expect(store.getDefault()).toBe(a);
    });

    it('moves with setDefault, notifying both items', async () => {
      const notified: string[] = [];
      for (const item of [a, b, c])
        item.connect('notify::is-default', () => notified.push(`${item.name}=${item.is_default}`));
      await store.setDefault(c.id);
      expect(defaults()).toEqual(['C']);
      expect(notified.sort()).toEqual(['A=false', 'C=true']);
      expect(stored().connections.map((x) => x.default)).toEqual([false, false, true]);
    });

    it('stays when another connection is removed', async () => {
      await store.remove(b.id);
      expect(defaults()).toEqual(['A']);
    });

    it('passes to the first remaining connection when the default is removed', async () => {
      await store.setDefault(b.id);
      await store.remove(b.id);
      expect(defaults()).toEqual(['A']);
      await store.remove(a.id);
      expect(defaults()).toEqual(['C']);
      expect(stored().connections).toEqual([
        { id: c.id, name: 'C', url: 'http://c.example:11434', default: true, apiKey: false },
      ]);
    });

    it('is gone with the last connection, and comes back with the next one added', async () => {
      for (const item of [a, b, c]) await store.remove(item.id);
      expect(store.getDefault()).toBeNull();
      expect(stored().connections).toEqual([]);
      const d = await store.add({ name: 'D', url: 'd.example' });
      expect(store.getDefault()).toBe(d);
    });

    it('rejects an unknown id', async () => {
      const error = await rejection(store.setDefault('nope'));
      expect(error).toEqual(jasmine.any(ConnectionStoreError));
      expect(defaults()).toEqual(['A']);
    });
  });

  describe('changes', () => {
    let store: ConnectionStore;

    beforeEach(async () => {
      store = await loaded();
    });

    it('update the item in place, with notify signals for bound widgets', async () => {
      const item = store.getDefault()!;
      const notified: string[] = [];
      item.connect('notify', (_item, spec) => notified.push(spec.get_name()));
      const changed = jasmine.createSpy('changed');
      store.connect('changed', changed);
      const result = await store.update(item.id, { name: ' My  GPU ', url: 'localhost:11500' });
      expect(result).toBe(item);
      expect(store.model.get_item(0)).toBe(item);
      expect([item.name, item.url]).toEqual(['My GPU', 'http://localhost:11500']);
      expect(notified.sort()).toEqual(['name', 'url']);
      expect(changed).toHaveBeenCalledTimes(1);
    });

    it('append an item to the model when added', async () => {
      const added = jasmine.createSpy('items-changed');
      store.model.connect('items-changed', added);
      const item = await store.add({ name: 'Lab', url: 'lab.example' });
      expect(added).toHaveBeenCalledWith(store.model, 1, 0, 1);
      expect(store.get(item.id)).toBe(item);
      expect(item.isDefault).toBeFalse();
    });

    it('refuse an empty name', async () => {
      const error = await rejection(store.add({ name: '   ', url: 'lab.example' }));
      expect(error).toEqual(jasmine.any(ConnectionStoreError));
      expect(error.message).toBe('Enter a name for the connection.');
      expect(store.list().length).toBe(1);
    });

    it('refuse a name that is taken, ignoring case, but not the connection’s own', async () => {
      const lab = await store.add({ name: 'Lab', url: 'lab.example' });
      const error = await rejection(store.add({ name: ' local ollama', url: 'x.example' }));
      expect(error.message).toBe('There already is a connection named “local ollama”.');
      expect(store.validateName('LAB')).toContain('There already is');
      expect(store.validateName('LAB', lab.id)).toBeNull();
      await store.update(lab.id, { name: 'LAB' });
      expect(lab.name).toBe('LAB');
      expect((await rejection(store.update(lab.id, { name: 'Local Ollama' }))).message).toContain(
        'There already is',
      );
    });

    it('refuse an address that is not one, with the reason', async () => {
      const error = await rejection(store.add({ name: 'Lab', url: 'http://lab.example:0' }));
      expect(error.message).toBe('The port must be a number from 1 to 65535.');
      const item = store.getDefault()!;
      await expectAsync(store.update(item.id, { url: 'gopher://x' })).toBeRejectedWithError(
        ConnectionStoreError,
        /“gopher” addresses are not supported/,
      );
      expect(item.url).toBe('http://127.0.0.1:11434');
    });

    it('report an unknown id', async () => {
      await expectAsync(store.update('nope', { name: 'x' })).toBeRejectedWithError(
        ConnectionStoreError,
      );
      await expectAsync(store.remove('nope')).toBeRejectedWithError(ConnectionStoreError);
      expect(await store.getApiKey('nope')).toBeNull();
    });
  });

  describe('API keys', () => {
    let store: ConnectionStore;

    beforeEach(async () => {
      store = await loaded();
    });

    it('go to the SecretStore, never into connections.json', async () => {
      const item = await store.add({
        name: 'Cloud',
        url: 'https://ollama.com',
        apiKey: ' sk-123 ',
      });
      expect(await store.getApiKey(item.id)).toBe('sk-123');
      expect(secrets.labelOf(item.id)).toBe('Paddock API key for Cloud');
      expect(readText(file())).not.toContain('sk-123');
      await store.update(item.id, { apiKey: 'sk-456' });
      expect(await store.getApiKey(item.id)).toBe('sk-456');
      expect(readText(file())).not.toContain('sk-456');
      expect(listNames(dir)).toEqual(['connections.json']);
    });

    it('are not stored when empty', async () => {
      const item = await store.add({ name: 'Lab', url: 'lab.example', apiKey: '' });
      expect(secrets.ids()).toEqual([]);
      expect(await store.getApiKey(item.id)).toBeNull();
    });

    it('stay as they are unless update() is given one, and follow a rename', async () => {
      const item = await store.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'k' });
      await store.update(item.id, { name: 'Ollama Cloud' });
      expect(await store.getApiKey(item.id)).toBe('k');
      expect(secrets.labelOf(item.id)).toBe('Paddock API key for Ollama Cloud');
      await store.update(item.id, { name: 'Cloud 2', apiKey: 'k2' });
      expect(secrets.labelOf(item.id)).toBe('Paddock API key for Cloud 2');
    });

    it('are removed by update() with null or an empty key', async () => {
      const item = await store.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'k' });
      const changed = jasmine.createSpy('changed');
      store.connect('changed', changed);
      await store.update(item.id, { apiKey: null });
      expect(await store.getApiKey(item.id)).toBeNull();
      expect(changed).toHaveBeenCalledTimes(1);
      await store.update(item.id, { apiKey: 'k' });
      await store.update(item.id, { apiKey: '' });
      expect(secrets.ids()).toEqual([]);
    });

    it('are deleted with their connection', async () => {
      const item = await store.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'k' });
      await store.remove(item.id);
      expect(secrets.ids()).toEqual([]);
    });

    it('that cannot be stored stop the change before anything is saved', async () => {
      const failing: SecretStore = {
        lookup: () => Promise.resolve(null),
        store: () => Promise.reject(new Error('Could not save the API key in the keyring: locked')),
        clear: () => Promise.resolve(),
      };
      const locked = newStore({ secrets: failing });
      await locked.load();
      const before = readText(file());
      const error = await rejection(locked.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'k' }));
      expect(error.message).toContain('locked');
      expect(readText(file())).toBe(before);
      expect(locked.list().length).toBe(1);
    });

    it('that cannot be deleted are reported after the connection is removed', async () => {
      const keys = new MemorySecretStore();
      const stuck: SecretStore = {
        lookup: (id) => keys.lookup(id),
        store: (id, label, secret) => keys.store(id, label, secret),
        clear: () => Promise.reject(new Error('the keyring is locked')),
      };
      const store2 = newStore({ secrets: stuck });
      await store2.load();
      const item = await store2.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'k' });
      const error = await rejection(store2.remove(item.id));
      expect(error.message).toBe(
        '“Cloud” was removed, but its API key is still in the keyring: the keyring is locked',
      );
      expect(store2.get(item.id)).toBeNull();
      expect(stored().connections.length).toBe(1);
    });
  });

  describe('whether a connection has an API key', () => {
    /** A keyring that cannot be reached, as over ssh: every call fails. */
    const unreachable = (): SecretStore & { calls: string[] } => {
      const calls: string[] = [];
      const fail = (call: string) => {
        calls.push(call);
        const reason = 'the keyring cannot be reached from this session (no desktop session bus)';
        return Promise.reject(
          new SecretStoreError(`Could not use the keyring: ${reason}`, reason, {
            unreachable: true,
          }),
        );
      };
      return {
        calls,
        lookup: () => fail('lookup'),
        store: () => fail('store'),
        clear: () => fail('clear'),
      };
    };

    function flags(): Record<string, boolean | undefined> {
      return Object.fromEntries(stored().connections.map((c) => [c.name, c.apiKey]));
    }

    it('is written to connections.json and read back, the key never', async () => {
      const store = await loaded();
      const cloud = await store.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'sk-1' });
      await store.add({ name: 'Lab', url: 'lab.example' });
      expect(flags()).toEqual({ 'Local Ollama': false, Cloud: true, Lab: false });
      await store.update(cloud.id, { apiKey: null });
      expect(flags().Cloud).toBeFalse();
      await store.update(cloud.id, { apiKey: 'sk-2' });
      expect(flags().Cloud).toBeTrue();
      expect(readText(file())).not.toContain('sk-');
      const again = await loaded();
      expect(again.list().map((item) => [item.name, item.hasApiKey])).toEqual([
        ['Local Ollama', false],
        ['Cloud', true],
        ['Lab', false],
      ]);
      expect(await again.getApiKey(cloud.id)).toBe('sk-2');
    });

    it('lets a connection without a key go without the keyring', async () => {
      const keyring = unreachable();
      const offline = newStore({ secrets: keyring });
      await offline.load();
      const local = offline.getDefault()!;
      expect(await offline.getApiKey(local.id)).toBeNull();
      const lab = await offline.add({ name: 'Lab', url: 'lab.example' });
      expect(await offline.getApiKey(lab.id)).toBeNull();
      await offline.update(lab.id, { name: 'Lab 2', url: 'lab2.example' });
      await offline.remove(lab.id);
      expect(keyring.calls).toEqual([]);
      expect(offline.list().length).toBe(1);
    });

    it('says plainly when a connection has a key and the keyring cannot be reached', async () => {
      writeConnections([
        { id: 'a', name: 'Cloud', url: 'ollama.com', default: true, apiKey: true },
      ]);
      const offline = newStore({ secrets: unreachable() });
      await offline.load();
      const error = await rejection(offline.getApiKey('a'));
      expect(error).toEqual(jasmine.any(KeyringError));
      expect(error.message).toBe(
        'Paddock could not read the API key of “Cloud” from the keyring: the keyring cannot be reached from this session (no desktop session bus). Run the command in your desktop session, or remove the key from this connection.',
      );
    });

    it('is asked of the keyring for a file from before, then written down', async () => {
      const text = writeConnections([
        { id: 'a', name: 'Home', url: 'localhost', default: true },
        { id: 'b', name: 'Cloud', url: 'ollama.com' },
      ]);
      await secrets.store('b', 'Paddock API key for Cloud', 'sk-1');
      const store = await loaded();
      expect(readText(file())).toBe(text);
      expect(await store.getApiKey('a')).toBeNull();
      expect(flags()).toEqual({ Home: false, Cloud: undefined });
      expect(await store.getApiKey('b')).toBe('sk-1');
      expect(flags()).toEqual({ Home: false, Cloud: true });

      const keyring = unreachable();
      const offline = newStore({ secrets: keyring });
      await offline.load();
      expect(await offline.getApiKey('a')).toBeNull();
      expect(keyring.calls).toEqual([]);
    });

    it('stays as it was when the keyring cannot store or delete the key', async () => {
      writeConnections([
        { id: 'a', name: 'Home', url: 'localhost', default: true, apiKey: false },
        { id: 'b', name: 'Cloud', url: 'ollama.com', apiKey: true },
      ]);
      const before = readText(file());
      const offline = newStore({ secrets: unreachable() });
      await offline.load();
      await expectAsync(offline.update('a', { apiKey: 'sk-1' })).toBeRejectedWithError(
        /cannot be reached/,
      );
      await expectAsync(offline.update('b', { apiKey: null })).toBeRejectedWithError(
        /cannot be reached/,
      );
      expect(readText(file())).toBe(before);
      expect(offline.list().map((item) => item.hasApiKey)).toEqual([false, true]);
    });

    it('follows the key when the address changes: kept, or removed', async () => {
      const store = await loaded();
      const cloud = await store.add({ name: 'Cloud', url: 'ollama.com', apiKey: 'sk-1' });
      await store.update(cloud.id, { url: 'https://cloud.example' });
      expect(flags().Cloud).toBeTrue();
      expect(await store.getApiKey(cloud.id)).toBe('sk-1');
      await store.update(cloud.id, { url: 'https://other.example', apiKey: null });
      expect(flags().Cloud).toBeFalse();
      expect(secrets.ids()).toEqual([]);
    });

    it('puts the old key back when the change cannot be saved', async () => {
      file().make_directory(null);
      const store = newStore();
      await store.load();
      const local = store.getDefault()!;
      await expectAsync(store.update(local.id, { apiKey: 'sk-1' })).toBeRejectedWithError(
        ConnectionStoreError,
        /will not overwrite it/,
      );
      expect(secrets.ids()).toEqual([]);
      expect(await store.getApiKey(local.id)).toBeNull();
    });

    it('gets a new id’s “no key” when a repair gives a connection a new id', async () => {
      writeConnections([
        { id: 'a', name: 'One', url: 'one.example', default: true, apiKey: true },
        { id: 'a', name: 'Two', url: 'two.example', apiKey: true },
      ]);
      await newStore().load();
      expect(flags()).toEqual({ One: true, Two: false });
    });
  });

  describe('memory figures', () => {
    it('keeps the memory and GPU memory the user entered, and clears them', async () => {
      const store = await loaded();
      const item = await store.add({ name: 'Box', url: 'gpu-box', ramBytes: 64e9, gpuBytes: 24e9 });
      expect([item.ramBytes, item.gpuBytes]).toEqual([64e9, 24e9]);
      const saved = () => stored().connections.find((entry) => entry.name === 'Box');
      expect(saved()).toEqual(jasmine.objectContaining({ memory: 64e9, gpuMemory: 24e9 }));
      await store.update(item.id, { gpuBytes: null });
      expect(saved()!).not.toEqual(jasmine.objectContaining({ gpuMemory: jasmine.anything() }));
      expect(item.ramBytes).toBe(64e9);
      expect(item.gpuBytes).toBeUndefined();
      const reloaded = await loaded();
      expect(reloaded.list().find((entry) => entry.name === 'Box')?.ramBytes).toBe(64e9);
      await expectAsync(store.update(item.id, { ramBytes: -1 })).toBeRejectedWithError(
        ConnectionStoreError,
        'A memory size must be a number of bytes above zero.',
      );
    });

    it('leaves out a stored memory figure that is no size, keeping the connection, and says so', async () => {
      writeConnections([
        { id: 'a', name: 'A', url: 'a.example', default: true, memory: 'lots', gpuMemory: 8e9 },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('the memory of “A” was left out because it is not a size in bytes');
      expect(store.list()[0].ramBytes).toBeUndefined();
      expect(store.list()[0].gpuBytes).toBe(8e9);
    });
  });

  describe('context length', () => {
    it('keeps the context length the user set for a server, and clears it', async () => {
      const store = await loaded();
      const item = await store.add({ name: 'Box', url: 'gpu-box', contextLength: 32768 });
      expect(item.contextLength).toBe(32768);
      const saved = () => stored().connections.find((entry) => entry.name === 'Box');
      expect(saved()).toEqual(jasmine.objectContaining({ contextLength: 32768 }));
      const reloaded = await loaded();
      expect(reloaded.list().find((entry) => entry.name === 'Box')?.contextLength).toBe(32768);
      await store.update(item.id, { contextLength: 8192 });
      expect(saved()).toEqual(jasmine.objectContaining({ contextLength: 8192 }));
      await store.update(item.id, { contextLength: null });
      expect(saved()!).not.toEqual(jasmine.objectContaining({ contextLength: jasmine.anything() }));
      expect(item.contextLength).toBeUndefined();
      await expectAsync(store.update(item.id, { contextLength: 0.5 })).toBeRejectedWithError(
        ConnectionStoreError,
        'A context length must be a whole number of tokens from 1 to 16777216.',
      );
    });

    it('leaves out a stored context length that is no count of tokens, and says so', async () => {
      writeConnections([
        { id: 'a', name: 'A', url: 'a.example', default: true, contextLength: 1e12 },
        { id: 'b', name: 'B', url: 'b.example', contextLength: '8k' },
        { id: 'c', name: 'C', url: 'c.example', contextLength: 4096 },
      ]);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain(
        'the context length of “A” was left out because it is not a number of tokens',
      );
      expect(problem).toContain(
        'the context length of “B” was left out because it is not a number of tokens',
      );
      expect(store.list().map((item) => item.contextLength)).toEqual([undefined, undefined, 4096]);
    });
  });

  describe('a file that cannot be written', () => {
    const spec = 'Config ConnectionStore a file that cannot be written';

    it('rejects a change in a read-only folder and keeps the old file', async () => {
      if (permissionsAreIgnored()) {
        if (isChildWithoutCapabilities())
          pending('file modes are ignored even without capabilities');
        const child = await runSpecWithoutCapabilities(
          import.meta.url,
          `${spec} rejects a change in a read-only`,
        );
        if (!child) pending('root ignores file modes, and setpriv is missing to drop that');
        expect(child!.passed).withContext(child!.output).toBeTrue();
        return;
      }
      const store = await loaded();
      const before = readText(file());
      GLib.chmod(dir.get_path()!, 0o500);
      const error = await rejection(store.add({ name: 'Lab', url: 'lab.example', apiKey: 'k' }));
      expect(error).toEqual(jasmine.any(ConnectionStoreError));
      expect(error.message).toContain(`Could not save the connections to ${file().get_path()}`);
      expect(readText(file())).toBe(before);
      expect(store.list().length).toBe(1);
      expect(secrets.ids()).toEqual([]);
      await expectAsync(store.setDefault(store.list()[0].id)).toBeResolved();
      await expectAsync(store.remove(store.list()[0].id)).toBeRejectedWithError(
        ConnectionStoreError,
      );
      expect(readText(file())).toBe(before);
      expect(store.list().length).toBe(1);
    });

    it('is not overwritten when it could not be read, and changes say why', async () => {
      file().make_directory(null);
      const store = newStore();
      const { problem } = await store.load();
      expect(problem).toContain('could not read its saved connections');
      expect(summary(store)).toEqual([['Local Ollama', 'http://127.0.0.1:11434', true]]);
      const error = await rejection(store.add({ name: 'Lab', url: 'lab.example' }));
      expect(error.message).toContain('will not overwrite it');
      expect(file().query_file_type(Gio.FileQueryInfoFlags.NONE, null)).toBe(
        Gio.FileType.DIRECTORY,
      );
    });
  });
});

// Here rather than in a spec file of its own: the runner loads every spec bundle into one
// process, and a GObject class in two bundles would be registered twice.
describe('Config ConnectionItem', () => {
  const connection = { id: 'a', name: 'Home', url: 'http://localhost:11434', isDefault: false };

  it('shows the connection as read-only GObject properties', () => {
    const item = new ConnectionItem(connection);
    const value = new GObject.Value();
    value.init(GObject.TYPE_STRING);
    item.get_property('url', value);
    expect(value.get_string()).toBe('http://localhost:11434');
    const flag = new GObject.Value();
    flag.init(GObject.TYPE_BOOLEAN);
    item.get_property('is-default', flag);
    expect(flag.get_boolean()).toBeFalse();
    expect([item.id, item.name, item.isDefault, item.is_default]).toEqual([
      'a',
      'Home',
      false,
      false,
    ]);
    expect(item.toConnection()).toEqual(connection);
    expect(item.hasApiKey).toBeUndefined();
    const keyless = new ConnectionItem({ ...connection, hasApiKey: false });
    expect(keyless.toConnection()).toEqual({ ...connection, hasApiKey: false });
    keyless.assign({ ...connection, hasApiKey: true });
    expect(keyless.hasApiKey).toBeTrue();
  });

  it('binds to other objects and notifies only what changed', () => {
    const item = new ConnectionItem(connection);
    const target = new ConnectionTarget();
    item.bind_property('name', target, 'text', GObject.BindingFlags.SYNC_CREATE);
    const notified: string[] = [];
    item.connect('notify', (_item, spec) => notified.push(spec.get_name()));
    item.assign({ ...connection, name: 'Office', isDefault: true });
    expect(target.text).toBe('Office');
    expect(notified.sort()).toEqual(['is-default', 'name']);
  });
});

class ConnectionTarget extends GObject.Object {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockSpecConnectionTarget',
        Properties: {
          text: GObject.ParamSpec.string('text', null, null, GObject.ParamFlags.READWRITE, ''),
        },
      },
      this,
    );
  }

  declare text: string;
}
