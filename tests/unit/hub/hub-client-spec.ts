import Gio from 'gi://Gio';

import { HubError } from '../../../src/hub/errors.js';
import { accessProblem, HubClient } from '../../../src/hub/hub-client.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useSimulator } from '../helpers/simulator.js';

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

describe('Hub client', () => {
  const sim = useSimulator();
  let hub: HubClient;

  beforeEach(async () => {
    await sim().reset();
    hub = new HubClient({ url: `${sim().url}/hf` });
  });

  const hubRequests = async () =>
    (await sim().requests()).filter((request) => request.path.startsWith('/hf/'));

  it('searches GGUF repositories, the most downloaded first, with the fields it asks for', async () => {
    const repos = await hub.search('llama', { limit: 10 });
    expect(repos.map((repo) => repo.id)).toEqual([
      'bartowski/Llama-3.2-3B-Instruct-GGUF',
      'bartowski/Meta-Llama-3.1-70B-Instruct-GGUF',
    ]);
    expect(repos[0]).toEqual({
      id: 'bartowski/Llama-3.2-3B-Instruct-GGUF',
      author: 'bartowski',
      downloads: 1_234_567,
      likes: 180,
      lastModified: '2024-10-07T15:32:10.000Z',
      gated: false,
      private: false,
    });
    const [request] = await hubRequests();
    expect(request.path).toContain(
      '/hf/api/models?search=llama&filter=gguf&sort=downloads&limit=10',
    );
    expect(request.path).toContain('expand=gated');
    const gated = await hub.search('gemma');
    expect(gated.find((repo) => repo.id === 'google/gemma-3-4b-it-qat-q4_0-gguf')?.gated).toBe(
      'manual',
    );
  });

  it('keeps answers for the session, per query and per repository', async () => {
    await hub.search('qwen');
    await hub.search('  QWEN ');
    await hub.files('unsloth/Qwen3-30B-A3B-GGUF');
    await hub.quants('unsloth/Qwen3-30B-A3B-GGUF');
    await hub.repo('unsloth/Qwen3-30B-A3B-GGUF');
    await hub.repo('unsloth/Qwen3-30B-A3B-GGUF');
    const paths = (await hubRequests()).map((request) => request.path.replace(/\?.*/, ''));
    expect(paths).toEqual([
      '/hf/api/models',
      '/hf/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main',
      '/hf/api/models/unsloth/Qwen3-30B-A3B-GGUF/tree/main/BF16',
      '/hf/api/models/unsloth/Qwen3-30B-A3B-GGUF',
    ]);
  });

  it('does not keep failures', async () => {
    await sim().control('POST', 'hub', { rateLimit: { retryAfter: 30 } });
    await failure(hub.search('qwen'));
    await sim().control('POST', 'hub', { rateLimit: null });
    expect((await hub.search('qwen')).length).toBeGreaterThan(0);
  });

  it('walks folders and the pages of a listing', async () => {
    await sim().control('POST', 'hub', { pageSize: 2 });
    const files = await hub.files('bartowski/Meta-Llama-3.1-70B-Instruct-GGUF');
    expect(files.map((file) => file.path).sort()).toEqual([
      '.gitattributes',
      'Meta-Llama-3.1-70B-Instruct-IQ2_M.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q3_K_M.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q6_K/Meta-Llama-3.1-70B-Instruct-Q6_K-00001-of-00003.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q6_K/Meta-Llama-3.1-70B-Instruct-Q6_K-00003-of-00003.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q8_0/Meta-Llama-3.1-70B-Instruct-Q8_0-00001-of-00002.gguf',
      'Meta-Llama-3.1-70B-Instruct-Q8_0/Meta-Llama-3.1-70B-Instruct-Q8_0-00002-of-00002.gguf',
      'README.md',
    ]);
    expect(files.find((file) => file.path.endsWith('Q4_K_M.gguf'))?.size).toBe(42_520_395_328);
  });

  it('lists a repository’s quants, split files as one, the default chosen', async () => {
    const list = await hub.quants('unsloth/Qwen3-30B-A3B-GGUF');
    expect(list.quants.map((quant) => quant.name)).toEqual([
      'UD-IQ1_S',
      'UD-Q2_K_XL',
      'UD-Q4_K_XL',
      'Q4_K_M',
      'Q8_0',
      'BF16',
    ]);
    expect(list.quants[5].size).toBe(49_860_230_272 + 11_216_578_144);
    expect(list.preferred?.name).toBe('Q4_K_M');
    const vision = await hub.quants('unsloth/gemma-3-4b-it-GGUF');
    expect(vision.visionProjector?.path).toBe('mmproj-BF16.gguf');
  });

  it('drops entries whose id or path is not what the Hub allows', async () => {
    await sim().control('POST', 'hub', {
      repos: [
        { id: 'evil/\u001b[31mLlama-GGUF', files: [], downloads: 9e9 },
        { id: '<b>bold</b>/llama-GGUF', files: [], downloads: 9e9 },
        {
          id: 'fine/llama-GGUF',
          files: [
            { path: 'ok-Q4_K_M.gguf', size: 5 },
            { path: 'bad-\u001b]8;;x\u0007-Q8_0.gguf', size: 5 },
          ],
        },
      ],
    });
    const repos = await hub.search('llama');
    expect(repos.map((repo) => repo.id)).not.toContain(jasmine.stringMatching(/evil|bold/));
    const files = await hub.files('fine/llama-GGUF');
    expect(files.map((file) => file.path)).toEqual(['ok-Q4_K_M.gguf']);
  });

  it('says when a repository does not exist or is private', async () => {
    const missing = await failure(hub.repo('nobody/Nothing-GGUF'));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain('Hugging Face has no repository “nobody/Nothing-GGUF”');
    const hidden = await failure(hub.files('paddock-test/Private-Llama-GGUF'));
    expect(hidden.kind).toBe('not-found');
    await sim().setFaults([{ on: 'hub', kind: 'http-status', status: 404 }]);
    const plain = await failure(hub.repo('someone/Gone-GGUF'));
    expect(plain.kind).toBe('not-found');
    expect(plain.message).toBe('Hugging Face has no repository “someone/Gone-GGUF”.');
  });

  it('tells gated and private repositories apart from the others', async () => {
    const repo = await hub.repo('google/gemma-3-4b-it-qat-q4_0-gguf');
    expect(repo.gated).toBe('manual');
    const problem = accessProblem(repo);
    expect(problem?.kind).toBe('gated');
    expect(problem?.message).toContain(
      'is gated on Hugging Face: the Ollama server needs its own Hugging Face key registered for it',
    );
    expect(accessProblem(await hub.repo('bartowski/Llama-3.2-3B-Instruct-GGUF'))).toBeNull();
    expect(accessProblem({ ...repo, gated: false, private: true })?.kind).toBe('private');
    await sim().setFaults([
      { on: 'hub', kind: 'http-status', status: 403, body: '{"error":"no"}' },
    ]);
    const refused = await failure(hub.files('someone/Locked-GGUF'));
    expect(refused.kind).toBe('gated');
    expect(refused.message).toContain('(HTTP 403): it is gated or private');
  });

  it('says how long to wait when the Hub limits requests', async () => {
    await sim().control('POST', 'hub', { rateLimit: { retryAfter: 30 } });
    const limited = await failure(hub.search('qwen'));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterSeconds).toBe(30);
    expect(limited.message).toBe('Hugging Face is limiting requests; try again in 30 s.');
    // Retry-After may be a date: the wait is counted on the clock's wall time.
    const clock = new ManualClock();
    const dated = new HubClient({ url: `${sim().url}/hf`, clock });
    const later = new Date(clock.wallNow() + 90_000).toUTCString();
    await sim().control('POST', 'hub', { rateLimit: { retryAfter: later } });
    expect((await failure(dated.search('qwen'))).retryAfterSeconds).toBe(90);
    await sim().control('POST', 'hub', { rateLimit: {} });
    const unsaid = await failure(hub.repo('unsloth/Qwen3-30B-A3B-GGUF'));
    expect(unsaid.message).toBe('Hugging Face is limiting requests; try again in a moment.');
  });

  it('says when the Hub cannot be reached or does not answer in time', async () => {
    const offline = new HubClient({ url: 'http://127.0.0.1:1/hf' });
    const refused = await failure(offline.search('qwen'));
    expect(refused.kind).toBe('offline');
    expect(refused.message).toBe(
      'Hugging Face at 127.0.0.1:1 refused the connection. Check the address.',
    );
    const clock = new ManualClock();
    const slow = new HubClient({ url: `${sim().url}/hf`, clock, timeoutSeconds: 5 });
    await sim().setFaults([{ on: 'hub', kind: 'stall' }]);
    const pending = failure(slow.search('qwen'));
    await sim().state();
    clock.advance(5000);
    const late = await pending;
    expect(late.kind).toBe('offline');
    expect(late.message).toContain('did not answer within 5 seconds');
  });

  it('reports a reply it cannot read, and leaves cancelling to the caller', async () => {
    await sim().setFaults([{ on: 'hub', kind: 'not-ollama' }]);
    const html = await failure(hub.search('qwen'));
    expect(html.kind).toBe('failed');
    expect(html.message).toContain('cannot read (the answer is not JSON)');
    const cancellable = new Gio.Cancellable();
    cancellable.cancel();
    await expectAsync(hub.search('mistral', { cancellable })).toBeRejectedWith(
      jasmine.objectContaining({ code: Gio.IOErrorEnum.CANCELLED }),
    );
  });

  it('names the address of a file’s bytes', () => {
    expect(
      hub.resolveUrl('unsloth/Qwen3-30B-A3B-GGUF', 'BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf'),
    ).toBe(
      `${sim().url}/hf/unsloth/Qwen3-30B-A3B-GGUF/resolve/main/BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf`,
    );
    expect(() => hub.resolveUrl('no-slash', 'x.gguf')).toThrowError(HubError);
  });
});
