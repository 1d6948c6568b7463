import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import type { Connection } from '../../../src/config/connection.js';
import { DiskSpace, type FreeSpace } from '../../../src/fit/disk-space.js';
import { adviceLine, FitAdvisor } from '../../../src/fit/fit-advisor.js';
import { HostMemoryProbe } from '../../../src/fit/host-memory-probe.js';
import { MemoryEstimator } from '../../../src/fit/memory-estimator.js';
import { MemoryEvidence } from '../../../src/fit/memory-evidence.js';
import { ServerMemoryLookup } from '../../../src/fit/server-memory-lookup.js';
import { OllamaClient } from '../../../src/ollama/client.js';
import { CancelledError } from '../../../src/ollama/errors.js';
import { ModelName } from '../../../src/ollama/model-name.js';
import { RegistryClient } from '../../../src/ollama/registry-client.js';
import { makeTempDir, removeTree, writeBytes } from '../config/temp-dir.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { REGISTRY_MODELS } from './registry-models.js';

const GB = 1e9;
const TEMPLATE = 'application/vnd.ollama.image.template';
const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';
const SHARED_TEMPLATE = `sha256:${'7'.repeat(64)}`;
const HUB_FILE = 'unsloth/Qwen3-30B-A3B-GGUF/resolve/main/Qwen3-30B-A3B-Q4_K_M.gguf';
const HUB_FILE_SIZE = 18_556_685_696;

/** formatBytes puts a no-break space before the unit. */
function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** A closed loopback port: nothing answers there. */
function closedPort(): string {
  const listener = new Gio.SocketListener();
  const port = listener.add_any_inet_port(null);
  listener.close();
  return `http://127.0.0.1:${port}`;
}

