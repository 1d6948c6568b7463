import Gio from 'gi://Gio';

import {
  ACTIVATION_GAP_MS,
  ModelLibrary,
  REFRESH_INTERVAL_MS,
} from '../../../src/library/model-library.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, until, untilStatus } from '../pulls/pull-harness.js';

/** A port nothing listens on: connecting is refused at once. */
const REFUSED_URL = 'http://127.0.0.1:9';

describe('ModelLibrary', () => {
  const simulatorA = useSimulator();
  const simulatorB = useSimulator();
  let simA: Simulator;
  let simB: Simulator;
  let harness: PullHarness;
  let library: ModelLibrary;
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
    await simA.control('DELETE', 'requests');
    await simB.reset();
    await simB.setInstalled([{ name: 'llama3.2:3b', size: 2_000_000_000 }]);
    idA = harness.connectionId;
    idB = (await harness.connections.add({ name: 'Lab', url: simB.url })).id;
    library = new ModelLibrary({
      connections: harness.connections,
      clients: harness.pool,
      clock: harness.clock,
    });
    changes = [];
    library.connect('server-changed', (_library: unknown, id: string) => changes.push(id));
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  async function tagRequests(sim: Simulator): Promise<number> {
    return (await sim.requests()).filter((request) => request.path === '/api/tags').length;
  }

  function names(id: string): string[] {
    return library.state(id)!.models.map((model) => model.name);
  }

  it('lists every server once, however many views ask for it', async () => {
    expect(library.state(idA)).toEqual(
      jasmine.objectContaining({ models: [], error: null, loading: false, refreshedAt: null }),
    );
    // The window and the Preferences page both open.
    await Promise.all([library.load(), library.load()]);
    await library.load();
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(names(idB)).toEqual(['llama3.2:3b']);
    expect(library.state(idA)).toEqual(
      jasmine.objectContaining({
        error: null,
        loading: false,
        refreshedAt: harness.clock.wallNow(),
      }),
    );
    expect(library.servers().map((state) => state.connectionId)).toEqual([idA, idB]);
    expect(await tagRequests(simA)).toBe(1);
    expect(await tagRequests(simB)).toBe(1);
  });

  it('lists a server a view needs once only when it is not listed yet or failed', async () => {
    await simB.setFaults([{ on: 'tags', kind: 'http-500' }]);
    // The window's start: the library loads, the window's check needs the default server.
    await Promise.all([library.load(), library.ensureListed(idA)]);
    await library.ensureListed(idA);
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(await tagRequests(simA)).toBe(1);
    expect(library.state(idB)!.error).not.toBeNull();
    // Failed: asked again.
    await library.ensureListed(idB);
    expect(library.state(idB)!.error).toBeNull();
    expect(names(idB)).toEqual(['llama3.2:3b']);
  });

  it('joins a refresh asked for while one runs', async () => {
    await simA.setFaults([{ on: 'tags', kind: 'delay', ms: 300 }]);
    const first = library.refresh(idA);
    expect(library.state(idA)!.loading).toBeTrue();
    await Promise.all([first, library.refresh(idA), library.refresh()]);
    expect(await tagRequests(simA)).toBe(1);
    expect(library.state(idA)!.loading).toBeFalse();
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
  });

  it('keeps why one server failed to itself while the others list', async () => {
    await simB.setFaults([{ on: 'tags', kind: 'http-500', message: 'disk on fire' }]);
    const gone = await harness.connections.add({ name: 'Gone', url: REFUSED_URL });
    await library.load();
    expect(names(idA)).toEqual(['qwen3:8b', 'gemma3:4b']);
    expect(library.state(idB)!.error).toMatch(/failed: disk on fire/);
    expect(library.state(idB)!.refreshedAt).toBeNull();
    expect(library.state(gone.id)!.error).toMatch(/refused/);

    // Retry: the server answers again, the error goes.
    await library.refresh(idB);
    expect(library.state(idB)!.error).toBeNull();
    expect(names(idB)).toEqual(['llama3.2:3b']);
  });

  it('keeps a server’s list through a failed refresh, and the same array when nothing changed', async () => {
    await library.load();
    const models = library.state(idA)!.models;
    await library.refresh(idA);
    expect(library.state(idA)!.models).toBe(models);
    await simA.setFaults([{ on: 'tags', kind: 'http-500' }]);
    await library.refresh(idA);
    expect(library.state(idA)!.error).not.toBeNull();
    expect(library.state(idA)!.models).toBe(models);
  });

  it('says when a server’s state changes', async () => {
    await library.refresh(idB);
    // Loading, then loaded; the other server is not touched.
    expect(changes).toEqual([idB, idB]);
  });

  it('lists a server again when a pull on it completes', async () => {
    const manager = harness.manager();
    await manager.load();
    library.followPulls(manager);
    await library.load();
    const job = manager.start(idA, 'tiny:1b');
    await untilStatus(job, 'complete');
    await until(() => names(idA).includes('tiny:1b'), 'the library lists the pulled model');
    expect(library.state(idB)!.models.length).toBe(1);
    expect(await tagRequests(simB)).toBe(1);
  });

  it('asks again when the models changed during a refresh, which may have missed it', async () => {
    await library.load();
    await simA.setFaults([{ on: 'tags', kind: 'delay', ms: 300 }]);
    const running = library.refresh(idA);
    await simA.setInstalled([{ name: 'qwen3:8b', size: 5_200_000_000 }]);
    await library.modelsChanged(idA);
    await running;
    expect(names(idA)).toEqual(['qwen3:8b']);
    expect(await tagRequests(simA)).toBe(3);
  });

  it('fetches nothing for a change on a server nobody asked for', async () => {
    await library.modelsChanged(idA);
    library.windowActivated();
    const stop = library.keepFresh();
    harness.clock.advance(REFRESH_INTERVAL_MS);
    stop();
    expect(library.state(idA)!.loading).toBeFalse();
    expect(await tagRequests(simA)).toBe(0);
  });

  it('lists the servers asked for every minute while kept fresh', async () => {
    await library.refresh(idA);
    const stopWindow = library.keepFresh();
    const stopPage = library.keepFresh();
    expect(harness.clock.pendingDelays()).toEqual([REFRESH_INTERVAL_MS]);
    await simA.setInstalled([{ name: 'new:1b', size: 1000 }]);

    harness.clock.advance(REFRESH_INTERVAL_MS - 1);
    expect(library.state(idA)!.loading).toBeFalse();
    harness.clock.advance(1);
    expect(library.state(idA)!.loading).toBeTrue();
    expect(library.state(idB)!.loading).toBeFalse();
    await library.refresh(idA);
    expect(names(idA)).toEqual(['new:1b']);

    stopWindow();
    stopWindow();
    expect(harness.clock.pendingDelays()).toEqual([REFRESH_INTERVAL_MS]);
    stopPage();
    expect(harness.clock.pendingDelays()).toEqual([]);
    expect(await tagRequests(simA)).toBe(2);
  });

  it('lists the servers once when the window is activated twice in a second', async () => {
    await library.load();
    harness.clock.advance(ACTIVATION_GAP_MS);
    library.windowActivated();
    await library.load();
    harness.clock.advance(1000);
    library.windowActivated();
    await library.load();
    expect(await tagRequests(simA)).toBe(2);
    expect(await tagRequests(simB)).toBe(2);

    harness.clock.advance(ACTIVATION_GAP_MS);
    library.windowActivated();
    await library.load();
    expect(await tagRequests(simA)).toBe(3);
  });

  it('does not list again at an activation lists that just came in', async () => {
    await library.load();
    // A new window: its first activation follows the start's load.
    library.windowActivated();
    await library.load();
    expect(await tagRequests(simA)).toBe(1);
    expect(await tagRequests(simB)).toBe(1);

    harness.clock.advance(ACTIVATION_GAP_MS - 1);
    await library.refresh(idB);
    harness.clock.advance(1);
    library.windowActivated();
    await library.load();
    // B's list came in 1 ms ago; A's ACTIVATION_GAP_MS ago.
    expect(await tagRequests(simA)).toBe(2);
    expect(await tagRequests(simB)).toBe(2);
  });

  it('follows the connections: one added is listed, one removed is forgotten', async () => {
    await library.load();
    let serversChanged = 0;
    library.connect('servers-changed', () => serversChanged++);
    await harness.connections.remove(idB);
    expect(library.state(idB)).toBeNull();
    expect(library.servers().map((state) => state.connectionId)).toEqual([idA]);
    expect(changes).toContain(idB);

    const again = await harness.connections.add({ name: 'Lab again', url: simB.url });
    expect(library.state(again.id)!.loading).toBeTrue();
    await library.load();
    expect(names(again.id)).toEqual(['llama3.2:3b']);
    expect(serversChanged).toBe(2);
  });

  it('forgets what a connection had when its address changes, and lists the new server', async () => {
    await library.load();
    await harness.connections.update(idB, { url: simA.url });
    expect(library.state(idB)!.models).toEqual([]);
    await library.load();
    expect(names(idB)).toEqual(['qwen3:8b', 'gemma3:4b']);
  });

  it('lists a failed server again when its connection changes (a key fixed)', async () => {
    await simB.setFaults([{ on: 'tags', kind: 'http-status', status: 401 }]);
    await library.load();
    expect(library.state(idB)!.error).not.toBeNull();
    await harness.connections.update(idB, { apiKey: 'sk-fixed' });
    expect(library.state(idB)!.loading).toBeTrue();
    await library.refresh(idB);
    expect(library.state(idB)!.error).toBeNull();
    expect(await tagRequests(simB)).toBe(2);
    // A server that listed fine is not asked again for it.
    expect(await tagRequests(simA)).toBe(1);
  });

  it('stops a refresh when its caller cancels, leaving the state as it was', async () => {
    await library.load();
    const models = library.state(idA)!.models;
    await simA.setFaults([{ on: 'tags', kind: 'stall' }]);
    const cancellable = new Gio.Cancellable();
    const running = library.refresh(idA, cancellable);
    cancellable.cancel();
    await running;
    expect(library.state(idA)).toEqual(
      jasmine.objectContaining({ models, error: null, loading: false }),
    );
  });

  it('totals the models and their disk space per server', async () => {
    expect(library.totals(idA)).toEqual({ count: 0, bytes: 0 });
    await library.load();
    expect(library.totals(idA)).toEqual({ count: 2, bytes: 8_500_000_000 });
    expect(library.totals(idB)).toEqual({ count: 1, bytes: 2_000_000_000 });
    expect(library.totals('no such id')).toEqual({ count: 0, bytes: 0 });
  });
});
