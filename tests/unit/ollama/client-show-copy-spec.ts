import { OllamaClient } from '../../../src/ollama/client.js';
import {
  HttpError,
  InvalidModelNameError,
  MalformedReplyError,
} from '../../../src/ollama/errors.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { Simulator } from '../helpers/simulator.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Ollama client show and copy', () => {
  let sim: Simulator;
  let client: OllamaClient;

  beforeAll(async () => {
    sim = await Simulator.start();
  });

  afterAll(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    await sim.reset();
    await sim.setInstalled([
      { name: 'gemma3:4b', details: { family: 'gemma3', parameter_size: '4.3B' } },
      { name: 'qwen3:8b', details: { family: 'qwen3', parameter_size: '8.2B' } },
    ]);
    client = new OllamaClient({ baseUrl: sim.url, clock: new ManualClock() });
  });

  afterEach(() => {
    client.close();
  });

  it('reads a verbose reply with a 262,144-token vocabulary down to the facts', async () => {
    const shown = await client.show('gemma3:4b', { verbose: true });
    const [request] = await sim.requests();
    expect(request.body).toEqual({ model: 'gemma3:4b', verbose: true });
    expect(shown.model_info).toEqual({
      architecture: 'gemma3',
      parameter_count: 4_300_000_000,
      context_length: 131072,
      embedding_length: 2560,
      block_count: 34,
      head_count: 8,
      head_count_kv: 4,
    });
    expect(shown.license).toContain('GEMMA3 MODEL LICENCE');
    expect(shown.modelfile).toContain('FROM ');
    expect(shown.modified_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('sends no verbose flag by default, and the plain reply has the same facts', async () => {
    const plain = await client.show('qwen3:8b');
    const verbose = await client.show('qwen3:8b', { verbose: true });
    expect(plain.model_info).toEqual(verbose.model_info);
    expect(plain.model_info.context_length).toBe(40960);
    const [request] = await sim.requests();
    expect(request.body).toEqual({ model: 'qwen3:8b' });
  });

  it('refuses a reply whose facts have the wrong type, naming the server', async () => {
    await sim.setInstalled([
      { name: 'odd:1b', show: { model_info: { 'general.architecture': '<i>x</i>' } } },
    ]);
    const error = await rejection(client.show('odd:1b'));
    expect(error).toBeInstanceOf(MalformedReplyError);
    expect((error as MalformedReplyError).message).toContain(client.host);
  });

  it('copies a model, and the copy lists with the same digest', async () => {
    await client.copy('qwen3:8b', 'my-qwen:latest');
    const [request] = await sim.requests();
    expect(request).toEqual(
      jasmine.objectContaining({
        method: 'POST',
        path: '/api/copy',
        body: { source: 'qwen3:8b', destination: 'my-qwen:latest' },
      }),
    );
    const models = await client.tags();
    const copy = models.find((model) => model.name === 'my-qwen:latest');
    const original = models.find((model) => model.name === 'qwen3:8b');
    expect(copy?.digest).toBe(original?.digest);
  });

  it('reports a missing source as HTTP 404 with the server text', async () => {
    const error = await rejection(client.copy('nope:1b', 'other:1b'));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((error as HttpError).serverText).toBe('model "nope:1b" not found');
    expect((error as HttpError).retryable).toBeFalse();
  });

  it('checks both names before sending, and reports the server’s 400 as HttpError', async () => {
    expect(await rejection(client.copy('qwen3:8b', 'no good'))).toBeInstanceOf(
      InvalidModelNameError,
    );
    expect(await rejection(client.copy('a/b/c/d', 'x'))).toBeInstanceOf(InvalidModelNameError);
    expect(await sim.requests()).toEqual([]);

    await sim.setFaults([
      {
        on: 'copy',
        kind: 'http-status',
        status: 400,
        body: '{"error":"destination \\"x\\" is invalid"}',
      },
    ]);
    const error = await rejection(client.copy('qwen3:8b', 'x'));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).serverText).toBe('destination "x" is invalid');
  });
});
