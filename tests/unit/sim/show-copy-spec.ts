import { Simulator } from '../helpers/simulator.js';

type Entry = Record<string, unknown>;

describe('Simulator /api/show model_info and /api/copy', () => {
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

  async function show(model: string, verbose = false) {
    const response = await sim.request('POST', '/api/show', {
      json: verbose ? { model, verbose: true } : { model },
    });
    expect(response.status).toBe(200);
    return { body: response.json() as Entry, bytes: response.text.length };
  }

  it('answers with the header of each architecture: llama, qwen3, gemma3, nomic-bert', async () => {
    await sim.setInstalled([
      { name: 'llama3.2:3b', details: { family: 'llama', parameter_size: '3.2B' } },
      { name: 'qwen3:8b', details: { family: 'qwen3', parameter_size: '8.2B' } },
      { name: 'gemma3:4b', details: { family: 'gemma3', parameter_size: '4.3B' } },
      {
        name: 'nomic-embed-text:latest',
        details: { family: 'nomic-bert', parameter_size: '137M' },
        capabilities: ['embedding'],
      },
    ]);
    const expected: [string, string, Entry][] = [
      ['llama3.2:3b', 'llama', { context_length: 131072, embedding_length: 3072, block_count: 28 }],
      ['qwen3:8b', 'qwen3', { context_length: 40960, embedding_length: 4096, block_count: 36 }],
      ['gemma3:4b', 'gemma3', { context_length: 131072, embedding_length: 2560, block_count: 34 }],
      [
        'nomic-embed-text:latest',
        'nomic-bert',
        { context_length: 2048, embedding_length: 768, block_count: 12 },
      ],
    ];
    for (const [name, arch, facts] of expected) {
      const info = (await show(name)).body.model_info as Entry;
      expect(info['general.architecture']).toBe(arch);
      for (const [key, value] of Object.entries(facts))
        expect(info[`${arch}.${key}`]).withContext(`${name} ${key}`).toBe(value);
      expect(info[`${arch}.attention.head_count`]).toBeGreaterThan(0);
      expect(info[`${arch}.attention.head_count_kv`]).toBeGreaterThan(0);
    }
    const qwen = (await show('qwen3:8b')).body.model_info as Entry;
    expect(qwen['general.parameter_count']).toBe(8_200_000_000);
  });

  it('empties the tokenizer lists unless verbose, which sends them whole', async () => {
    await sim.setInstalled([{ name: 'gemma3:4b', details: { family: 'gemma3' } }]);
    const plain = await show('gemma3:4b');
    const info = plain.body.model_info as Entry;
    expect(info['tokenizer.ggml.tokens']).toEqual([]);
    expect(info['general.languages']).toEqual([]);
    expect(plain.bytes).toBeLessThan(10_000);

    const verbose = await show('gemma3:4b', true);
    const tokens = (verbose.body.model_info as Entry)['tokenizer.ggml.tokens'] as string[];
    expect(tokens.length).toBe(262144);
    expect(verbose.bytes).toBeGreaterThan(3_000_000);
  });

  it('lets a test give the fields /api/show sends, and keeps them out of /api/tags', async () => {
    await sim.setInstalled([
      { name: 'odd:1b', show: { license: '<b>mine</b>', system: 'Be brief.' } },
    ]);
    const { body } = await show('odd:1b');
    expect(body.license).toBe('<b>mine</b>');
    expect(body.system).toBe('Be brief.');
    const tags = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
    expect(tags.models[0].show).toBeUndefined();
  });

  it('POST /api/copy: 200 with an empty body, a second name for the same manifest', async () => {
    await sim.setInstalled([{ name: 'qwen3:8b', size: 5_000 }]);
    const copied = await sim.request('POST', '/api/copy', {
      json: { source: 'qwen3:8b', destination: 'my-qwen:latest' },
    });
    expect(copied.status).toBe(200);
    expect(copied.text).toBe('');
    const { models } = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
    expect(models.map((model) => model.name)).toEqual(['my-qwen:latest', 'qwen3:8b']);
    expect(models[0].digest).toBe(models[1].digest);
    expect(models[0].size).toBe(5_000);
  });

  it('POST /api/copy replaces a model of that name without a word, as Ollama does', async () => {
    await sim.setInstalled([
      { name: 'a:1b', size: 1 },
      { name: 'b:1b', size: 2 },
    ]);
    const copied = await sim.request('POST', '/api/copy', {
      json: { source: 'a:1b', destination: 'B:1b' },
    });
    expect(copied.status).toBe(200);
    expect(copied.text).toBe('');
    const { models } = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
    expect(models.map((model) => [model.name, model.size])).toEqual([
      ['b:1b', 1],
      ['a:1b', 1],
    ]);
  });

  it('POST /api/copy: 404 for a missing source, 400 for an invalid name or no body', async () => {
    await sim.setInstalled([{ name: 'a:1b' }]);
    const copy = (json: unknown) => sim.request('POST', '/api/copy', { json });
    const missing = await copy({ source: 'x', destination: 'y' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'model "x" not found' });
    const badDestination = await copy({ source: 'a:1b', destination: 'no good' });
    expect(badDestination.status).toBe(400);
    expect(badDestination.json()).toEqual({ error: 'destination "no good" is invalid' });
    const badSource = await copy({ source: 'a/b/c/d', destination: 'y' });
    expect(badSource.status).toBe(400);
    expect(badSource.json()).toEqual({ error: 'source "a/b/c/d" is invalid' });
    const empty = await sim.request('POST', '/api/copy', { raw: '' });
    expect(empty.status).toBe(400);
    expect(empty.json()).toEqual({ error: 'missing request body' });
    expect((await sim.state()).installed).toEqual(['a:1b']);
  });

  it('POST /api/copy takes faults aimed at the source', async () => {
    await sim.setInstalled([{ name: 'a:1b' }]);
    await sim.setFaults([{ on: 'copy', model: 'A:1b', kind: 'http-500', message: 'disk on fire' }]);
    const failed = await sim.request('POST', '/api/copy', {
      json: { source: 'a:1b', destination: 'b:1b' },
    });
    expect(failed.status).toBe(500);
    expect(failed.json()).toEqual({ error: 'disk on fire' });
    expect((await sim.state()).installed).toEqual(['a:1b']);
  });
});
