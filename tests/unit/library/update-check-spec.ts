import Gio from 'gi://Gio';

import { UpdateCheck, type UpdateResult } from '../../../src/library/update-check.js';
import { CancelledError } from '../../../src/ollama/errors.js';
import { ModelName } from '../../../src/ollama/model-name.js';
import { OllamaClient } from '../../../src/ollama/client.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { listNames, makeTempDir, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { until } from '../pulls/pull-harness.js';

const CONFIG_BLOB = 'application/vnd.docker.container.image.v1+json';
const HOUR = 3600 * 1000;

function small(name: string) {
  return { name, layers: [{ size: 1000 }, { size: 50, mediaType: CONFIG_BLOB }] };
}

describe('UpdateCheck', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let clock: ManualClock;
  let dataDir: Gio.File;
  let client: OllamaClient;

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.configure({ tickMs: 2, bytesPerTick: 1_000_000_000 });
    await sim.addModels([
      small('tiny:1b'),
      small('other:2b'),
      small('hf.co/someone/Thing-GGUF:Q4_K_M'),
    ]);
    await sim.setInstalled([
      { name: 'tiny:1b' },
      { name: 'other:2b' },
      { name: 'hf.co/someone/Thing-GGUF:Q4_K_M' },
    ]);
    clock = new ManualClock();
    dataDir = makeTempDir();
    client = new OllamaClient({ baseUrl: sim.url });
  });

  afterEach(() => {
    client.close();
    removeTree(dataDir);
  });

  function checker(options: { override?: string; concurrency?: number } = {}): UpdateCheck {
    return new UpdateCheck({
      registryOverride: options.override ?? sim.url,
      dataDir,
      clock,
      concurrency: options.concurrency,
    });
  }

  async function manifestRequests(): Promise<number> {
    return (await sim.requests()).filter((request) => request.path.startsWith('/v2/')).length;
  }

  function states(results: Map<string, UpdateResult>): Record<string, string> {
    return Object.fromEntries(
      [...results].map(([name, result]) => [
        name,
        result.reason ? `${result.state}: ${result.reason}` : result.state,
      ]),
    );
  }

  it('finds every model pulled from the registry up to date, asking with the manifest Accept header', async () => {
    const results = await checker().check(await client.tags());
    expect(states(results)).toEqual({
      'tiny:1b': 'up-to-date',
      'other:2b': 'up-to-date',
      'hf.co/someone/Thing-GGUF:Q4_K_M': 'up-to-date',
    });
    expect(results.get('tiny:1b')!.checkedAt).toBe(clock.wallNow());
    const paths = (await sim.requests()).map((request) => request.path);
    expect(paths).toContain('/v2/library/tiny/manifests/1b');
    expect(paths).toContain('/v2/someone/Thing-GGUF/manifests/Q4_K_M');
  });

  it('finds a model outdated once a new version is published, and up to date after pulling it again', async () => {
    await sim.publish('tiny:1b');
    const check = checker();
    const results = await check.check(await client.tags(), { force: true });
    expect(results.get('tiny:1b')!.state).toBe('outdated');
    expect(results.get('other:2b')!.state).toBe('up-to-date');
    await sim.request('POST', '/api/pull', { json: { model: 'tiny:1b' } });
    const before = await manifestRequests();
    // The answer is still fresh: the new digest alone makes it up to date.
    const after = await check.check(await client.tags());
    expect(after.get('tiny:1b')!.state).toBe('up-to-date');
    expect(await manifestRequests()).toBe(before);
  });

  it('says unknown, never outdated, for a model the registry does not have (made locally: 404)', async () => {
    await sim.setInstalled([{ name: 'mine:latest' }, { name: 'tiny:1b' }]);
    const results = await checker().check(await client.tags());
    expect(results.get('mine:latest')).toEqual({
      state: 'unknown',
      reason: 'not-found',
      detail: `${sim.url.replace('http://', '')} does not have this model (it may have been made locally)`,
      checkedAt: clock.wallNow(),
    });
  });

  it('says unknown for 401 and 403', async () => {
    await sim.setFaults([
      { on: 'manifest', model: 'tiny:1b', kind: 'http-status', status: 401 },
      { on: 'manifest', model: 'other:2b', kind: 'http-status', status: 403 },
    ]);
    const results = await checker().check(await client.tags());
    expect(results.get('tiny:1b')!.reason).toBe('unauthorized');
    expect(results.get('other:2b')!.reason).toBe('unauthorized');
    expect(results.get('tiny:1b')!.state).toBe('unknown');
  });

  it('says unknown when the registry limits requests (429, which Soup.Status has no name for)', async () => {
    await sim.setFaults([{ on: 'manifest', model: 'tiny:1b', kind: 'http-status', status: 429 }]);
    const results = await checker().check(await client.tags());
    expect(results.get('tiny:1b')!.state).toBe('unknown');
    expect(results.get('tiny:1b')!.reason).toBe('failed');
    expect(results.get('tiny:1b')!.detail).toContain('429');
  });

  it('says unknown (offline) when the registry cannot be reached, and asks again next time', async () => {
    const check = checker({ override: 'http://127.0.0.1:9' });
    const results = await check.check(await client.tags());
    expect(states(results)['tiny:1b']).toBe('unknown: offline');
    expect(results.get('tiny:1b')!.detail).toBe('the registry 127.0.0.1:9 could not be reached');
    expect((await check.cached(await client.tags())).get('tiny:1b')).toBeNull();
  });

  it('says unknown (offline) when the registry does not answer within the timeout, on the clock', async () => {
    await sim.setFaults([{ on: 'manifest', model: 'tiny:1b', kind: 'stall' }]);
    const checking = checker().check(await client.tags());
    await until(() => clock.pendingDelays().length > 0, 'the requests start');
    clock.advance(30_000);
    const results = await checking;
    expect(states(results)['tiny:1b']).toBe('unknown: offline');
  });

  it('says unknown for models that do not come from a registry: cloud tags, no digest, odd names', async () => {
    const models = (await client.tags()).slice(0, 1);
    const local = [
      { ...models[0], name: 'gpt-oss:120b-cloud', model: 'gpt-oss:120b-cloud' },
      { ...models[0], name: 'tiny:1b', digest: '' },
      { ...models[0], name: 'bad name', digest: 'a'.repeat(64) },
    ] as InstalledModel[];
    const results = await checker().check(local);
    for (const result of results.values())
      expect(result).toEqual({
        state: 'unknown',
        reason: 'not-from-registry',
        detail: 'it does not come from a registry',
        checkedAt: null,
      });
    expect(await manifestRequests()).toBe(0);
  });

  it('never says outdated for a reply that is not a manifest', async () => {
    const hostile = [
      { kind: 'garbage-line', line: '<html><b>Sign in to the Wi-Fi</b></html>' },
      { kind: 'garbage-line', line: '{"schemaVersion":2,"layers":[]}' },
      {
        kind: 'garbage-line',
        line: '{"schemaVersion":2,"layers":[{"digest":"sha256:<b>","size":1}]}',
      },
      { kind: 'garbage-line', line: '"\u001b[2Jnot a manifest"' },
      { kind: 'garbage-line', line: '{"schemaVersion":"2","layers":{"digest":1}}' },
      { kind: 'huge-line', bytes: 300 * 1024 },
      { kind: 'http-500' },
      { kind: 'truncate' },
      { kind: 'reset', afterBytes: 10 },
    ];
    for (const fault of hostile) {
      await sim.setFaults([{ on: 'manifest', model: 'tiny:1b', ...fault }]);
      const results = await checker().check(await client.tags(), { force: true });
      const result = results.get('tiny:1b')!;
      expect(result.state).withContext(JSON.stringify(fault)).toBe('unknown');
      expect(['failed', 'offline']).withContext(JSON.stringify(fault)).toContain(result.reason!);
      expect(result.detail).not.toContain('<b>');
      expect(result.detail).not.toContain('\u001b');
    }
  });

  it('asks at most 4 at a time, over checks running together', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `m${i}:1b`);
    await sim.addModels(names.map(small));
    await sim.setInstalled(names.map((name) => ({ name })));
    await sim.configure({ registryLatencyMs: 40 });
    const models = await client.tags();
    const check = checker();
    const [first, second] = await Promise.all([
      check.check(models.slice(0, 6)),
      check.check(models.slice(6)),
    ]);
    expect(first.size + second.size).toBe(12);
    expect((await sim.state()).peakManifestRequests).toBe(4);
  });

  it('asks the registry at most once a day per model, across restarts, unless forced', async () => {
    let check = checker();
    await check.check(await client.tags());
    expect(await manifestRequests()).toBe(3);
    clock.advance(23 * HOUR);
    check = checker();
    const cached = await check.check(await client.tags());
    expect(cached.get('tiny:1b')).toEqual(
      jasmine.objectContaining({ state: 'up-to-date', checkedAt: clock.wallNow() - 23 * HOUR }),
    );
    expect(await manifestRequests()).toBe(3);
    await check.check(await client.tags(), { force: true });
    expect(await manifestRequests()).toBe(6);
    clock.advance(24 * HOUR);
    await check.check(await client.tags());
    expect(await manifestRequests()).toBe(9);
  });

  it('reads the last answers without asking, null for a model never checked', async () => {
    const check = checker();
    const models = await client.tags();
    await check.check(models.slice(0, 1));
    const cached = await check.cached(models);
    expect(cached.get(models[0].name)!.state).toBe('up-to-date');
    expect(cached.get(models[1].name)).toBeNull();
    expect(await manifestRequests()).toBe(1);
  });

  it('stops when cancelled, with CancelledError, once the requests under way have ended', async () => {
    await sim.configure({ registryLatencyMs: 300 });
    const cancellable = new Gio.Cancellable();
    const checking = checker({ concurrency: 1 }).check(await client.tags(), { cancellable });
    await until(() => clock.pendingDelays().length > 0, 'a request starts');
    cancellable.cancel();
    await expectAsync(checking).toBeRejectedWithError(CancelledError);
    expect(await manifestRequests()).toBeLessThanOrEqual(1);
  });

  it('sets a damaged updates.json aside and starts afresh', async () => {
    writeBytes(dataDir.get_child('updates.json'), '{"manifests": oops');
    const check = checker();
    const results = await check.check(await client.tags());
    expect(results.get('tiny:1b')!.state).toBe('up-to-date');
    expect(check.cacheProblem).toMatch(/update check/);
    expect(listNames(dataDir).some((name) => name.startsWith('updates.json.corrupt-'))).toBeTrue();
    expect(listNames(dataDir)).toContain('updates.json');
  });

  it('ignores entries of updates.json that do not check out, and asks again', async () => {
    const url = `${sim.url}/v2/library/tiny/manifests/1b`;
    const other = `${sim.url}/v2/library/other/manifests/2b`;
    const thing = `${sim.url}/v2/someone/Thing-GGUF/manifests/Q4_K_M`;
    const now = clock.wallNow();
    writeBytes(
      dataDir.get_child('updates.json'),
      JSON.stringify({
        manifests: {
          [url]: { digest: 5, result: 'found', checkedAt: now },
          [other]: { digest: 'a'.repeat(64), result: 'found', checkedAt: 'yesterday' },
          [thing]: { digest: null, result: 'outdated', checkedAt: now },
        },
      }),
    );
    const results = await checker().check(await client.tags());
    expect(Object.values(states(results))).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);
    expect(await manifestRequests()).toBe(3);
  });

  it('maps names to manifest addresses: the setting for registry.ollama.ai, the host for others', () => {
    const check = new UpdateCheck({ registryUrl: 'https://mirror.example/reg/' });
    const url = (name: string) => check.manifestUrl(ModelName.parse(name));
    expect(url('qwen3:8b')).toBe('https://mirror.example/reg/v2/library/qwen3/manifests/8b');
    expect(url('user/model')).toBe('https://mirror.example/reg/v2/user/model/manifests/latest');
    expect(url('hf.co/bartowski/Llama-GGUF:Q4_K_M')).toBe(
      'https://hf.co/v2/bartowski/Llama-GGUF/manifests/Q4_K_M',
    );
    expect(url('example.com:5000/team/m:1')).toBe('https://example.com:5000/v2/team/m/manifests/1');
    const tests = new UpdateCheck({ registryOverride: 'http://127.0.0.1:8/' });
    expect(tests.manifestUrl(ModelName.parse('hf.co/a/b:c'))).toBe(
      'http://127.0.0.1:8/v2/a/b/manifests/c',
    );
    expect(new UpdateCheck().manifestUrl(ModelName.parse('qwen3'))).toBe(
      'https://registry.ollama.ai/v2/library/qwen3/manifests/latest',
    );
  });
});
