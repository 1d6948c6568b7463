import { useSimulator, type Simulator } from '../helpers/simulator.js';

const ACCEPT = { Accept: 'application/vnd.docker.distribution.manifest.v2+json' };
const QWEN3_8B = 5_225_374_048;

interface Manifest {
  layers: { mediaType: string; digest: string; size: number }[];
  config?: { digest: string; size: number };
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

describe('Simulator registry blobs', () => {
  const simulator = useSimulator();
  let sim: Simulator;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.addModels([
      {
        name: 'qwen3:8b',
        layers: [
          { size: QWEN3_8B },
          { size: 561, mediaType: 'application/vnd.docker.container.image.v1+json' },
        ],
        details: { family: 'qwen3' },
      },
      { name: 'gemma3:4b', layers: [{ size: 3_338_801_804 }], details: { family: 'gemma3' } },
      { name: 'qwen3:30b', layers: [{ size: 18_556_688_736 }], details: { family: 'qwen3moe' } },
      { name: 'tiny:1b', layers: [{ size: 1000 }] },
      {
        name: 'qwen3:32b',
        layers: [{ size: 20_201_216_384 }],
        details: { family: 'qwen3', parameter_size: '32.8B' },
      },
    ]);
  });

  async function weightsOf(path: string): Promise<{ digest: string; size: number }> {
    const manifest = (await sim.request('GET', path, { headers: ACCEPT })).json() as Manifest;
    return manifest.layers[0];
  }

  async function location(model: string, digest: string): Promise<string> {
    const answer = await sim.request('GET', `/v2/library/${model}/blobs/${digest}`, {
      noRedirect: true,
    });
    expect(answer.status).toBe(307);
    return answer.header('Location') ?? '';
  }

  it('redirects a blob to a blob store on another origin, which honours Range', async () => {
    const weights = await weightsOf('/v2/library/qwen3/manifests/8b');
    const store = await location('qwen3', weights.digest);
    const hex = weights.digest.slice('sha256:'.length);
    expect(store).toMatch(
      new RegExp(
        `^http://localhost:\\d+/registry-v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data\\?`,
      ),
    );
    expect(store.startsWith(sim.url)).toBeFalse();
    const part = await sim.request('GET', store, { headers: { Range: 'bytes=0-1023' } });
    expect(part.status).toBe(206);
    expect(part.header('Content-Range')).toBe(`bytes 0-1023/${weights.size}`);
    expect(part.header('Accept-Ranges')).toBe('bytes');
    expect(part.bytes.length).toBe(1024);
    const state = await sim.state();
    expect(state.blobRedirects).toBe(1);
    expect(state.blobReads).toBe(1);
    expect(state.blobBytes).toBe(1024);
  });

  it('starts a weights blob with a GGUF v3 header: architecture keys, then the tokenizer’s lists', async () => {
    for (const [model, tag, arch] of [
      ['qwen3', '8b', 'qwen3'],
      ['gemma3', '4b', 'gemma3'],
      ['qwen3', '30b', 'qwen3moe'],
    ]) {
      const weights = await weightsOf(`/v2/library/${model}/manifests/${tag}`);
      const store = await location(model, weights.digest);
      const head = await sim.request('GET', store, { headers: { Range: 'bytes=0-65535' } });
      const view = new DataView(head.bytes.buffer, head.bytes.byteOffset);
      expect(latin1(head.bytes.subarray(0, 4))).toBe('GGUF');
      expect(view.getUint32(4, true)).toBe(3);
      expect(Number(view.getBigUint64(8, true))).toBeGreaterThan(100);
      const text = latin1(head.bytes);
      // general.architecture first, as llama.cpp writes it.
      expect(text.slice(24, 64)).toContain(`general.architecture\u0008\u0000\u0000\u0000`);
      const tokens = text.indexOf('tokenizer.ggml.tokens');
      for (const key of [
        'block_count',
        'embedding_length',
        'attention.head_count_kv',
        'context_length',
      ])
        expect(text.indexOf(`${arch}.${key}`)).toBeLessThan(tokens);
      expect(text.includes(`${arch}.attention.key_length`)).toBeTrue();
      if (arch === 'gemma3') expect(text).toContain('gemma3.attention.sliding_window');
      if (arch === 'qwen3moe') expect(text).toContain('qwen3moe.expert_count');
    }
  });

  it('writes the shape of the size: qwen3:32b has its own layers and width, not 8b’s', async () => {
    const weights = await weightsOf('/v2/library/qwen3/manifests/32b');
    const store = await location('qwen3', weights.digest);
    const head = await sim.request('GET', store, { headers: { Range: 'bytes=0-4095' } });
    const view = new DataView(head.bytes.buffer, head.bytes.byteOffset);
    const text = latin1(head.bytes);
    // A key, its value type (4: uint32), its value.
    const u32After = (key: string) => {
      const at = text.indexOf(`${key}\u0004\u0000\u0000\u0000`);
      expect(at).withContext(key).toBeGreaterThan(0);
      return view.getUint32(at + key.length + 4, true);
    };
    expect(u32After('qwen3.block_count')).toBe(64);
    expect(u32After('qwen3.embedding_length')).toBe(5120);
    expect(u32After('qwen3.attention.head_count')).toBe(64);
  });

  it('serves the rest of the blob virtually: zeros after the header, any range of it', async () => {
    const weights = await weightsOf('/v2/library/qwen3/manifests/8b');
    const store = await location('qwen3', weights.digest);
    const tail = await sim.request('GET', store, { headers: { Range: 'bytes=-16' } });
    expect(tail.status).toBe(206);
    expect(tail.header('Content-Range')).toBe(`bytes ${QWEN3_8B - 16}-${QWEN3_8B - 1}/${QWEN3_8B}`);
    expect([...tail.bytes]).toEqual(new Array(16).fill(0));
    const beyond = await sim.request('GET', store, { headers: { Range: `bytes=${QWEN3_8B}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.header('Content-Range')).toBe(`bytes */${QWEN3_8B}`);
    const config = (
      (
        await sim.request('GET', '/v2/library/qwen3/manifests/8b', { headers: ACCEPT })
      ).json() as Manifest
    ).config;
    const whole = await sim.request('GET', await location('qwen3', config?.digest ?? ''));
    expect(whole.status).toBe(200);
    expect(whole.bytes.length).toBe(561);
  });

  it('cuts the header of a blob smaller than it, and refuses digests it does not have', async () => {
    const weights = await weightsOf('/v2/library/tiny/manifests/1b');
    const whole = await sim.request('GET', await location('tiny', weights.digest));
    expect(whole.bytes.length).toBe(1000);
    expect(latin1(whole.bytes.subarray(0, 4))).toBe('GGUF');
    const unknown = await sim.request('GET', `/v2/library/tiny/blobs/sha256:${'0'.repeat(64)}`, {
      noRedirect: true,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({
      errors: [
        {
          code: 'BLOB_UNKNOWN',
          message: 'blob unknown to registry',
          detail: `sha256:${'0'.repeat(64)}`,
        },
      ],
    });
  });
});
