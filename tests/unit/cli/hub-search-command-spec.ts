import { USAGE, runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import { HubClient } from '../../../src/hub/hub-client.js';
import { commandServices, capturedOutput } from '../helpers/command-services.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness } from '../pulls/pull-harness.js';

describe('CLI paddock search --hf', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();
  const run = (...args: string[]) => runCommand(['search', ...args], output, services);

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    harness = new PullHarness(sim);
    await harness.setUp();
    const hub = new HubClient({ url: `${sim.url}/hf` });
    services = commandServices(harness, { hub: () => hub });
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  it('lists matching repositories in aligned columns, gated ones marked', async () => {
    expect(await run('--hf', 'gemma')).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^REPOSITORY +DOWNLOADS +LIKES +UPDATED +ACCESS$/);
    expect(out[1]).toMatch(/^unsloth\/gemma-3-4b-it-GGUF +357K +121 +\d+ (months?|years?) ago$/);
    expect(out[2]).toMatch(/^google\/gemma-3-4b-it-qat-q4_0-gguf +210K +195 +.* ago +gated$/);
    const column = out[0].indexOf('DOWNLOADS');
    expect(out.slice(1).every((line) => /^ \S/.test(line.slice(column - 1)))).toBeTrue();
  });

  it('takes several words, and --limit', async () => {
    expect(await run('--hf', 'llama', '3.2')).toBe(0);
    expect(out.slice(1).map((line) => line.split(' ')[0])).toEqual([
      'bartowski/Llama-3.2-3B-Instruct-GGUF',
    ]);
    out.length = 0;
    expect(await run('--hf', 'GGUF', '--limit', '2')).toBe(0);
    expect(out.length).toBe(3);
    expect(await run('--hf', 'x', '--limit', '0')).toBe(2);
    expect(err.pop()).toContain('--limit takes a whole number from 1 to 100');
  });

  it('says when nothing matches', async () => {
    expect(await run('--hf', 'no-such-model')).toBe(0);
    expect(out).toEqual(['No GGUF repositories on Hugging Face match “no-such-model”.']);
  });

  it('prints stable JSON for a search', async () => {
    expect(await run('--hf', 'mistral', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({
      query: 'mistral',
      repos: [
        {
          id: 'TheBloke/Mistral-7B-Instruct-v0.2-GGUF',
          author: 'TheBloke',
          downloads: 98_765,
          likes: 2_741,
          last_modified: '2023-12-11T22:23:57.000Z',
          gated: false,
          private: false,
        },
      ],
    });
  });

  it('lists the quants of a repository, split files as one, the default marked', async () => {
    expect(await run('--hf', 'bartowski/Meta-Llama-3.1-70B-Instruct-GGUF')).toBe(0);
    expect(err).toEqual([]);
    // GLib writes sizes with a no-break space.
    expect(out.map((line) => line.replace(/\u00a0/g, ' '))).toEqual([
      'QUANT    SIZE      NOTE',
      'IQ2_M    24.1 GB',
      'Q3_K_M   34.3 GB',
      'Q6_K     38.0 GB   only 2 of 3 parts present',
      'Q4_K_M   42.5 GB   default',
      'Q8_0     75.0 GB   split in 2 files; Ollama cannot pull split files',
      'Pull the default with: paddock pull hf.co/bartowski/Meta-Llama-3.1-70B-Instruct-GGUF:Q4_K_M',
    ]);
  });

  it('chooses the closest quant when Q4_K_M cannot be pulled, and notes a vision projector', async () => {
    expect(await run('--hf', 'Qwen/Qwen2.5-7B-Instruct-GGUF')).toBe(0);
    expect(out.find((line) => line.startsWith('Q3_K_M'))).toMatch(/default$/);
    expect(out.find((line) => line.startsWith('Q4_K_M'))).toMatch(/split in 2 files/);
    out.length = 0;
    expect(await run('--hf', 'unsloth/gemma-3-4b-it-GGUF')).toBe(0);
    expect(out).toContain('Vision projector: mmproj-BF16.gguf');
  });

  it('prints stable JSON for a repository', async () => {
    expect(await run('--hf', 'unsloth/Qwen3-30B-A3B-GGUF', '--json')).toBe(0);
    const json = JSON.parse(out.join('\n')) as {
      repo: { id: string; gated: boolean };
      quants: Record<string, unknown>[];
      default: string;
      vision_projector: string | null;
    };
    expect(json.repo.id).toBe('unsloth/Qwen3-30B-A3B-GGUF');
    expect(json.default).toBe('Q4_K_M');
    expect(json.vision_projector).toBeNull();
    expect(json.quants.find((quant) => quant.name === 'Q4_K_M')).toEqual({
      name: 'Q4_K_M',
      size: 18_556_685_696,
      files: ['Qwen3-30B-A3B-Q4_K_M.gguf'],
      parts: 1,
      complete: true,
      pullable: true,
      default: true,
      pull_name: 'hf.co/unsloth/Qwen3-30B-A3B-GGUF:Q4_K_M',
    });
    expect(json.quants.find((quant) => quant.name === 'BF16')).toEqual(
      jasmine.objectContaining({ parts: 2, pullable: false, default: false, pull_name: null }),
    );
  });

  it('fails for a gated repository, saying why', async () => {
    expect(await run('--hf', 'google/gemma-3-4b-it-qat-q4_0-gguf')).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'error: “google/gemma-3-4b-it-qat-q4_0-gguf” is gated on Hugging Face: the Ollama server needs its own Hugging Face key registered for it, with access granted to this repository.',
    ]);
  });

  it('fails for a repository that does not exist, or that is private', async () => {
    expect(await run('--hf', 'nobody/Nothing-GGUF')).toBe(1);
    expect(err.pop()).toMatch(
      /^error: Hugging Face has no repository “nobody\/Nothing-GGUF”, or it is private/,
    );
    await sim.setFaults([{ on: 'hub', kind: 'http-status', status: 404 }]);
    expect(await run('--hf', 'nobody/Gone-GGUF')).toBe(1);
    expect(err.pop()).toBe('error: Hugging Face has no repository “nobody/Gone-GGUF”.');
  });

  it('says how long to wait when the Hub limits requests', async () => {
    await sim.control('POST', 'hub', { rateLimit: { retryAfter: 42 } });
    expect(await run('--hf', 'qwen')).toBe(1);
    expect(err).toEqual(['error: Hugging Face is limiting requests; try again in 42 s.']);
  });

  it('says when the Hub cannot be reached', async () => {
    const offline = new HubClient({ url: 'http://127.0.0.1:1' });
    services = commandServices(harness, { hub: () => offline });
    expect(await run('--hf', 'unsloth/Qwen3-30B-A3B-GGUF')).toBe(1);
    expect(err).toEqual([
      'error: Hugging Face at 127.0.0.1:1 refused the connection. Check the address.',
    ]);
  });

  it('refuses what is neither text nor a repository name', async () => {
    expect(await run('--hf')).toBe(2);
    expect(err.pop()).toMatch(
      /^error: search --hf needs the text to look for.*\(usage: paddock search/,
    );
    expect(await run('--hf', 'a/b/c')).toBe(2);
    expect(err.pop()).toContain('“a/b/c” is not a Hugging Face repository name');
    expect(await run('--hf', 'unsloth/Qwen3-30B-A3B-GGUF', '--limit', '3')).toBe(2);
    expect(await run('--hf', '--help')).toBe(0);
    expect(out.pop()).toContain('paddock search --hf TEXT|ID');
    expect(USAGE).toContain('paddock search --hf ID');
  });

  it('never puts the Hub’s text raw on the terminal', async () => {
    await sim.control('POST', 'hub', {
      repos: [
        { id: 'evil/\u001b]0;pwned\u0007Llama-GGUF', files: [], downloads: 9e9 },
        { id: 'fine/Llama-GGUF', files: [{ path: 'a\u001b[2J-Q4_K_M.gguf', size: 1 }] },
      ],
    });
    expect(await run('--hf', 'llama')).toBe(0);
    expect(await run('--hf', 'fine/Llama-GGUF')).toBe(0);
    await sim.setFaults([
      { on: 'hub', kind: 'http-status', status: 500, body: '{"error":"\\u001b[31m<b>boom</b>"}' },
    ]);
    expect(await run('--hf', 'fine/Other-GGUF')).toBe(1);
    expect(err).toEqual([
      'error: Hugging Face at ' +
        sim.url.replace('http://', '') +
        ' failed: <b>boom</b> (HTTP 500). Try again later.',
    ]);
    // eslint-disable-next-line no-control-regex -- looking for escape characters is the point
    for (const line of [...out, ...err]) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out.join('\n')).not.toContain('pwned');
  });
});
