import Gio from 'gi://Gio';

import { GenerationStats } from '../../../src/library/generation-stats.js';
import { OllamaClient } from '../../../src/ollama/client.js';
import {
  CancelledError,
  HttpError,
  InvalidModelNameError,
  MalformedReplyError,
  StreamError,
} from '../../../src/ollama/errors.js';
import type { GenerateChunk } from '../../../src/ollama/types.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Ollama client loading, generate and embed', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let client: OllamaClient;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.configure({ tickMs: 2 });
    await sim.setInstalled([
      { name: 'qwen3:8b', size: 5_000_000_000 },
      { name: 'nomic-embed-text:latest', size: 274_000_000, capabilities: ['embedding'] },
    ]);
    client = new OllamaClient({ baseUrl: sim.url, clock: new ManualClock() });
  });

  afterEach(() => {
    client.close();
  });

  const generateBodies = async () =>
    (await sim.requests())
      .filter((request) => request.path === '/api/generate')
      .map((request) => request.body);

  it('loads, keeps loaded and unloads with a generate without a prompt', async () => {
    await client.load('qwen3:8b');
    let [model] = await client.ps();
    expect(model.name).toBe('qwen3:8b');
    expect(Date.parse(model.expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    await client.keepLoaded('qwen3:8b');
    [model] = await client.ps();
    expect(model.expires_at.startsWith('2318-')).toBeTrue();
    await client.load('qwen3:8b', '10m');
    await client.unload('qwen3:8b');
    expect(await client.ps()).toEqual([]);
    expect(await generateBodies()).toEqual([
      { model: 'qwen3:8b' },
      { model: 'qwen3:8b', keep_alive: -1 },
      { model: 'qwen3:8b', keep_alive: '10m' },
      { model: 'qwen3:8b', keep_alive: 0 },
    ]);
  });

  it('waits as long as loading takes once the request is sent: a big model needs minutes', async () => {
    const clock = new ManualClock();
    const patient = new OllamaClient({ baseUrl: sim.url, clock, timeoutSeconds: 1 });
    await sim.setFaults([{ on: 'generate', kind: 'delay', ms: 300 }]);
    const loading = patient.load('qwen3:8b');
    while ((await sim.requests()).length === 0);
    clock.advance(60_000);
    await expectAsync(loading).toBeResolved();
    patient.close();
  });

  it('reports the share on the GPU as the server gives it', async () => {
    await sim.setGpuShare(0.25);
    await client.load('qwen3:8b');
    const [model] = await client.ps();
    expect(model.size_vram / model.size).toBeCloseTo(0.25, 6);
    expect(model.context_length).toBe(4096);
  });

  it('says which model the server does not have, and checks names before sending', async () => {
    const missing = await rejection(client.unload('gone:1b'));
    expect(missing).toBeInstanceOf(HttpError);
    expect((missing as HttpError).status).toBe(404);
    expect((missing as HttpError).serverText).toBe("model 'gone:1b' not found");
    expect(await rejection(client.load('a/b/c/d'))).toBeInstanceOf(InvalidModelNameError);
    expect(await rejection(client.generate('bad name', 'x', () => {}))).toBeInstanceOf(
      InvalidModelNameError,
    );
    expect(await generateBodies()).toEqual([{ model: 'gone:1b', keep_alive: 0 }]);
  });

  it('streams a generated answer and hands back the last line with its timings', async () => {
    const chunks: GenerateChunk[] = [];
    const last = await client.generate('qwen3:8b', 'Hello?', (chunk) => chunks.push(chunk));
    expect(last.done).toBeTrue();
    expect(last.done_reason).toBe('stop');
    expect(chunks[chunks.length - 1]).toEqual(last);
    expect(chunks.map((chunk) => chunk.response).join('')).toContain('You said: "Hello?"');
    const stats = GenerationStats.fromTimings(last);
    expect(stats.tokensPerSecond).toBeCloseTo(40, 6);
    expect(stats.loadMs).toBeGreaterThan(0);
    expect(await generateBodies()).toEqual([{ model: 'qwen3:8b', prompt: 'Hello?', stream: true }]);
  });

  it('stops a generate when cancelled (Stop), closing the stream', async () => {
    await sim.configure({ tickMs: 50 });
    const cancellable = new Gio.Cancellable();
    const chunks: GenerateChunk[] = [];
    const error = await rejection(
      client.generate(
        'qwen3:8b',
        'Hello?',
        (chunk) => {
          chunks.push(chunk);
          if (chunks.length === 2) cancellable.cancel();
        },
        cancellable,
      ),
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(chunks.length).toBe(2);
  });

  it('reports a generate that fails mid-way, and one the model cannot do', async () => {
    await sim.setFaults([{ on: 'generate', kind: 'mid-stream-error', afterBytes: 100 }]);
    const chunks: GenerateChunk[] = [];
    expect(
      await rejection(client.generate('qwen3:8b', 'x', (chunk) => chunks.push(chunk))),
    ).toBeInstanceOf(StreamError);
    expect(chunks.length).toBeGreaterThan(0);
    const embedding = await rejection(client.generate('nomic-embed-text', 'x', () => {}));
    expect((embedding as HttpError).status).toBe(400);
    expect((embedding as HttpError).serverText).toBe(
      '"nomic-embed-text" does not support generate',
    );
  });

  it('embeds text and says how long the vector is', async () => {
    expect(await client.embed('nomic-embed-text', 'Why is the sky blue?')).toEqual(
      jasmine.objectContaining({ model: 'nomic-embed-text', count: 1, dimensions: 768 }),
    );
    const missing = await rejection(client.embed('gone:1b', 'x'));
    expect((missing as HttpError).status).toBe(404);
  });

  it('refuses hostile /api/ps and embed replies with a clear error', async () => {
    await sim.setFaults([
      {
        on: 'ps',
        kind: 'http-status',
        status: 200,
        body: JSON.stringify({
          models: [{ name: 'x', size: 1, expires_at: '\u001b[31mred', size_vram: 1 }],
        }),
      },
      {
        on: 'embed',
        kind: 'http-status',
        status: 200,
        body: JSON.stringify({ embeddings: [[1, 2], 'three'] }),
      },
    ]);
    const ps = await rejection(client.ps());
    expect(ps).toBeInstanceOf(MalformedReplyError);
    expect((ps as MalformedReplyError).detail).toBe(
      'models[0].expires_at is "\\u001b[31mred", not a time',
    );
    const embed = await rejection(client.embed('nomic-embed-text', 'x'));
    expect((embed as MalformedReplyError).detail).toBe('the reply.embeddings[1] is not a list');
  });
});