describe('FitAdvisor', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let root: Gio.File;
  let client: OllamaClient;
  let free: FreeSpace | null;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels([
      ...REGISTRY_MODELS,
      {
        name: 'fam:1b',
        layers: [
          { size: 1_000_000 },
          { size: 1_000, mediaType: TEMPLATE, digest: SHARED_TEMPLATE },
        ],
      },
      {
        name: 'fam:8b',
        layers: [
          { size: 5_000_000 },
          { size: 1_000, mediaType: TEMPLATE, digest: SHARED_TEMPLATE },
          { size: 500, mediaType: CONFIG_BLOB },
        ],
      },
    ]);
    await sim.setInstalled([]);
    root = makeTempDir();
    // This computer as the specs see it: no /proc/meminfo, no GPU, no model folder.
    GLib.mkdir_with_parents(root.get_child('proc').get_path()!, 0o755);
    GLib.mkdir_with_parents(root.get_child('sys').get_path()!, 0o755);
    client = new OllamaClient({ baseUrl: sim.url });
    free = null;
  });

  afterEach(() => {
    client.close();
    removeTree(root);
  });

  function advisor(registryUrl = sim.url): FitAdvisor {
    const registry = new RegistryClient({ registryOverride: registryUrl });
    return new FitAdvisor({
      registry,
      estimator: new MemoryEstimator({
        blobUrl: (name, digest) => registry.blobUrl(name, digest),
        dataDir: root,
      }),
      serverMemory: new ServerMemoryLookup(
        new HostMemoryProbe({
          procDir: root.get_child('proc'),
          sysDir: root.get_child('sys'),
          nvidiaSmi: null,
        }),
        new MemoryEvidence(null),
      ),
      diskSpace: { freeSpaceFor: () => Promise.resolve(free) },
      clientFor: () => Promise.resolve(client),
    });
  }

  function connection(extra: Partial<Connection> = {}): Connection {
    return { id: 'sim', name: 'Simulator', url: sim.url, isDefault: true, ...extra };
  }

  const entered = { kind: 'entered' } as const;

  it('says a model fits in GPU memory the user entered, with every figure it used', async () => {
    const advice = await advisor().advise(
      connection({ gpuBytes: 24 * GB, ramBytes: 64 * GB }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.fit.verdict).toBe('fits-gpu');
    expect(advice.fit.has).toEqual({ bytes: 24 * GB, source: entered });
    // Ollama 0.12.3 (the simulator's version) gives 4096 tokens by default.
    expect(advice.contextLength).toBe(4096);
    expect(advice.need?.rough).toBeFalse();
    // The same figure as the estimator's spec for qwen3:8b at 4096.
    expect(advice.need?.total).toBe(6_873_132_735);
    expect(advice.download).toEqual({
      total: 5_225_374_048,
      present: 0,
      download: 5_225_374_048,
      approximate: false,
    });
    expect(advice.disk.verdict).toBe('unknown');
    expect(plain(adviceLine(advice))).toBe(
      'Downloads 5.2 GB · needs ~6.9 GB · Fits in GPU memory: has 24.0 GB (entered by you)',
    );
  });

  it('says a model runs partly on the CPU when it needs more than the GPU has', async () => {
    const advice = await advisor().advise(
      connection({ gpuBytes: 4 * GB, ramBytes: 32 * GB }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.fit.verdict).toBe('partly-cpu');
    expect(plain(adviceLine(advice))).toContain('Runs partly on the CPU (slower): has 36.0 GB');
  });

  it('says a model is too large for GPU and system memory together', async () => {
    const advice = await advisor().advise(
      connection({ gpuBytes: 8 * GB, ramBytes: 8 * GB }),
      ModelName.parse('qwen3:30b'),
      null,
    );
    expect(advice.fit.verdict).toBe('too-large');
    expect(plain(adviceLine(advice))).toMatch(
      /· Too large for this server \(needs ~\d+\.\d GB, has 16\.0 GB\)$/,
    );
  });

  it('gives the need but no verdict when the memory is not known', async () => {
    const advice = await advisor().advise(connection(), ModelName.parse('qwen3:8b'), null);
    expect(advice.memory).toEqual({ ram: null, gpu: null });
    expect(advice.fit.verdict).toBe('unknown');
    expect(advice.need?.total).toBe(6_873_132_735);
    expect(plain(adviceLine(advice))).toBe(
      'Downloads 5.2 GB · needs ~6.9 GB · Memory of the server unknown',
    );
  });

  it('measures the memory of a server on this computer', async () => {
    writeBytes(root.resolve_relative_path('proc/meminfo'), 'MemTotal: 16000000 kB\n');
    const advice = await advisor().advise(connection(), ModelName.parse('qwen3:30b'), null);
    expect(advice.memory.ram).toEqual({ bytes: 16_384_000_000, source: { kind: 'measured' } });
    expect(advice.fit.verdict).toBe('too-large');
  });

  it('uses the connection’s own context length instead of the server’s default', async () => {
    const advice = await advisor().advise(
      connection({ contextLength: 32768 }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.contextLength).toBe(32768);
    expect(advice.need?.contextLength).toBe(32768);
    expect(advice.need!.total).toBeGreaterThan(6_873_132_735);
  });

  it('falls back to the catalog size, approximate and rough, when the registry is offline', async () => {
    const advice = await advisor(closedPort()).advise(
      connection({ gpuBytes: 24 * GB }),
      ModelName.parse('qwen3:8b'),
      5_200_000_000,
    );
    expect(advice.download).toEqual({
      total: 5_200_000_000,
      present: 0,
      download: 5_200_000_000,
      approximate: true,
    });
    expect(advice.need?.rough).toBeTrue();
    expect(advice.fit.verdict).toBe('fits-gpu');
    expect(plain(adviceLine(advice))).toMatch(
      /^Downloads about 5\.2 GB · needs ~\d+\.\d GB \(rough estimate\) · Fits in GPU memory/,
    );
  });

  it('knows nothing of the size when neither the registry nor the catalog does', async () => {
    const advice = await advisor(closedPort()).advise(
      connection({ gpuBytes: 24 * GB }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.need).toBeNull();
    expect(advice.download).toBeNull();
    expect(advice.fit.verdict).toBe('unknown');
    expect(advice.disk.verdict).toBe('unknown');
  });

  it('leaves out the layers the server already has', async () => {
    await sim.setInstalled([{ name: 'fam:1b' }]);
    const advice = await advisor().advise(connection(), ModelName.parse('fam:8b'), null);
    expect(advice.download).toEqual({
      total: 5_001_500,
      present: 1_000,
      download: 5_000_500,
      approximate: false,
    });
    expect(plain(adviceLine(advice))).toMatch(
      /^Downloads 5\.0 MB \(1\.0 kB already on this server\)/,
    );
  });

  it('reads the manifest once for the download size and the weights', async () => {
    await advisor().advise(connection(), ModelName.parse('qwen3:8b'), null);
    const manifests = (await sim.requests()).filter((request) =>
      request.path.includes('/manifests/'),
    );
    expect(manifests.length).toBe(1);
  });

  it('says when the download does not fit on the disk of a server on this computer', async () => {
    free = { folder: root, freeBytes: 3 * GB };
    const advice = await advisor().advise(
      connection({ gpuBytes: 24 * GB }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.disk.verdict).toBe('no-room');
    expect(advice.freeSpace).toBe(free);
    expect(plain(adviceLine(advice))).toMatch(
      / · Not enough disk space: the download is 5\.2 GB, the disk of the models has 3\.0 GB free$/,
    );
    free = { folder: root, freeBytes: 100 * GB };
    expect((await advisor().advise(connection(), ModelName.parse('qwen3:8b'), null)).disk).toEqual({
      verdict: 'room',
      text: null,
    });
  });

  it('reads the free space of the model folders it is given for a server on this computer', async () => {
    const folder = root.get_child('models');
    GLib.mkdir_with_parents(folder.get_path()!, 0o755);
    const registry = new RegistryClient({ registryOverride: sim.url });
    const withDisk = new FitAdvisor({
      registry,
      estimator: new MemoryEstimator({ blobUrl: (name, digest) => registry.blobUrl(name, digest) }),
      serverMemory: new ServerMemoryLookup(
        new HostMemoryProbe({ procDir: root, sysDir: root, nvidiaSmi: null }),
        new MemoryEvidence(null),
      ),
      diskSpace: new DiskSpace({ environment: () => null, folders: [folder] }),
      clientFor: () => Promise.resolve(client),
    });
    const advice = await withDisk.advise(connection(), ModelName.parse('fam:1b'), null);
    expect(advice.freeSpace?.folder.get_path()).toBe(folder.get_path()!);
    // 1 MB fits whatever the machine's disk holds, unless it is full.
    expect(advice.disk.verdict).toBe('room');
  });

  it('advises on a GGUF file by its address, reading its header by range', async () => {
    const advice = await advisor().adviseFile(
      connection({ gpuBytes: 24 * GB, ramBytes: 64 * GB }),
      `${sim.url}/hf/${HUB_FILE}`,
      HUB_FILE_SIZE,
    );
    expect(advice.need?.rough).toBeFalse();
    expect(advice.need?.weights).toBe(HUB_FILE_SIZE);
    expect(advice.fit.verdict).toBe('fits-gpu');
    expect(advice.download).toEqual({
      total: HUB_FILE_SIZE,
      present: 0,
      download: HUB_FILE_SIZE,
      approximate: false,
    });
    const store = (await sim.requests()).filter((request) => request.path.includes('/__cdn/'));
    expect(store.length).toBeGreaterThan(0);
    // The header, not the file.
    expect((await sim.state()).blobBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('gives a rough need for a file whose header cannot be read', async () => {
    const advice = await advisor().adviseFile(
      connection(),
      `${closedPort()}/hf/${HUB_FILE}`,
      HUB_FILE_SIZE,
    );
    expect(advice.need?.rough).toBeTrue();
    expect(advice.fit.verdict).toBe('unknown');
  });

  it('still advises when the connection’s client cannot be had', async () => {
    const registry = new RegistryClient({ registryOverride: sim.url });
    const keyless = new FitAdvisor({
      registry,
      estimator: new MemoryEstimator({ blobUrl: (name, digest) => registry.blobUrl(name, digest) }),
      serverMemory: new ServerMemoryLookup(
        new HostMemoryProbe({ procDir: root, sysDir: root, nvidiaSmi: null }),
        new MemoryEvidence(null),
      ),
      diskSpace: { freeSpaceFor: () => Promise.resolve(null) },
      clientFor: () => Promise.reject(new Error('That connection was removed.')),
    });
    const advice = await keyless.advise(
      connection({ gpuBytes: 24 * GB }),
      ModelName.parse('qwen3:8b'),
      null,
    );
    expect(advice.fit.verdict).toBe('fits-gpu');
    expect(advice.download?.present).toBe(0);
  });

  it('rejects with CancelledError when cancelled', async () => {
    const cancellable = new Gio.Cancellable();
    const advising = advisor().advise(connection(), ModelName.parse('qwen3:8b'), null, cancellable);
    cancellable.cancel();
    await expectAsync(advising).toBeRejectedWithError(CancelledError);
  });
});
