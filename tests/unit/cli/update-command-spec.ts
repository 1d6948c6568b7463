import { runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import { UpdateCheck } from '../../../src/library/update-check.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { CONFIG_BLOB, PullHarness, TINY } from '../pulls/pull-harness.js';
import { commandServices, capturedOutput } from '../helpers/command-services.js';

interface ListJson {
  connection: { name: string; url: string };
  models: {
    name: string;
    size: number;
    digest: string;
    modified_at: string;
    family: string | null;
    parameter_size: string | null;
    quantization_level: string | null;
    capabilities: string[] | null;
    update: { state: string; reason: string | null; checked_at: string | null } | null;
  }[];
}

describe('CLI paddock list --outdated/--json and paddock update', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;
  let updates: UpdateCheck;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    const other = {
      name: 'other:2b',
      layers: [{ size: 2000 }, { size: 40, mediaType: CONFIG_BLOB }],
    };
    harness = await PullHarness.against(sim, [TINY, other]);
    await sim.setInstalled([{ name: 'tiny:1b' }, { name: 'other:2b' }, { name: 'mine:latest' }]);
    manager = harness.manager();
    await manager.load();
    updates = new UpdateCheck({
      registryOverride: sim.url,
      dataDir: harness.dataDir,
      clock: harness.clock,
    });
    services = commandServices(harness, { pulls: async () => manager, updates: () => updates });
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  async function run(...args: string[]): Promise<number> {
    return runCommand(args, output, services);
  }

  async function pullRequests(): Promise<string[]> {
    return (await sim.requests())
      .filter((request) => request.path === '/api/pull')
      .map((request) => String((request.body as { model: string }).model));
  }

  it('list --outdated lists only the models with a newer version, and notes the ones it could not check', async () => {
    await sim.publish('tiny:1b');
    expect(await run('list', '--outdated')).toBe(0);
    expect(out[0]).toMatch(/^NAME +SIZE +PARAMETERS +QUANTIZATION +MODIFIED$/);
    expect(out.slice(1).map((line) => line.split(' ')[0])).toEqual(['tiny:1b']);
    expect(err).toEqual([
      `note: could not check mine:latest for updates: ${sim.url.replace('http://', '')} does not have this model (it may have been made locally)`,
    ]);
  });

  it('list --outdated says so when nothing is outdated', async () => {
    expect(await run('list', '--outdated')).toBe(0);
    expect(out).toEqual([`No model on Local Ollama (${sim.url}) has a newer version.`]);
  });

  it('list --outdated asks the registry every time (forced), once per model', async () => {
    await run('list', '--outdated');
    await run('list', '--outdated');
    const manifests = (await sim.requests()).filter((request) => request.path.startsWith('/v2/'));
    expect(manifests.length).toBe(6);
  });

  it('list --json prints every model with what the last check found, without asking', async () => {
    expect(await run('list', '--json')).toBe(0);
    const before = JSON.parse(out.join('\n')) as ListJson;
    expect(before.connection).toEqual({ name: 'Local Ollama', url: sim.url });
    expect(before.models.map((model) => [model.name, model.update])).toEqual([
      ['tiny:1b', null],
      ['other:2b', null],
      ['mine:latest', null],
    ]);
    expect((await sim.requests()).filter((request) => request.path.startsWith('/v2/'))).toEqual([]);

    await sim.publish('tiny:1b');
    await run('list', '--outdated');
    out.length = 0;
    expect(await run('list', '--json')).toBe(0);
    const after = JSON.parse(out.join('\n')) as ListJson;
    const checkedAt = new Date(harness.clock.wallNow()).toISOString();
    expect(after.models[0]).toEqual({
      name: 'tiny:1b',
      size: jasmine.any(Number) as unknown as number,
      digest: jasmine.stringMatching(/^[0-9a-f]{64}$/) as unknown as string,
      modified_at: jasmine.any(String) as unknown as string,
      family: 'tiny',
      parameter_size: '1B',
      quantization_level: 'Q4_K_M',
      capabilities: null,
      update: { state: 'outdated', reason: null, checked_at: checkedAt },
    });
    expect(after.models[1].update).toEqual({
      state: 'up-to-date',
      reason: null,
      checked_at: checkedAt,
    });
    expect(after.models[2].update).toEqual({
      state: 'unknown',
      reason: 'not-found',
      checked_at: checkedAt,
    });
  });

  it('list --outdated --json lists the outdated ones as JSON', async () => {
    await sim.publish('other:2b');
    expect(await run('list', '--outdated', '--json')).toBe(0);
    const list = JSON.parse(out.join('\n')) as ListJson;
    expect(list.models.map((model) => model.name)).toEqual(['other:2b']);
  });

  it('list --json escapes what a terminal must not get raw, keeping the JSON exact', async () => {
    await sim.setInstalled([
      { name: 'tiny:1b', details: { family: '<b>x</b>\u001b[2J\u009b\u202eevil' } },
    ]);
    expect(await run('list', '--json')).toBe(0);
    const text = out.join('\n');
    const raw = [...text].filter((char) => {
      const code = char.charCodeAt(0);
      return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
    });
    expect(raw).toEqual([]);
    const list = JSON.parse(text) as ListJson;
    expect(list.models[0].family).toBe('<b>x</b>\u001b[2J\u009b\u202eevil');
  });

  it('update --all pulls every outdated model through the pull manager, and ends with all of them', async () => {
    await sim.publish('tiny:1b');
    await sim.publish('other:2b');
    expect(await run('update', '--all')).toBe(0);
    expect((await pullRequests()).sort()).toEqual(['other:2b', 'tiny:1b']);
    expect(out).toContain('pulled tiny:1b');
    expect(out).toContain('pulled other:2b');
    expect(manager.jobs.map((job) => job.status)).toEqual(['complete', 'complete']);
    out.length = 0;
    err.length = 0;
    expect(await run('list', '--outdated')).toBe(0);
    expect(out).toEqual([`No model on Local Ollama (${sim.url}) has a newer version.`]);
  });

  it('update --all says when there is nothing to update, and pulls nothing', async () => {
    expect(await run('update', '--all')).toBe(0);
    expect(out).toEqual(['No model on Local Ollama has a newer version.']);
    expect(await pullRequests()).toEqual([]);
  });

  it('update --all fails when one of the pulls fails, after the others end', async () => {
    await sim.publish('tiny:1b');
    await sim.publish('other:2b');
    await sim.setFaults([
      {
        on: 'pull',
        model: 'other:2b',
        kind: 'mid-stream-error',
        message: 'pull model manifest: file does not exist',
      },
    ]);
    expect(await run('update', '--all')).toBe(1);
    expect(out).toContain('pulled tiny:1b');
    expect(err.filter((line) => line.startsWith('error: ')).length).toBe(1);
    expect(manager.jobs.map((job) => [job.name, job.status]).sort()).toEqual([
      ['other:2b', 'failed'],
      ['tiny:1b', 'complete'],
    ]);
  });

  it('update NAME pulls that installed model; refuses one that is not installed', async () => {
    expect(await run('update', 'TINY:1b')).toBe(0);
    expect(await pullRequests()).toEqual(['tiny:1b']);
    expect(await run('update', 'qwen3:8b')).toBe(1);
    expect(err).toEqual([
      'error: qwen3:8b is not installed on Local Ollama; paddock pull qwen3:8b downloads it',
    ]);
  });

  it('update needs a name or --all, not both', async () => {
    expect(await run('update')).toBe(2);
    expect(await run('update', 'tiny:1b', '--all')).toBe(2);
    expect(err[0]).toBe(
      'error: update needs the name of a model, or --all, e.g. paddock update qwen3:8b (usage: paddock update NAME|--all [--connection NAME|URL])',
    );
    expect(await pullRequests()).toEqual([]);
  });
});
