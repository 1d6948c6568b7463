import { Simulator, type SimLineStream } from '../helpers/simulator.js';

type Line = Record<string, unknown>;

const TEMPLATE = 'application/vnd.ollama.image.template';
const CONFIG = 'application/vnd.docker.container.image.v1+json';

interface RegistryEntry {
  name: string;
  layers: { digest: string; size: number; mediaType: string }[];
}

async function registryLayers(sim: Simulator, name: string): Promise<RegistryEntry['layers']> {
  const { models } = await sim.control<{ models: RegistryEntry[] }>('GET', 'registry');
  const model = models.find((entry) => entry.name === name);
  if (!model) throw new Error(`${name} is not in the registry`);
  return model.layers;
}

/** Reads lines until one matches, returning every line read. */
async function readUntil(stream: SimLineStream, done: (line: Line) => boolean): Promise<Line[]> {
  const lines: Line[] = [];
  for (;;) {
    const text = await stream.readLine();
    if (text === null) throw new Error(`the stream ended early after ${JSON.stringify(lines)}`);
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (done(line)) return lines;
  }
}

function statuses(lines: Line[]): unknown[] {
  return lines.map((line) => line.status);
}

describe('Simulator pull', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 400_000 });
    await sim.addModels([
      {
        name: 'tiny:1b',
        // The config blob is listed in the middle on purpose: pulls send it last.
        layers: [
          { size: 1_000_000 },
          { size: 300, mediaType: CONFIG },
          { size: 1_200, mediaType: TEMPLATE },
        ],
      },
    ]);
  });

  it('streams chunked NDJSON: manifest, each layer in manifest order with the config blob last, then verify, write, success', async () => {
    const response = await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-ndjson');
    expect(response.header('Transfer-Encoding')).toBe('chunked');
    const lines = response.lines() as Line[];
    expect(lines[0]).toEqual({ status: 'pulling manifest' });
    expect(statuses(lines.slice(-3))).toEqual([
      'verifying sha256 digest',
      'writing manifest',
      'success',
    ]);

    const layers = await registryLayers(sim, 'tiny:1b');
    expect(layers.map((layer) => layer.mediaType)).toEqual([
      'application/vnd.ollama.image.model',
      TEMPLATE,
      CONFIG,
    ]);
    const layerLines = lines.slice(1, -3);
    const digestsInOrder = [...new Set(layerLines.map((line) => line.digest))];
    expect(digestsInOrder).toEqual(layers.map((layer) => layer.digest));
    for (const line of layerLines) {
      const layer = layers.find((candidate) => candidate.digest === line.digest);
      expect(line.status).toBe(`pulling ${String(line.digest).slice(7, 19)}`);
      expect(line.total).toBe(layer?.size);
      expect(String(line.digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('leaves out zero fields and reports progress per blob on each tick', async () => {
    const lines = (
      await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } })
    ).lines() as Line[];
    const [weights] = await registryLayers(sim, 'tiny:1b');
    const weightLines = lines.filter((line) => line.digest === weights.digest);
    // Ticks report, then advance: 0 (left out), 400 000, 800 000 — never the final 1 000 000.
    expect(weightLines).toEqual([
      {
        status: `pulling ${weights.digest.slice(7, 19)}`,
        digest: weights.digest,
        total: 1_000_000,
      },
      {
        status: `pulling ${weights.digest.slice(7, 19)}`,
        digest: weights.digest,
        total: 1_000_000,
        completed: 400_000,
      },
      {
        status: `pulling ${weights.digest.slice(7, 19)}`,
        digest: weights.digest,
        total: 1_000_000,
        completed: 800_000,
      },
    ]);
    for (const line of lines.filter((candidate) => candidate.digest === undefined)) {
      expect(Object.keys(line)).toEqual(['status']);
    }
  });

  it('installs the model after success, so /api/tags lists it', async () => {
    await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    const tags = (await sim.request('GET', '/api/tags')).json() as { models: Line[] };
    expect(tags.models.map((model) => model.name)).toEqual(['tiny:1b']);
    expect(tags.models[0].size).toBe(1_000_000 + 1_200 + 300);
    expect((await sim.state()).installed).toEqual(['tiny:1b']);
  });

  it('accepts the legacy `name` field and case-insensitive names', async () => {
    const lines = (
      await sim.request('POST', '/api/pull', { json: { name: 'TINY:1B' } })
    ).lines() as Line[];
    expect(lines.at(-1)).toEqual({ status: 'success' });
  });

  it('sends one line with total == completed for each blob already on disk', async () => {
    await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    const lines = (
      await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } })
    ).lines() as Line[];
    const layers = await registryLayers(sim, 'tiny:1b');
    expect(lines.slice(1, -3)).toEqual(
      layers.map((layer) => ({
        status: `pulling ${layer.digest.slice(7, 19)}`,
        digest: layer.digest,
        total: layer.size,
        completed: layer.size,
      })),
    );
    expect(statuses(lines)).not.toContain('removing unused layers');
  });

  it('says "removing unused layers" when a re-pull leaves old blobs unused', async () => {
    await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    await sim.addModels([
      { name: 'tiny:1b', layers: [{ size: 900_000 }, { size: 300, mediaType: CONFIG }] },
    ]);
    const lines = (
      await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } })
    ).lines() as Line[];
    expect(statuses(lines.slice(-4))).toEqual([
      'verifying sha256 digest',
      'writing manifest',
      'removing unused layers',
      'success',
    ]);
  });

  describe('errors before the stream', () => {
    const cases: [string, string, string][] = [
      ['no body', '', 'missing request body'],
      ['only whitespace', ' \n', 'missing request body'],
      ['cut-off JSON', '{"model":', 'unexpected EOF'],
      ['not JSON', 'nope', "invalid character 'o' in literal null (expecting 'u')"],
      ['a stray character', '{"model" "x"}', "invalid character '\"' after object key"],
      [
        'a number for the name',
        '{"model":5}',
        'json: cannot unmarshal number into Go struct field PullRequest.model of type string',
      ],
      [
        'a string for stream',
        '{"model":"tiny:1b","stream":"no"}',
        'json: cannot unmarshal string into Go struct field PullRequest.stream of type bool',
      ],
      ['an array', '[]', 'json: cannot unmarshal array into Go value of type api.PullRequest'],
      ['no name', '{}', 'invalid model name'],
      ['an invalid name', '{"model":"bad name!"}', 'invalid model name'],
      ['an empty tag', '{"model":"tiny:"}', 'invalid model name'],
    ];
    for (const [what, raw, error] of cases) {
      it(`answers HTTP 400 for ${what}`, async () => {
        const response = await sim.request('POST', '/api/pull', { raw });
        expect(response.status).toBe(400);
        expect(response.contentType).toBe('application/json; charset=utf-8');
        expect(response.json()).toEqual({ error });
      });
    }
  });

  it('fails an unknown model after the stream started: HTTP 200, then an error line', async () => {
    const response = await sim.request('POST', '/api/pull', {
      json: { model: 'no-such-model:7b' },
    });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-ndjson');
    expect(response.lines()).toEqual([
      { status: 'pulling manifest' },
      { error: 'pull model manifest: file does not exist' },
    ]);
  });

  it('answers stream:false with one {"status":"success"}, or HTTP 500 with the error', async () => {
    const ok = await sim.request('POST', '/api/pull', {
      json: { model: 'tiny:1b', stream: false },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"status":"success"}');
    expect((await sim.state()).installed).toEqual(['tiny:1b']);
    const unknown = await sim.request('POST', '/api/pull', {
      json: { model: 'nothing:here', stream: false },
    });
    expect(unknown.status).toBe(500);
    expect(unknown.json()).toEqual({ error: 'pull model manifest: file does not exist' });
  });

  describe('with a slow download', () => {
    let weights: { digest: string; size: number };

    beforeEach(async () => {
      await sim.configure({ tickMs: 2, bytesPerTick: 1_000 });
      await sim.addModels([
        { name: 'big:7b', layers: [{ size: 50_000_000 }, { size: 300, mediaType: CONFIG }] },
      ]);
      [weights] = await registryLayers(sim, 'big:7b');
    });

    it('stops the download when the client closes the connection, and keeps the bytes as a partial', async () => {
      const stream = await sim.openStream('POST', '/api/pull', { json: { model: 'big:7b' } });
      await readUntil(stream, (line) => Number(line.completed ?? 0) >= 3_000);
      await stream.close();
      const state = await sim.state(0);
      expect(state.activePulls).toBe(0);
      expect(state.downloads).toEqual({});
      expect(state.partials[weights.digest]).toBeGreaterThanOrEqual(3_000);
      expect(state.installed).toEqual([]);
    });

    it('resumes from the partial on the next pull: its first line of that blob already has completed > 0', async () => {
      const first = await sim.openStream('POST', '/api/pull', { json: { model: 'big:7b' } });
      await readUntil(first, (line) => Number(line.completed ?? 0) >= 5_000);
      await first.close();
      const partial = (await sim.state(0)).partials[weights.digest];
      await sim.configure({ bytesPerTick: 100_000_000 });
      const lines = (
        await sim.request('POST', '/api/pull', { json: { model: 'big:7b' } })
      ).lines() as Line[];
      const firstWeightLine = lines.find((line) => line.digest === weights.digest);
      expect(firstWeightLine?.completed).toBe(partial);
      expect(lines.at(-1)).toEqual({ status: 'success' });
      expect((await sim.state()).partials).toEqual({});
    });

    it('shares one download between concurrent pulls of the same blob', async () => {
      const a = await sim.openStream('POST', '/api/pull', { json: { model: 'big:7b' } });
      const seenByA = await readUntil(a, (line) => Number(line.completed ?? 0) >= 2_000);
      const b = await sim.openStream('POST', '/api/pull', { json: { model: 'big:7b' } });
      const [manifest, firstOfB] = await readUntil(b, (line) => line.digest === weights.digest);
      expect(manifest).toEqual({ status: 'pulling manifest' });
      expect(Number(firstOfB.completed)).toBeGreaterThanOrEqual(Number(seenByA.at(-1)?.completed));
      expect((await sim.state()).downloads[weights.digest].waiters).toBe(2);
      // How a test sees that two processes pulled the same model at once.
      expect((await sim.state()).peakPullsPerModel).toEqual({ 'big:7b': 2 });

      // A leaves; B carries on alone and finishes.
      await a.close();
      await sim.configure({ bytesPerTick: 100_000_000 });
      const rest = await readUntil(b, (line) => line.status === 'success' || 'error' in line);
      expect(rest.at(-1)).toEqual({ status: 'success' });
      expect(await b.readLine()).toBeNull();
      await b.close();
      expect((await sim.state(0)).installed).toEqual(['big:7b']);
    });
  });
});
