import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import { Simulator, type SimConfig, type SimLineStream } from '../helpers/simulator.js';

Gio._promisify(Gio.File.prototype, 'delete_async', 'delete_finish');

type Entry = Record<string, unknown>;

interface RegistryEntry {
  name: string;
  layers: { digest: string; size: number; mediaType: string }[];
}

async function registry(sim: Simulator): Promise<RegistryEntry[]> {
  return (await sim.control<{ models: RegistryEntry[] }>('GET', 'registry')).models;
}

async function readUntilCompleted(stream: SimLineStream, bytes: number): Promise<void> {
  for (;;) {
    const line = await stream.readLine();
    if (line === null) throw new Error('the pull ended early');
    if (Number((JSON.parse(line) as Entry).completed ?? 0) >= bytes) return;
  }
}

describe('Simulator control API', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
  });

  it('POST /__sim/reset returns to the initial state', async () => {
    await sim.addModels([{ name: 'tiny:1b', layers: [{ size: 10 }] }]);
    await sim.setInstalled([{ name: 'tiny:1b' }]);
    await sim.setFaults([{ on: 'tags', kind: 'http-500' }]);
    await sim.configure({ tickMs: 3 });
    await sim.request('GET', '/api/version');
    await sim.reset();
    expect(await registry(sim)).toEqual([]);
    expect(await sim.state()).toEqual({
      installed: [],
      partials: {},
      activePulls: 0,
      peakPullsPerModel: {},
      downloads: {},
      peakManifestRequests: 0,
      blobRedirects: 0,
      blobReads: 0,
      blobBytes: 0,
    });
    expect(await sim.control('GET', 'faults')).toEqual({ faults: [] });
    expect(await sim.requests()).toEqual([]);
    expect(await sim.control<SimConfig>('GET', 'config')).toEqual({
      tickMs: 60,
      bytesPerTick: 6_000_000,
      token: null,
      stepMs: 0,
      version: '0.12.3',
      registryLatencyMs: 0,
    });
  });

  it('POST /__sim/config merges, and rejects bad values with 400', async () => {
    const merged = await sim.configure({ tickMs: 7, bytesPerTick: 1234 });
    expect(merged).toEqual(jasmine.objectContaining({ tickMs: 7, bytesPerTick: 1234, stepMs: 0 }));
    for (const bad of [{ tickMs: 0 }, { bytesPerTick: 'fast' }, { token: '' }, { colour: 'red' }]) {
      expect((await sim.request('POST', '/__sim/config', { json: bad })).status).toBe(400);
    }
    expect((await sim.request('POST', '/__sim/config', { raw: '{oops' })).status).toBe(400);
  });

  it('POST /__sim/registry adds models with deterministic digests, the config blob last', async () => {
    const model = {
      name: 'tiny:1b',
      layers: [
        { size: 500, mediaType: 'application/vnd.docker.container.image.v1+json' },
        { size: 1000 },
      ],
    };
    await sim.addModels([model]);
    const [first] = await registry(sim);
    expect(first.layers.map((layer) => layer.size)).toEqual([1000, 500]);
    await sim.reset();
    await sim.addModels([model]);
    expect((await registry(sim))[0].layers).toEqual(first.layers);

    const digest = `sha256:${'ab'.repeat(32)}`;
    await sim.control('POST', 'registry', {
      replace: true,
      models: [{ name: 'own:1b', layers: [{ size: 1, digest }] }],
    });
    expect((await registry(sim)).map((entry) => [entry.name, entry.layers[0].digest])).toEqual([
      ['own:1b', digest],
    ]);
    const bad = await sim.request('POST', '/__sim/registry', {
      json: { models: [{ name: 'bad name', layers: [] }] },
    });
    expect(bad.status).toBe(400);
  });

  it('POST /__sim/installed replaces the installed models', async () => {
    await sim.setInstalled([{ name: 'a:1b' }, { name: 'b:1b' }]);
    await sim.setInstalled([{ name: 'c:1b', size: 42 }]);
    expect((await sim.state()).installed).toEqual(['c:1b']);
    const bad = await sim.request('POST', '/__sim/installed', { json: { models: [{ size: 1 }] } });
    expect(bad.status).toBe(400);
  });

  it('GET /__sim/requests logs /api requests (not control calls); DELETE clears the log', async () => {
    await sim.request('POST', '/api/pull', { json: { model: 'x' } });
    await sim.request('POST', '/api/show', { raw: 'not json' });
    await sim.request('GET', '/');
    const logged = await sim.requests();
    expect(
      logged.map(({ method, path, body, authorization }) => ({
        method,
        path,
        body,
        authorization,
      })),
    ).toEqual([
      { method: 'POST', path: '/api/pull', body: { model: 'x' }, authorization: null },
      { method: 'POST', path: '/api/show', body: null, authorization: null },
      { method: 'GET', path: '/', body: null, authorization: null },
    ]);
    expect(typeof logged[0].time).toBe('number');
    await sim.control('DELETE', 'requests');
    expect(await sim.requests()).toEqual([]);
  });

  it('answers 404 to unknown control endpoints', async () => {
    expect((await sim.request('GET', '/__sim/nothing')).status).toBe(404);
  });
});

