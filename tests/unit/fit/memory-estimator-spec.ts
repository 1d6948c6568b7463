import Gio from 'gi://Gio';

import { MemoryEstimator } from '../../../src/fit/memory-estimator.js';
import { RegistryClient } from '../../../src/ollama/registry-client.js';
import { ModelName } from '../../../src/ollama/model-name.js';
import { listNames, makeTempDir, readText, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { REGISTRY_MODELS, weightsLayer } from './registry-models.js';

describe('MemoryEstimator', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let dataDir: Gio.File;
  let clock: ManualClock;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels(REGISTRY_MODELS);
    dataDir = makeTempDir();
    clock = new ManualClock();
  });

  afterEach(() => removeTree(dataDir));

  function estimator(registry = sim.url): MemoryEstimator {
    const client = new RegistryClient({ registryOverride: registry });
    return new MemoryEstimator({
      blobUrl: (name, digest) => client.blobUrl(name, digest),
      dataDir,
      clock,
    });
  }

  async function blobRequests(): Promise<number> {
    const state = await sim.state();
    return state.blobRedirects + state.blobReads;
  }

  it('estimates from the header it reads from the registry', async () => {
    const weights = await weightsLayer(sim, 'qwen3', '8b');
    const need = await estimator().estimate(ModelName.parse('qwen3:8b'), weights, 4096);
    expect(need.rough).toBeFalse();
    // The same figures as the formula's spec for qwen3:8b.
    expect(need.total).toBe(6_873_132_735);
    expect(await blobRequests()).toBe(2);
  });

  it('keeps the header by digest: the next estimate, at any context, sends no request', async () => {
    const name = ModelName.parse('gemma3:4b');
    const weights = await weightsLayer(sim, 'gemma3', '4b');
    const first = await estimator().estimate(name, weights, 4096);
    expect(await blobRequests()).toBe(2);
    expect(listNames(dataDir)).toContain('gguf-headers.json');

    // A new process: the file answers.
    const later = estimator();
    expect(await later.estimate(name, weights, 4096)).toEqual(first);
    const longer = await later.estimate(name, weights, 32768);
    expect(longer.kvCache).toBeGreaterThan(first.kvCache);
    expect(await blobRequests()).toBe(2);
    expect(later.lastRead).toBeNull();
  });

  it('reads one header once when two estimates ask at the same time', async () => {
    const name = ModelName.parse('llama3.2:3b');
    const weights = await weightsLayer(sim, 'llama3.2', '3b');
    const shared = estimator();
    const [a, b] = await Promise.all([
      shared.estimate(name, weights, 4096),
      shared.estimate(name, weights, 8192),
    ]);
    expect(a.contextLength).toBe(4096);
    expect(b.contextLength).toBe(8192);
    expect(await blobRequests()).toBe(2);
  });

  it('gives a rough estimate for a header it cannot parse, and remembers that', async () => {
    const weights = await weightsLayer(sim, 'tiny', '1b');
    const need = await estimator().estimate(ModelName.parse('tiny:1b'), weights, 4096);
    expect(need.rough).toBeTrue();
    expect(need.weights).toBe(200);
    expect(await blobRequests()).toBe(2);
    expect(readText(dataDir.get_child('gguf-headers.json'))).toContain('unreadable');
    await estimator().estimate(ModelName.parse('tiny:1b'), weights, 4096);
    expect(await blobRequests()).toBe(2);
  });

  it('gives a rough estimate when the registry is out of reach, and asks again next time', async () => {
    const weights = await weightsLayer(sim, 'qwen3', '8b');
    const name = ModelName.parse('qwen3:8b');
    const offline = await estimator('http://127.0.0.1:9').estimate(name, weights, 4096);
    expect(offline.rough).toBeTrue();
    const online = await estimator().estimate(name, weights, 4096);
    expect(online.rough).toBeFalse();
  });

  it('sets a damaged cache file aside and reads the header again', async () => {
    writeBytes(dataDir.get_child('gguf-headers.json'), '{"headers": ');
    const weights = await weightsLayer(sim, 'qwen3', '8b');
    const fresh = estimator();
    const need = await fresh.estimate(ModelName.parse('qwen3:8b'), weights, 4096);
    expect(need.rough).toBeFalse();
    expect(fresh.cacheProblem).toContain('gguf-headers.json');
    expect(
      listNames(dataDir).some((name) => name.startsWith('gguf-headers.json.corrupt-')),
    ).toBeTrue();
  });

  it('leaves out cache entries that do not check out', async () => {
    const weights = await weightsLayer(sim, 'qwen3', '8b');
    const bad = { architecture: 'qwen3', blockCount: 1e9, contextLength: 1, embeddingLength: 1 };
    writeBytes(
      dataDir.get_child('gguf-headers.json'),
      JSON.stringify({
        version: 1,
        headers: { [weights.digest]: { header: { facts: bad }, usedAt: 0 } },
      }),
    );
    const need = await estimator().estimate(ModelName.parse('qwen3:8b'), weights, 4096);
    expect(need.total).toBe(6_873_132_735);
    expect(await blobRequests()).toBe(2);
  });
});
