import GLib from 'gi://GLib';

import { Simulator, type SimResponse } from '../helpers/simulator.js';

const ACCEPT = { Accept: 'application/vnd.docker.distribution.manifest.v2+json' };
const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';

function sha256(text: string): string {
  return GLib.compute_checksum_for_string(GLib.ChecksumType.SHA256, text, -1)!;
}

async function installedDigest(sim: Simulator, name: string): Promise<string> {
  const { models } = (await sim.request('GET', '/api/tags')).json() as {
    models: { name: string; digest: string }[];
  };
  return models.find((model) => model.name === name)?.digest ?? '';
}

describe('Simulator registry manifests', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 1_000_000_000 });
    await sim.addModels([
      { name: 'tiny:1b', layers: [{ size: 1000 }, { size: 50, mediaType: CONFIG_BLOB }] },
      { name: 'hf.co/someone/Some-GGUF:Q4_K_M', layers: [{ size: 2000 }] },
    ]);
  });

  function manifest(path: string): Promise<SimResponse> {
    return sim.request('GET', path, { headers: ACCEPT });
  }

  it('serves a manifest whose sha256 is the digest /api/tags shows for the installed model', async () => {
    await sim.setInstalled([{ name: 'tiny:1b' }]);
    const response = await manifest('/v2/library/tiny/manifests/1b');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(sha256(response.text)).toBe(await installedDigest(sim, 'tiny:1b'));
    expect(response.header('Docker-Content-Digest')).toBe(`sha256:${sha256(response.text)}`);
    const body = response.json() as { schemaVersion: number; config: unknown; layers: unknown[] };
    expect(body.schemaVersion).toBe(2);
    expect(body.config).toEqual(jasmine.objectContaining({ mediaType: CONFIG_BLOB, size: 50 }));
    expect(body.layers.length).toBe(1);
  });

  it('serves any host’s model by namespace, model and tag', async () => {
    const response = await manifest('/v2/someone/Some-GGUF/manifests/Q4_K_M');
    expect(response.status).toBe(200);
  });

  it('answers 404 MANIFEST_UNKNOWN for a model or tag it does not have', async () => {
    for (const path of ['/v2/library/tiny/manifests/9b', '/v2/library/nothing/manifests/latest']) {
      const response = await manifest(path);
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({
        errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }],
      });
    }
  });

  it('publishes a new version: the manifest changes, and a new pull installs it', async () => {
    await sim.setInstalled([{ name: 'tiny:1b' }]);
    const old = await installedDigest(sim, 'tiny:1b');
    const digest = await sim.publish('tiny:1b');
    expect(digest).not.toBe(old);
    expect(sha256((await manifest('/v2/library/tiny/manifests/1b')).text)).toBe(digest);
    expect(await installedDigest(sim, 'tiny:1b')).toBe(old);
    const pull = await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    expect(pull.lines().at(-1)).toEqual({ status: 'success' });
    expect(await installedDigest(sim, 'tiny:1b')).toBe(digest);
  });

  it('refuses to publish a model the registry does not have', async () => {
    const response = await sim.request('POST', '/__sim/publish', { json: { name: 'nope:1b' } });
    expect(response.status).toBe(400);
  });

  it('takes faults aimed at manifests, by model', async () => {
    await sim.setFaults([
      { on: 'manifest', model: 'other:1b', kind: 'http-500' },
      { on: 'manifest', model: 'tiny:1b', kind: 'http-status', status: 401 },
    ]);
    expect((await manifest('/v2/library/tiny/manifests/1b')).status).toBe(401);
    expect((await manifest('/v2/library/tiny/manifests/1b')).status).toBe(200);
  });

  it('waits registryLatencyMs before answering and counts the requests it answers at once', async () => {
    await sim.configure({ registryLatencyMs: 100 });
    const started = GLib.get_monotonic_time();
    await Promise.all([1, 2, 3].map(() => manifest('/v2/library/tiny/manifests/1b')));
    expect(GLib.get_monotonic_time() - started).toBeGreaterThanOrEqual(100_000);
    expect((await sim.state()).peakManifestRequests).toBe(3);
  });
});
