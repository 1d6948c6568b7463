import { runCommand } from '../../../src/cli/command-line.js';
import { ConnectionStore } from '../../../src/config/connection-store.js';
import { MemorySecretStore } from '../../../src/config/memory-secret-store.js';
import { LibrarySnapshot, type SavedList } from '../../../src/library/library-snapshot.js';
import {
  ModelLibrary,
  SNAPSHOT_INTERVAL_MS,
  type SnapshotStore,
} from '../../../src/library/model-library.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { readText } from '../config/temp-dir.js';
import { commandServices } from '../helpers/command-services.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY } from '../pulls/pull-harness.js';

const SAVED_AT = Date.UTC(2025, 11, 24);

function cached(name: string): InstalledModel {
  return {
    name,
    model: name,
    modified_at: '2025-12-01T10:00:00Z',
    size: 1000,
    digest: 'b'.repeat(64),
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: null,
      parameter_size: '1B',
      quantization_level: 'Q4_0',
    },
  };
}

describe('ModelLibrary with the snapshot of the last lists', () => {
  const simulatorA = useSimulator();
  const simulatorB = useSimulator();
  let simA: Simulator;
  let simB: Simulator;
  let harness: PullHarness;
  let library: ModelLibrary;
  let snapshot: LibrarySnapshot;
  let idA: string;
  let idB: string;
  let changes: string[];

  beforeEach(async () => {
    simA = simulatorA();
    simB = simulatorB();
    harness = await PullHarness.against(simA, [TINY]);
    await simA.setInstalled([
      { name: 'qwen3:8b', size: 5_200_000_000 },
      { name: 'gemma3:4b', size: 3_300_000_000 },
    ]);
    await simB.reset();
    await simB.setInstalled([{ name: 'llama3.2:3b', size: 2_000_000_000 }]);
    idA = harness.connectionId;
    idB = (await harness.connections.add({ name: 'Lab', url: simB.url })).id;
    library = newLibrary();
    snapshot = new LibrarySnapshot(harness.dataDir, { clock: harness.clock });
    changes = [];
    library.connect('server-changed', (_library: unknown, id: string) => changes.push(id));
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  function newLibrary(): ModelLibrary {
    return new ModelLibrary({
      connections: harness.connections,
      clients: harness.pool,
      clock: harness.clock,
    });
  }

  function names(id: string, from = library): string[] {
    return from.state(id)!.models.map((model) => model.name);
  }

  /** What the last start saved: old:1b on A, cached:7b on B, at their addresses. */
  async function saveEarlierLists(urlA = simA.url): Promise<void> {
    await snapshot.write(
      new Map<string, SavedList>([
        [idA, { url: urlA, savedAt: SAVED_AT, models: [cached('old:1b')] }],
        [idB, { url: simB.url, savedAt: SAVED_AT, models: [cached('cached:7b')] }],
      ]),
    );
  }

  it('shows the saved lists until the servers answer, then theirs', async () => {
    await saveEarlierLists();
    await library.restore(snapshot);
    expect(names(idA)).toEqual(['old:1b']);
    expect(names(idB)).toEqual(['cached:7b']);
    expect(library.state(idA)).toEqual(
      jasmine.objectContaining({ restoredAt: SAVED_AT, refreshedAt: null, error: null }),
    );
    expect(changes).toEqual([idA, idB]);

    await library.load();
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(names(idB)).toEqual(['llama3.2:3b']);
    expect(library.state(idA)).toEqual(
      jasmine.objectContaining({ restoredAt: null, refreshedAt: harness.clock.wallNow() }),
    );
  });

  it('shows lists read before the connections were loaded as soon as they are', async () => {
    await saveEarlierLists();
    // The app's start: the snapshot is read while connections.json is.
    const connections = new ConnectionStore({
      configDir: harness.root.get_child('config'),
      secrets: new MemorySecretStore(),
      environment: () => null,
    });
    const early = new ModelLibrary({ connections, clients: harness.pool, clock: harness.clock });
    await early.restore(snapshot);
    expect(early.servers()).toEqual([]);
    await connections.load();
    expect(names(idA, early)).toEqual(['old:1b']);
    expect(names(idB, early)).toEqual(['cached:7b']);
    expect(early.state(idA)!.restoredAt).toBe(SAVED_AT);
  });

  it('ignores a list saved for another address of the connection', async () => {
    await saveEarlierLists('http://127.0.0.1:9');
    await library.restore(snapshot);
    expect(names(idA)).toEqual([]);
    expect(library.state(idA)!.restoredAt).toBeNull();
    expect(changes).toEqual([idB]);
  });

  it('keeps the saved list, saying why, when the server cannot list its models', async () => {
    await saveEarlierLists();
    await simB.setFaults([{ on: 'tags', kind: 'http-500', message: 'disk on fire' }]);
    await library.restore(snapshot);
    await library.load();
    expect(names(idB)).toEqual(['cached:7b']);
    expect(library.state(idB)).toEqual(
      jasmine.objectContaining({ restoredAt: SAVED_AT, refreshedAt: null, loading: false }),
    );
    expect(library.state(idB)!.error).toMatch(/failed: disk on fire/);
  });

  it('keeps the restored array when the server lists the same models', async () => {
    const live = await (await harness.pool.clientFor(idA)).tags();
    await snapshot.write(new Map([[idA, { url: simA.url, savedAt: SAVED_AT, models: live }]]));
    await library.restore(snapshot);
    const restored = library.state(idA)!.models;
    await library.refresh(idA);
    expect(library.state(idA)!.models).toBe(restored);
    expect(library.state(idA)!.restoredAt).toBeNull();
    // Nothing new to save.
    expect(harness.clock.pendingDelays()).toEqual([]);
  });

  it('restores no list over one a server gave already', async () => {
    await saveEarlierLists();
    await library.load();
    await library.restore(snapshot);
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(library.state(idA)!.restoredAt).toBeNull();
  });

  it('saves lists that changed at most every few seconds, and the last change too', async () => {
    const writes: Map<string, string[]>[] = [];
    const store: SnapshotStore = {
      read: () => Promise.resolve(new Map()),
      write: (lists) => {
        writes.push(
          new Map([...lists].map(([id, list]) => [id, list.models.map((model) => model.name)])),
        );
        return Promise.resolve();
      },
    };
    await library.restore(store);
    await library.refresh(idA);
    await library.refresh(idB);
    expect(harness.clock.pendingDelays()).toEqual([SNAPSHOT_INTERVAL_MS]);
    harness.clock.advance(SNAPSHOT_INTERVAL_MS - 1);
    expect(writes.length).toBe(0);
    harness.clock.advance(1);
    expect(writes).toEqual([
      new Map([
        [idA, ['qwen3:8b', 'gemma3:4b']],
        [idB, ['llama3.2:3b']],
      ]),
    ]);

    // Nothing changed: nothing to write.
    await library.refresh();
    expect(harness.clock.pendingDelays()).toEqual([]);

    // A change just before quitting is written then, not lost.
    await simA.setInstalled([{ name: 'new:1b', size: 1000 }]);
    await library.refresh(idA);
    expect(harness.clock.pendingDelays()).toEqual([SNAPSHOT_INTERVAL_MS]);
    await library.saveNow();
    expect(harness.clock.pendingDelays()).toEqual([]);
    expect(writes.length).toBe(2);
    expect(writes[1].get(idA)).toEqual(['new:1b']);
    await library.saveNow();
    expect(writes.length).toBe(2);
  });

  it('leaves the lists for the next start in the data folder', async () => {
    await library.restore(snapshot);
    await library.load();
    const listedAt = harness.clock.wallNow();
    harness.clock.advance(SNAPSHOT_INTERVAL_MS);
    await library.saveNow();

    const next = newLibrary();
    await next.restore(new LibrarySnapshot(harness.dataDir));
    expect(names(idA, next)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(names(idB, next)).toEqual(['llama3.2:3b']);
    expect(next.state(idA)!.models).toEqual(library.state(idA)!.models);
    expect(next.state(idA)!.restoredAt).toBe(listedAt);
  });

  it('forgets a removed connection’s list on disk too', async () => {
    await saveEarlierLists();
    await library.restore(snapshot);
    await harness.connections.remove(idB);
    expect(harness.clock.pendingDelays()).toEqual([SNAPSHOT_INTERVAL_MS]);
    harness.clock.advance(SNAPSHOT_INTERVAL_MS);
    await library.saveNow();
    const saved = await new LibrarySnapshot(harness.dataDir).read();
    expect([...saved.keys()]).toEqual([idA]);
    expect(saved.get(idA)!.models.map((model) => model.name)).toEqual(['old:1b']);
  });

  it('is neither read nor written for a command: it lists what the server says now', async () => {
    await saveEarlierLists();
    const saved = readText(harness.dataDir.get_child('library.json'));
    const out: string[] = [];
    const err: string[] = [];
    const output = {
      print: (text: string) => out.push(text),
      printError: (text: string) => err.push(text),
    };
    // The command line's library, made as the services make it: never restored.
    const services = commandServices(harness);
    expect(await runCommand(['list'], output, services)).toBe(0);
    expect(out.join('\n')).not.toContain('old:1b');
    expect(services.library().state(idA)!.restoredAt).toBeNull();
    harness.clock.advance(SNAPSHOT_INTERVAL_MS);
    await services.library().saveNow();
    expect(readText(harness.dataDir.get_child('library.json'))).toBe(saved);

    // Sent to the window, whose library shows the saved lists: the server's answer or its error.
    await library.restore(snapshot);
    await simA.setFaults([{ on: 'tags', kind: 'http-500', message: 'boom' }]);
    out.length = 0;
    expect(
      await runCommand(['list'], output, commandServices(harness, { library: () => library })),
    ).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/failed: boom/);
    expect(names(idA)).toEqual(['old:1b']);
  });
});
