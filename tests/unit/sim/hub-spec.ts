import { useSimulator, type Simulator } from '../helpers/simulator.js';

interface Entry {
  type: string;
  path: string;
  size: number;
  lfs?: { size: number };
}

/** The metadata of a GGUF header as key → value (strings and whole numbers only). */
function readGguf(bytes: Uint8Array): Map<string, string | number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => ((at += 4), view.getUint32(at - 4, true));
  const u64 = () => ((at += 8), Number(view.getBigUint64(at - 8, true)));
  const text = () => {
    const length = u64();
    at += length;
    return new TextDecoder().decode(bytes.subarray(at - length, at));
  };
  expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GGUF');
  at = 4;
  expect(u32()).toBe(3);
  u64();
  const count = u64();
  const metadata = new Map<string, string | number>();
  for (let i = 0; i < count; i++) {
    const key = text();
    const type = u32();
    metadata.set(key, type === 8 ? text() : type === 10 ? u64() : u32());
  }
  return metadata;
}

describe('Simulator Hugging Face Hub', () => {
  const simulator = useSimulator();
  let sim: Simulator;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 1_000_000_000_000 });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    sim.request('GET', `/hf${path}`, { headers });

  it('searches GGUF repositories by name, sorted, limited, with the fields asked for', async () => {
    const all = await get('/api/models?search=llama&filter=gguf&sort=downloads');
    expect((all.json() as { id: string }[]).map((repo) => repo.id)).toEqual([
      'bartowski/Llama-3.2-3B-Instruct-GGUF',
      'bartowski/Meta-Llama-3.1-70B-Instruct-GGUF',
    ]);
    const unfiltered = await get('/api/models?search=llama&sort=downloads&limit=1');
    expect((unfiltered.json() as { id: string }[])[0].id).toBe('meta-llama/Llama-3.2-3B-Instruct');
    const [plain] = (await get('/api/models?search=gpt-oss')).json() as Record<string, unknown>[];
    expect(Object.keys(plain)).toEqual(
      jasmine.arrayWithExactContents([
        '_id',
        'id',
        'likes',
        'private',
        'downloads',
        'tags',
        'library_name',
        'createdAt',
        'modelId',
      ]),
    );
    const [expanded] = (
      await get('/api/models?search=gpt-oss&expand=gated&expand=lastModified&expand=author')
    ).json() as Record<string, unknown>[];
    expect(expanded).toEqual({
      _id: jasmine.any(String),
      id: 'ggml-org/gpt-oss-20b-GGUF',
      gated: false,
      lastModified: '2025-08-08T14:40:02.000Z',
      author: 'ggml-org',
    });
    expect((await get('/api/models?search=x&expand=nonsense')).status).toBe(400);
    expect((await get('/api/models?search=private')).json()).toEqual([]);
  });

  it('serves a model’s page, and 401 RepoNotFound for private and unknown ones', async () => {
    const page = (await get('/api/models/google/gemma-3-4b-it-qat-q4_0-gguf')).json() as Record<
      string,
      unknown
    >;
    expect(page.gated).toBe('manual');
    expect(page.gguf).toEqual({
      total: 3_880_263_168,
      architecture: 'gemma3',
      context_length: 131_072,
    });
    for (const id of ['paddock-test/Private-Llama-GGUF', 'nobody/Nothing']) {
      const refused = await get(`/api/models/${id}`);
      expect(refused.status).toBe(401);
      expect(refused.header('X-Error-Code')).toBe('RepoNotFound');
      expect(refused.json()).toEqual({ error: 'Repository not found' });
    }
  });

  it('lists a repository’s tree folder by folder, LFS sizes included, in pages', async () => {
    const root = (await get('/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main')).json() as Entry[];
    expect(root.find((entry) => entry.path === 'BF16')?.type).toBe('directory');
    const q4 = root.find((entry) => entry.path === 'Qwen3-30B-A3B-Q4_K_M.gguf')!;
    expect(q4).toEqual(
      jasmine.objectContaining({
        type: 'file',
        size: 18_556_685_696,
        lfs: jasmine.objectContaining({ size: 18_556_685_696 }),
      }),
    );
    const folder = (
      await get('/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main/BF16')
    ).json() as Entry[];
    expect(folder.map((entry) => entry.path)).toEqual([
      'BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf',
      'BF16/Qwen3-30B-A3B-BF16-00002-of-00002.gguf',
    ]);
    expect((await get('/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main/nothing')).status).toBe(
      404,
    );
    await sim.control('POST', 'hub', { pageSize: 2 });
    const first = await get('/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main');
    expect((first.json() as Entry[]).length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.header('Link') ?? '')?.[1] ?? '';
    expect(next).toBe(`${sim.url}/hf/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main?cursor=2`);
    // A gated repository lists its files; only their bytes are refused.
    expect((await get('/api/models/google/gemma-3-4b-it-qat-q4_0-gguf/tree/main')).status).toBe(
      200,
    );
  });

  it('serves a GGUF file’s header by range, after the Hub’s redirect', async () => {
    const path =
      '/bartowski/Llama-3.2-3B-Instruct-GGUF/resolve/main/Llama-3.2-3B-Instruct-Q4_K_M.gguf';
    const head = await get(path, { Range: 'bytes=0-65535' });
    expect(head.status).toBe(206);
    expect(head.header('Content-Range')).toBe('bytes 0-65535/2019377344');
    expect(head.bytes.length).toBe(65_536);
    const metadata = readGguf(head.bytes);
    expect(metadata.get('general.architecture')).toBe('llama');
    expect(metadata.get('general.file_type')).toBe(15);
    expect(metadata.get('llama.block_count')).toBe(28);
    expect(metadata.get('llama.attention.head_count_kv')).toBe(8);
    expect(metadata.get('general.parameter_count')).toBe(3_212_749_824);
    const tail = await get(path, { Range: 'bytes=-10' });
    expect(tail.header('Content-Range')).toBe('bytes 2019377334-2019377343/2019377344');
    expect((await get(path, { Range: 'bytes=3000000000-' })).status).toBe(416);
    const split = await get(
      '/unsloth/Qwen3-30B-A3B-GGUF/resolve/main/BF16/Qwen3-30B-A3B-BF16-00002-of-00002.gguf',
      { Range: 'bytes=0-4095' },
    );
    expect(readGguf(split.bytes).get('split.no')).toBe(1);
  });

  it('refuses a gated repository’s bytes, as the Hub does for a client not signed in', async () => {
    const gated = await get(
      '/google/gemma-3-4b-it-qat-q4_0-gguf/resolve/main/gemma-3-4b-it-q4_0.gguf',
      {
        Range: 'bytes=0-100',
      },
    );
    expect(gated.status).toBe(401);
    expect(gated.header('X-Error-Code')).toBe('GatedRepo');
    expect(gated.text).toContain(
      'Access to model google/gemma-3-4b-it-qat-q4_0-gguf is restricted',
    );
    const missing = await get('/unsloth/Qwen3-30B-A3B-GGUF/resolve/main/nope.gguf');
    expect(missing.status).toBe(404);
    expect(missing.header('X-Error-Code')).toBe('EntryNotFound');
  });

  it('limits requests with 429 and Retry-After when told to', async () => {
    await sim.control('POST', 'hub', { rateLimit: { retryAfter: 30 } });
    const limited = await get('/api/models?search=qwen');
    expect(limited.status).toBe(429);
    expect(limited.header('Retry-After')).toBe('30');
    await sim.reset();
    expect((await get('/api/models?search=qwen')).status).toBe(200);
  });

  it('lets tests add repositories, and logs Hub requests with their query', async () => {
    await sim.control('POST', 'hub', {
      repos: [
        {
          id: 'someone/Tiny-GGUF',
          downloads: 5,
          files: [{ path: 'tiny-Q4_K_M.gguf', size: 1000 }],
        },
      ],
    });
    const found = (await get('/api/models?search=tiny&filter=gguf')).json() as { id: string }[];
    expect(found.map((repo) => repo.id)).toEqual(['someone/Tiny-GGUF']);
    const requests = await sim.requests();
    expect(requests.map((request) => request.path)).toContain(
      '/hf/api/models?search=tiny&filter=gguf',
    );
  });

  it('pulls hf.co/ID:QUANT of its repositories, any case of the quant', async () => {
    await sim.control('POST', 'hub', {
      repos: [
        {
          id: 'someone/Tiny-GGUF',
          files: [
            { path: 'Tiny-Q4_K_M.gguf', size: 4000 },
            { path: 'Tiny-Q8_0.gguf', size: 8000 },
          ],
        },
      ],
    });
    const reply = await sim.request('POST', '/api/pull', {
      json: { model: 'hf.co/someone/Tiny-GGUF:q8_0' },
    });
    const lines = reply.lines() as Record<string, unknown>[];
    expect(lines.at(-1)).toEqual({ status: 'success' });
    expect(lines).toContain(jasmine.objectContaining({ total: 8000 }));
    const latest = await sim.request('POST', '/api/pull', {
      json: { model: 'hf.co/someone/Tiny-GGUF' },
    });
    expect(latest.lines()).toContain(jasmine.objectContaining({ total: 4000 }));
    const { models } = (await sim.request('GET', '/api/tags')).json() as {
      models: { name: string; details: { quantization_level: string } }[];
    };
    expect(models.map((model) => model.name)).toEqual(
      jasmine.arrayWithExactContents([
        'hf.co/someone/Tiny-GGUF:q8_0',
        'hf.co/someone/Tiny-GGUF:latest',
      ]),
    );
    expect(models.find((model) => model.name.endsWith(':q8_0'))?.details.quantization_level).toBe(
      'Q8_0',
    );
    const manifest = await sim.request('GET', '/v2/someone/Tiny-GGUF/manifests/Q4_K_M', {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.status).toBe(200);
  });

  it('fails hf.co pulls as Ollama reports the Hub’s refusals', async () => {
    const error = async (model: string) => {
      const lines = (await sim.request('POST', '/api/pull', { json: { model } })).lines() as {
        error?: string;
      }[];
      expect(lines[0]).toEqual({ status: 'pulling manifest' } as never);
      return lines.at(-1)?.error ?? '';
    };
    expect(await error('hf.co/google/gemma-3-4b-it-qat-q4_0-gguf:Q4_0')).toBe(
      'pull model manifest: 401: {"error":"Invalid username or password."}',
    );
    expect(await error('hf.co/paddock-test/Private-Llama-GGUF:Q4_K_M')).toContain('401');
    expect(await error('hf.co/unsloth/Qwen3-30B-A3B-GGUF:BF16')).toContain(
      'The specified tag is a sharded GGUF. Ollama does not support this yet.',
    );
    expect(await error('hf.co/unsloth/Qwen3-30B-A3B-GGUF:Q5_K_M')).toContain(
      'The specified tag is not available in the repository',
    );
    await sim.control('POST', 'hub', { rateLimit: { retryAfter: 5 } });
    expect(await error('hf.co/unsloth/Qwen3-30B-A3B-GGUF:Q4_K_M')).toMatch(
      /^pull model manifest: 429: /,
    );
  });
});