describe('Simulator process', () => {
  it('prints "listening on http://127.0.0.1:PORT" first and stops on SIGTERM', async () => {
    const sim = await Simulator.start();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await sim.request('GET', '/')).status).toBe(200);
    await sim.stop();
    await expectAsync(sim.request('GET', '/')).toBeRejected();
  });

  it('stops by itself when its stdin closes', async () => {
    const script = GLib.getenv('PADDOCK_SIMULATOR') as string;
    const child = Gio.Subprocess.new(
      ['node', script, '--port', '0', '--quiet'],
      Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE,
    );
    const stdout = new Gio.DataInputStream({
      base_stream: child.get_stdout_pipe() as Gio.InputStream,
    });
    const [line] = await stdout.read_line_async(GLib.PRIORITY_DEFAULT, null);
    expect(new TextDecoder().decode(line ?? new Uint8Array())).toMatch(
      /^listening on http:\/\/127\.0\.0\.1:\d+$/,
    );
    await child.get_stdin_pipe()?.close_async(GLib.PRIORITY_DEFAULT, null);
    await child.wait_async(null);
    expect(child.get_if_exited()).toBeTrue();
    expect(child.get_exit_status()).toBe(0);
    await stdout.close_async(GLib.PRIORITY_DEFAULT, null);
  });

  it('refuses to listen on anything but loopback', async () => {
    await expectAsync(Simulator.start({ args: ['--host', '0.0.0.0'] })).toBeRejectedWithError(
      /did not start/,
    );
  });

  it('--demo starts with realistic models installed and more to pull', async () => {
    const sim = await Simulator.start({ demo: true });
    try {
      const { models } = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
      const names = models.map((model) => model.name);
      for (const name of [
        'llama3.2:3b',
        'qwen3:8b',
        'gemma3:4b',
        'nomic-embed-text:latest',
        'deepseek-r1:7b',
      ]) {
        expect(names).toContain(name);
      }
      const pullable = await registry(sim);
      expect(pullable.length).toBeGreaterThan(names.length);
      const llama = pullable.find((model) => model.name === 'llama3.2:3b');
      expect(llama?.layers[0].size).toBeGreaterThan(1_000_000_000);
      expect(llama?.layers.at(-1)?.mediaType).toBe(
        'application/vnd.docker.container.image.v1+json',
      );
      // As in the registry, a family's sizes share template, licence and params, not weights.
      const blobs = (name: string) =>
        pullable.find((model) => model.name === name)?.layers.map((layer) => layer.digest) ?? [];
      const shared = blobs('qwen3:4b').filter((digest) => blobs('qwen3:8b').includes(digest));
      expect(shared.length).toBe(3);
      expect(shared).not.toContain(blobs('qwen3:8b')[0]);
      // Add Model's size list: qwen3 in every size, smallest to largest.
      const qwen3 = ['0.6b', '1.7b', '4b', '8b', '14b', '30b', '32b', '235b'].map(
        (tag) => pullable.find((model) => model.name === `qwen3:${tag}`)?.layers[0].size ?? 0,
      );
      expect(qwen3.every((size, index) => index === 0 || size > qwen3[index - 1])).toBeTrue();
    } finally {
      await sim.stop();
    }
  });

  it('--state FILE keeps partial downloads across a restart, so the next pull resumes', async () => {
    const path = GLib.build_filenamev([
      GLib.get_tmp_dir(),
      `paddock-sim-${GLib.uuid_string_random()}.json`,
    ]);
    try {
      const first = await Simulator.start({ args: ['--state', path] });
      await first.configure({ tickMs: 2, bytesPerTick: 1_000 });
      await first.addModels([{ name: 'big:7b', layers: [{ size: 50_000_000 }] }]);
      const stream = await first.openStream('POST', '/api/pull', { json: { model: 'big:7b' } });
      await readUntilCompleted(stream, 3_000);
      await stream.close();
      const { partials } = await first.state(0);
      await first.stop();

      const second = await Simulator.start({ args: ['--state', path] });
      try {
        expect((await second.state()).partials).toEqual(partials);
        await second.configure({ bytesPerTick: 100_000_000 });
        const lines = (
          await second.request('POST', '/api/pull', { json: { model: 'big:7b' } })
        ).lines() as Entry[];
        const [digest] = Object.keys(partials);
        expect(lines.find((line) => line.digest === digest)?.completed).toBe(partials[digest]);
        expect(lines.at(-1)).toEqual({ status: 'success' });
      } finally {
        await second.stop();
      }
    } finally {
      await Gio.File.new_for_path(path).delete_async(GLib.PRIORITY_DEFAULT, null);
    }
  });
});
