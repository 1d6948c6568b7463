import { Simulator } from '../helpers/simulator.js';

type Entry = Record<string, unknown>;

describe('Simulator Ollama API', () => {
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
  });

  it('GET / says "Ollama is running" as text/plain', async () => {
    const response = await sim.request('GET', '/');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/plain; charset=utf-8');
    expect(response.text).toBe('Ollama is running');
  });

  it('HEAD /api/blobs/:digest answers 200 for a blob on disk, 404 for others, 400 for a bad digest', async () => {
    await sim.addModels([
      { name: 'tiny:1b', layers: [{ size: 10, digest: `sha256:${'a'.repeat(64)}` }] },
    ]);
    await sim.setInstalled([{ name: 'tiny:1b' }]);
    expect((await sim.request('HEAD', `/api/blobs/sha256:${'a'.repeat(64)}`)).status).toBe(200);
    expect((await sim.request('HEAD', `/api/blobs/sha256-${'a'.repeat(64)}`)).status).toBe(200);
    const missing = await sim.request('HEAD', `/api/blobs/sha256:${'b'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('');
    expect((await sim.request('HEAD', '/api/blobs/sha256:abc')).status).toBe(400);
  });

  it('GET /api/version reports the configured version', async () => {
    expect((await sim.request('GET', '/api/version')).json()).toEqual({ version: '0.12.3' });
    await sim.configure({ version: '0.13.0' });
    expect((await sim.request('GET', '/api/version')).text).toBe('{"version":"0.13.0"}');
  });

  it('GET /api/tags lists installed models newest first, in the wire shape', async () => {
    await sim.setInstalled([
      { name: 'old:1b', size: 1_000, modified_at: '2025-01-02T03:04:05.5-07:00' },
      { name: 'new:2b', size: 2_000, modified_at: '2025-06-01T00:00:00Z' },
    ]);
    const { models } = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
    expect(models.map((model) => model.name)).toEqual(['new:2b', 'old:1b']);
    const [first] = models;
    expect(Object.keys(first)).toEqual([
      'name',
      'model',
      'modified_at',
      'size',
      'digest',
      'details',
    ]);
    expect(first.model).toBe('new:2b');
    expect(first.size).toBe(2_000);
    expect(first.modified_at).toBe('2025-06-01T00:00:00Z');
    expect(String(first.digest)).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(first.details as Entry)).toEqual([
      'parent_model',
      'format',
      'family',
      'families',
      'parameter_size',
      'quantization_level',
    ]);
    expect(models[1].modified_at).toBe('2025-01-02T03:04:05.5-07:00');
  });

  it('GET /api/tags echoes what a test gave, e.g. families: null', async () => {
    await sim.setInstalled([
      { name: 'odd:1b', details: { families: null }, capabilities: ['completion'] },
    ]);
    const { models } = (await sim.request('GET', '/api/tags')).json() as { models: Entry[] };
    expect((models[0].details as Entry).families).toBeNull();
  });

  it('POST /api/show describes an installed model, 404 for another, 400 without a name', async () => {
    await sim.setInstalled([{ name: 'llama3.2:3b', size: 2_019_393_189 }]);
    const shown = await sim.request('POST', '/api/show', { json: { model: 'llama3.2:3b' } });
    expect(shown.status).toBe(200);
    const body = shown.json() as Entry;
    expect(body.modelfile).toContain('# FROM llama3.2:3b');
    expect(body.details).toEqual(jasmine.objectContaining({ family: 'llama', format: 'gguf' }));
    expect(body.capabilities).toEqual(['completion']);
    expect(body.model_info).toEqual(jasmine.objectContaining({ 'general.architecture': 'llama' }));

    const missing = await sim.request('POST', '/api/show', { json: { model: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "model 'x:latest' not found" });
    const nameless = await sim.request('POST', '/api/show', { json: {} });
    expect(nameless.status).toBe(400);
    expect(nameless.json()).toEqual({ error: 'model is required' });
  });

  it('DELETE /api/delete: 200 with an empty body, then 404 {"error":"model \'x\' not found"}', async () => {
    await sim.setInstalled([{ name: 'gone:1b' }, { name: 'kept:1b' }]);
    const deleted = await sim.request('DELETE', '/api/delete', { json: { model: 'gone:1b' } });
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect((await sim.state()).installed).toEqual(['kept:1b']);
    const again = await sim.request('DELETE', '/api/delete', { json: { model: 'gone:1b' } });
    expect(again.status).toBe(404);
    expect(again.json()).toEqual({ error: "model 'gone:1b' not found" });
    const invalid = await sim.request('DELETE', '/api/delete', { json: { model: 'no good' } });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toEqual({ error: 'name "no good" is invalid' });
  });

  it('POST /api/chat streams NDJSON message lines and a closing done line', async () => {
    await sim.setInstalled([{ name: 'llama3.2:3b' }]);
    const response = await sim.request('POST', '/api/chat', {
      json: { model: 'llama3.2:3b', messages: [{ role: 'user', content: 'Say <hi>' }] },
    });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-ndjson');
    // Go's encoder escapes < and > in JSON strings.
    expect(response.text).toContain('\\u003chi\\u003e');
    const lines = response.lines() as Entry[];
    const words = lines.slice(0, -1);
    expect(words.length).toBeGreaterThan(3);
    for (const line of words) {
      expect(line).toEqual(
        jasmine.objectContaining({
          model: 'llama3.2:3b',
          message: jasmine.objectContaining({ role: 'assistant' }),
          done: false,
        }),
      );
    }
    const last = lines.at(-1) as Entry;
    expect(last).toEqual(jasmine.objectContaining({ done: true, done_reason: 'stop' }));
    expect(last.eval_count).toBe(words.length);
    const text = words.map((line) => (line.message as Entry).content).join('');
    expect(text).toContain('You said: "Say <hi>"');
  });

  it('POST /api/chat with stream:false answers in one JSON object', async () => {
    await sim.setInstalled([{ name: 'llama3.2:3b' }]);
    const response = await sim.request('POST', '/api/chat', {
      json: { model: 'llama3.2:3b', stream: false, messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(response.contentType).toBe('application/json; charset=utf-8');
    const body = response.json() as Entry;
    expect(body.done).toBeTrue();
    expect(String((body.message as Entry).content)).toContain('hello');
  });

  it('POST /api/chat: 404 for a model that is not installed, 400 without one or for bad messages', async () => {
    const missing = await sim.request('POST', '/api/chat', {
      json: { model: 'nope', messages: [] },
    });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "model 'nope' not found" });
    const nameless = await sim.request('POST', '/api/chat', { json: { messages: [] } });
    expect(nameless.status).toBe(400);
    expect(nameless.json()).toEqual({ error: 'model is required' });
    await sim.setInstalled([{ name: 'llama3.2:3b' }]);
    const malformed = await sim.request('POST', '/api/chat', {
      json: { model: 'llama3.2:3b', messages: ['hi'] },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toEqual({
      error:
        'json: cannot unmarshal string into Go struct field ChatRequest.messages of type api.Message',
    });
  });

  it('GET /api/ps lists the models a chat loaded', async () => {
    await sim.setInstalled([{ name: 'llama3.2:3b' }, { name: 'idle:1b' }]);
    expect((await sim.request('GET', '/api/ps')).json()).toEqual({ models: [] });
    await sim.request('POST', '/api/chat', { json: { model: 'llama3.2:3b', messages: [] } });
    const { models } = (await sim.request('GET', '/api/ps')).json() as { models: Entry[] };
    expect(models.map((model) => model.name)).toEqual(['llama3.2:3b']);
    expect(Object.keys(models[0])).toContain('expires_at');
  });

  it('answers unknown paths and wrong methods like gin: 404 and 405 in plain text', async () => {
    const unknown = await sim.request('GET', '/api/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('404 page not found');
    const wrong = await sim.request('GET', '/api/pull');
    expect(wrong.status).toBe(405);
    expect(wrong.text).toBe('405 method not allowed');
  });

  it('refuses a foreign Host header with 403, like Ollama on loopback', async () => {
    const response = await sim.request('GET', '/api/version', {
      headers: { Host: 'evil.example.com' },
    });
    expect(response.status).toBe(403);
    const local = await sim.request('GET', '/api/version', {
      headers: { Host: 'localhost:11434' },
    });
    expect(local.status).toBe(200);
  });
});

describe('Simulator Bearer mode', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await Simulator.start({ token: 's3cret' });
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
  });

  it('answers 401 {"error":"unauthorized"} to /api requests without the right token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: 'Basic czNjcmV0' },
    ];
    for (const headers of attempts) {
      const response = await sim.request('GET', '/api/tags', { headers });
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthorized' });
    }
  });

  it('serves requests that carry it, and logs the header', async () => {
    const response = await sim.request('GET', '/api/tags', {
      headers: { Authorization: 'Bearer s3cret' },
    });
    expect(response.status).toBe(200);
    const [logged] = await sim.requests();
    expect(logged).toEqual(
      jasmine.objectContaining({
        method: 'GET',
        path: '/api/tags',
        authorization: 'Bearer s3cret',
      }),
    );
  });

  it('never protects the control API, and the token can be changed or dropped live', async () => {
    expect((await sim.state()).installed).toEqual([]);
    await sim.configure({ token: null });
    expect((await sim.request('GET', '/api/tags')).status).toBe(200);
    await sim.configure({ token: 'other' });
    const response = await sim.request('GET', '/api/tags', {
      headers: { Authorization: 'Bearer other' },
    });
    expect(response.status).toBe(200);
  });
});
