import Gio from 'gi://Gio';

import { BlobHeaderReader } from '../../../src/fit/blob-header-reader.js';
import { BlobReadError, GgufHeaderError } from '../../../src/fit/errors.js';
import { CancelledError } from '../../../src/ollama/errors.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { REGISTRY_MODELS, weightsLayer } from './registry-models.js';

describe('Blob header reader', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let reader: BlobHeaderReader;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels(REGISTRY_MODELS);
    reader = new BlobHeaderReader();
  });

  async function read(model: string, tag: string) {
    const weights = await weightsLayer(sim, model, tag);
    return reader.read(`${sim.url}/v2/library/${model}/blobs/${weights.digest}`, weights.size);
  }

  it('follows the registry’s redirect and stops after one range of the blob store', async () => {
    const read8b = await read('qwen3', '8b');
    expect(read8b.facts).toEqual(
      jasmine.objectContaining({
        architecture: 'qwen3',
        blockCount: 36,
        embeddingLength: 4096,
        headCount: [32],
        headCountKv: [8],
        keyLength: 128,
        contextLength: 40960,
        vocabSize: 151936,
      }),
    );
    expect(read8b.requests).toBe(2);
    expect(read8b.bytes).toBeLessThanOrEqual(64 * 1024);
    const state = await sim.state();
    expect(state.blobRedirects).toBe(1);
    expect(state.blobReads).toBe(1);
  });

  it('reads gemma3’s key facts without its 262,144 tokens, and qwen3moe’s experts', async () => {
    const gemma = await read('gemma3', '4b');
    expect(gemma.facts).toEqual(
      jasmine.objectContaining({ architecture: 'gemma3', slidingWindow: 1024, vocabSize: 262144 }),
    );
    expect(gemma.bytes).toBeLessThanOrEqual(64 * 1024);
    const moe = await read('qwen3', '30b');
    expect(moe.facts).toEqual(
      jasmine.objectContaining({ architecture: 'qwen3moe', expertCount: 128, headCountKv: [4] }),
    );
  });

  it('asks for twice as much each time, straight at the blob store, until the keys are in', async () => {
    reader = new BlobHeaderReader({ firstRangeBytes: 256 });
    const gemma = await read('gemma3', '4b');
    expect(gemma.facts.vocabSize).toBe(262144);
    // 256 + 512 + 1024 bytes: the keys and the token count end within the first 1.8 KB.
    expect(gemma.requests).toBe(4);
    const state = await sim.state();
    expect(state.blobRedirects).toBe(1);
    expect(state.blobReads).toBe(3);
    expect(state.blobBytes).toBe(256 + 512 + 1024);
  });

  it('gives up once it has received its byte cap, the ranges included', async () => {
    reader = new BlobHeaderReader({ firstRangeBytes: 256, maxBytes: 1000 });
    await expectAsync(read('gemma3', '4b')).toBeRejectedWithError(
      GgufHeaderError,
      /the keys Paddock needs are not within its first 1[.,]0\skB/,
    );
    expect((await sim.state()).blobBytes).toBeLessThanOrEqual(1000);
  });

  it('sends no Authorization header anywhere, the blob store’s origin included', async () => {
    await read('llama3.2', '3b');
    const blobRequests = (await sim.requests()).filter((request) => request.path.includes('blobs'));
    expect(blobRequests.length).toBe(2);
    expect(blobRequests.map((request) => request.authorization)).toEqual([null, null]);
  });

  it('says so when the blob ends inside its header', async () => {
    await expectAsync(read('tiny', '1b')).toBeRejectedWithError(GgufHeaderError);
  });

  it('says so when the registry does not have the blob', async () => {
    const promise = reader.read(`${sim.url}/v2/library/tiny/blobs/sha256:${'0'.repeat(64)}`, 1000);
    await expectAsync(promise).toBeRejectedWithError(
      BlobReadError,
      /^Couldn’t read the model file’s header: 127\.0\.0\.1:\d+ does not have this file\.$/,
    );
  });

  it('stops when cancelled', async () => {
    const weights = await weightsLayer(sim, 'qwen3', '8b');
    await sim.configure({ registryLatencyMs: 60_000 });
    const cancellable = new Gio.Cancellable();
    const url = `${sim.url}/v2/library/qwen3/blobs/${weights.digest}`;
    const promise = reader.read(url, weights.size, cancellable);
    // The redirect is on its way when the simulator answers this.
    await sim.state();
    cancellable.cancel();
    await expectAsync(promise).toBeRejectedWithError(CancelledError);
  });
});
