import { Simulator } from '../helpers/simulator.js';

type Entry = Record<string, unknown>;

const MINUTE = 60_000;
/** What a token of context adds to a loaded model's memory in the simulator. */
const KV_BYTES_PER_TOKEN = 128 * 1024;

describe('Simulator loaded models, generate and embed', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.configure({ tickMs: 1 });
    await sim.setInstalled([
      { name: 'qwen3:8b', size: 5_000_000_000 },
      { name: 'gemma3:4b', size: 3_000_000_000 },
      { name: 'nomic-embed-text:latest', size: 274_000_000, capabilities: ['embedding'] },
    ]);
  });

  const generate = (json: Entry) => sim.request('POST', '/api/generate', { json });
  const ps = async () =>
    ((await sim.request('GET', '/api/ps')).json() as { models: Entry[] }).models;
  /** How far expires_at is from now, in ms. */
  const expiresIn = (model: Entry) => Date.parse(model.expires_at as string) - Date.now();

  it('loads with an empty generate, one reply with done_reason load, for the default 5 min', async () => {
    const response = await generate({ model: 'qwen3:8b' });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({
      model: 'qwen3:8b',
      created_at: jasmine.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      response: '',
      done: true,
      done_reason: 'load',
    });
    const [model] = await ps();
    expect(model.name).toBe('qwen3:8b');
    expect(model.context_length).toBe(4096);
    expect(model.size).toBe(5_000_000_000 + 4096 * KV_BYTES_PER_TOKEN);
    expect(model.size_vram).toBe(model.size);
    expect(expiresIn(model)).toBeGreaterThan(5 * MINUTE - 5000);
    expect(expiresIn(model)).toBeLessThanOrEqual(5 * MINUTE);
  });

  it('honours keep_alive: seconds, Go durations, -1 for ever, 0 unloads', async () => {
    await generate({ model: 'qwen3:8b', keep_alive: 90 });
    await generate({ model: 'gemma3:4b', keep_alive: '1h30m' });
    let models = await ps();
    expect(models.map((model) => model.name)).toEqual(['gemma3:4b', 'qwen3:8b']);
    expect(expiresIn(models[0])).toBeGreaterThan(90 * MINUTE - 5000);
    expect(expiresIn(models[1])).toBeGreaterThan(90_000 - 5000);
    expect(expiresIn(models[1])).toBeLessThanOrEqual(90_000);

    await generate({ model: 'qwen3:8b', keep_alive: -1 });
    models = await ps();
    expect(models[0].name).toBe('qwen3:8b');
    expect((models[0].expires_at as string).startsWith('2318-')).toBeTrue();

    const unload = await generate({ model: 'qwen3:8b', keep_alive: 0 });
    expect((unload.json() as Entry).done_reason).toBe('unload');
    expect((await ps()).map((model) => model.name)).toEqual(['gemma3:4b']);
    await generate({ model: 'gemma3:4b', keep_alive: '0s' });
    expect(await ps()).toEqual([]);
  });

  it('refuses a keep_alive Go cannot parse, as Ollama does', async () => {
    const response = await generate({ model: 'qwen3:8b', keep_alive: '10 minutes' });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ error: 'time: invalid duration "10 minutes"' });
    expect(await ps()).toEqual([]);
  });

  it('reports the GPU share set through the control API', async () => {
    expect(await sim.control('GET', 'gpu')).toEqual({ share: 1 });
    expect(await sim.control('POST', 'gpu', { share: 0.52 })).toEqual({ share: 0.52 });
    await generate({ model: 'gemma3:4b', options: { num_ctx: 8192 } });
    const [model] = await ps();
    expect(model.context_length).toBe(8192);
    expect(model.size_vram).toBe(Math.round((model.size as number) * 0.52));
    await expectAsync(sim.control('POST', 'gpu', { share: 2 })).toBeRejectedWithError(
      /HTTP 400 \{"error":"share: a number from 0 to 1"\}/,
    );
    await sim.reset();
    expect(await sim.control('GET', 'gpu')).toEqual({ share: 1 });
  });

  it('streams a generate reply word by word, ending with the timings', async () => {
    const response = await generate({ model: 'qwen3:8b', prompt: 'Hello?' });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-ndjson');
    const lines = response.lines() as Entry[];
    const last = lines[lines.length - 1];
    expect(lines.slice(0, -1).every((line) => line.done === false)).toBeTrue();
    expect(
      lines
        .slice(0, -1)
        .map((line) => line.response)
        .join(''),
    ).toBe(
      'Hello! I am qwen3:8b, answering from the Paddock Ollama simulator. You said: "Hello?".',
    );
    expect(last).toEqual(
      jasmine.objectContaining({ response: '', done: true, done_reason: 'stop', eval_count: 13 }),
    );
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'])
      expect(last[key]).toBeGreaterThan(0);
    expect((await ps()).map((model) => model.name)).toEqual(['qwen3:8b']);
  });

  it('answers a generate with stream:false in one object', async () => {
    const response = await generate({ model: 'qwen3:8b', prompt: 'Hi', stream: false });
    expect(response.json()).toEqual(
      jasmine.objectContaining({ done: true, done_reason: 'stop', response: jasmine.any(String) }),
    );
  });

  it('refuses generate for a missing model, an embedding model, and without a model', async () => {
    const missing = await generate({ model: 'nope:1b', prompt: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "model 'nope:1b' not found" });
    const embedding = await generate({ model: 'nomic-embed-text', prompt: 'x' });
    expect(embedding.status).toBe(400);
    expect(embedding.json()).toEqual({ error: '"nomic-embed-text" does not support generate' });
    const nameless = await generate({ prompt: 'x' });
    expect(nameless.status).toBe(400);
    expect(nameless.json()).toEqual({ error: 'model is required' });
  });

  it('embeds text as one vector per input, and loads the model', async () => {
    const one = await sim.request('POST', '/api/embed', {
      json: { model: 'nomic-embed-text', input: 'Why is the sky blue?' },
    });
    expect(one.status).toBe(200);
    const reply = one.json() as { embeddings: number[][] } & Entry;
    expect(reply.model).toBe('nomic-embed-text');
    expect(reply.embeddings.length).toBe(1);
    expect(reply.embeddings[0].length).toBe(768);
    expect(Math.hypot(...reply.embeddings[0])).toBeCloseTo(1, 3);
    expect(reply.prompt_eval_count).toBeGreaterThan(0);
    expect((await ps()).map((model) => model.name)).toEqual(['nomic-embed-text:latest']);

    const two = await sim.request('POST', '/api/embed', {
      json: { model: 'nomic-embed-text', input: ['a', 'b'], dimensions: 64 },
    });
    const vectors = (two.json() as { embeddings: number[][] }).embeddings;
    expect(vectors.map((vector) => vector.length)).toEqual([64, 64]);
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('refuses embed for a missing model or input of the wrong type', async () => {
    const missing = await sim.request('POST', '/api/embed', { json: { model: 'x', input: 'a' } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'model "x" not found, try pulling it first' });
    const wrong = await sim.request('POST', '/api/embed', {
      json: { model: 'nomic-embed-text', input: 5 },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json()).toEqual({ error: 'invalid input type' });
  });

  it('lets generate and embed faults fire like chat ones', async () => {
    await sim.setFaults([
      { on: 'generate', kind: 'mid-stream-error', message: 'boom' },
      { on: 'embed', kind: 'http-500', message: 'no' },
    ]);
    const lines = (await generate({ model: 'qwen3:8b', prompt: 'x' })).lines();
    expect(lines).toEqual([{ error: 'boom' }]);
    const embed = await sim.request('POST', '/api/embed', {
      json: { model: 'nomic-embed-text', input: 'a' },
    });
    expect(embed.status).toBe(500);
  });
});
