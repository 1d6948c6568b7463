import {
  downloadSizeText,
  measureDownload,
  type DownloadSize,
} from '../../../src/fit/download-size.js';
import { OllamaClient } from '../../../src/ollama/client.js';
import { HttpError } from '../../../src/ollama/errors.js';
import { ModelName } from '../../../src/ollama/model-name.js';
import { RegistryClient } from '../../../src/ollama/registry-client.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';

const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';
const TEMPLATE = 'application/vnd.ollama.image.template';
const SHARED_TEMPLATE = `sha256:${'7'.repeat(64)}`;
const SHARED_LICENSE = `sha256:${'8'.repeat(64)}`;

/** Two sizes of one family: own weights and config, the same template and licence. */
function tag(name: string, weights: number) {
  return {
    name,
    layers: [
      { size: weights },
      { size: 1_000, mediaType: TEMPLATE, digest: SHARED_TEMPLATE },
      { size: 2_000, mediaType: 'application/vnd.ollama.image.license', digest: SHARED_LICENSE },
      { size: 500, mediaType: CONFIG_BLOB },
    ],
  };
}

/** formatBytes puts a no-break space before the unit. */
function text(size: DownloadSize): string {
  return downloadSizeText(size).replace(/\u00a0/g, ' ');
}

describe('measureDownload', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let client: OllamaClient;
  let registry: RegistryClient;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels([tag('fam:1b', 1_000_000), tag('fam:8b', 5_000_000)]);
    client = new OllamaClient({ baseUrl: sim.url });
    registry = new RegistryClient({ registryOverride: sim.url });
  });

  afterEach(() => client.close());

  it('counts every blob of the manifest, the config included, for an empty server', async () => {
    await sim.setInstalled([]);
    const size = await measureDownload(ModelName.parse('fam:8b'), registry, client, 99);
    expect(size).toEqual({ total: 5_003_500, present: 0, download: 5_003_500, approximate: false });
    expect(text(size!)).toBe('Downloads 5.0 MB');
  });

  it('leaves out the layers the server already has from another tag (shared template and licence)', async () => {
    await sim.setInstalled([{ name: 'fam:1b' }]);
    const size = await measureDownload(ModelName.parse('fam:8b'), registry, client, null);
    expect(size).toEqual({
      total: 5_003_500,
      present: 3_000,
      download: 5_000_500,
      approximate: false,
    });
    expect(text(size!)).toBe('Downloads 5.0 MB (3.0 kB already on this server)');
    const heads = (await sim.requests()).filter((request) => request.method === 'HEAD');
    expect(heads.length).toBe(4);
    expect(heads.every((request) => request.path.startsWith('/api/blobs/sha256:'))).toBeTrue();
  });

  it('downloads nothing for a tag that is installed', async () => {
    await sim.setInstalled([{ name: 'fam:8b' }]);
    const size = await measureDownload(ModelName.parse('fam:8b'), registry, client, null);
    expect(size?.download).toBe(0);
    expect(size?.present).toBe(5_003_500);
  });

  it('falls back to the catalog size, marked approximate, when the registry cannot be reached', async () => {
    const offline = new RegistryClient({ registryOverride: 'http://127.0.0.1:9' });
    const size = await measureDownload(ModelName.parse('fam:8b'), offline, client, 5_200_000_000);
    expect(size).toEqual({
      total: 5_200_000_000,
      present: 0,
      download: 5_200_000_000,
      approximate: true,
    });
    expect(text(size!)).toBe('Downloads about 5.2 GB');
    expect(await measureDownload(ModelName.parse('fam:8b'), offline, client, null)).toBeNull();
  });

  it('counts every layer when the server cannot say which it has', async () => {
    await sim.setInstalled([{ name: 'fam:1b' }]);
    await sim.setFaults([{ on: 'blobs', kind: 'http-500' }]);
    const size = await measureDownload(ModelName.parse('fam:8b'), registry, client, null);
    // One HEAD failed (counted as missing); the others still say what is there.
    expect(size!.download).toBeGreaterThanOrEqual(5_000_500);
    expect(size!.approximate).toBeFalse();
  });
});

describe('OllamaClient.hasBlob', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let client: OllamaClient;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels([tag('fam:1b', 1_000)]);
    await sim.setInstalled([{ name: 'fam:1b' }]);
    client = new OllamaClient({ baseUrl: sim.url });
  });

  afterEach(() => client.close());

  it('is true for a blob the server has and false for one it has not (HEAD 200 / 404)', async () => {
    expect(await client.hasBlob(SHARED_TEMPLATE)).toBeTrue();
    expect(await client.hasBlob(`sha256:${'0'.repeat(64)}`)).toBeFalse();
  });

  it('is false for a partial download', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'reset', afterBytes: 1 }]);
    await sim.addModels([tag('fam:8b', 50_000_000)]);
    await sim.configure({ tickMs: 1, bytesPerTick: 1_000_000 });
    await client.pull('fam:8b', () => {}).catch(() => undefined);
    const partials = Object.keys((await sim.state()).partials);
    expect(partials.length).toBe(1);
    expect(await client.hasBlob(partials[0])).toBeFalse();
  });

  it('reports a server error as such', async () => {
    await sim.setFaults([{ on: 'blobs', kind: 'http-500' }]);
    await expectAsync(client.hasBlob(SHARED_TEMPLATE)).toBeRejectedWithError(HttpError);
  });

  it('refuses what is not a sha256 digest before asking', async () => {
    await expectAsync(client.hasBlob('sha256:../../etc')).toBeRejectedWithError(TypeError);
  });
});
