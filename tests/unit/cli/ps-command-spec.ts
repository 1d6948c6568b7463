import { CommandArguments } from '../../../src/cli/command-arguments.js';
import { runCommand, USAGE, type CommandServices } from '../../../src/cli/command-line.js';
import { CommandError } from '../../../src/cli/errors.js';
import { formatRunningTable, runningJson } from '../../../src/cli/ps-command.js';
import type { RunningModel } from '../../../src/ollama/types.js';
import { formatBytes } from '../../../src/util/text.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness } from '../pulls/pull-harness.js';
import { commandServices, capturedOutput } from '../helpers/command-services.js';

function running(name: string, extra: Partial<RunningModel> = {}): RunningModel {
  return {
    name,
    model: name,
    size: 6_000_000_000,
    digest: 'a'.repeat(64),
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'qwen3',
      families: null,
      parameter_size: '8.2B',
      quantization_level: 'Q4_K_M',
    },
    // The manual clock starts at 2026-01-01T00:00:00Z.
    expires_at: '2026-01-01T00:04:00Z',
    size_vram: 6_000_000_000,
    context_length: 4096,
    ...extra,
  };
}

describe('CLI flags', () => {
  it('takes --json as a flag among options and names, once and without a value', () => {
    const parsed = CommandArguments.parse(
      ['--json', '--connection', 'Lab'],
      ['connection'],
      ['json'],
    );
    expect(parsed.flag('json')).toBeTrue();
    expect(parsed.option('connection')).toBe('Lab');
    expect(CommandArguments.parse([], [], ['json']).flag('json')).toBeFalse();
    const fail = (args: string[]) => {
      try {
        CommandArguments.parse(args, ['connection'], ['json']);
      } catch (error) {
        if (error instanceof CommandError) return [error.message, error.status];
      }
      return null;
    };
    expect(fail(['--json=yes'])).toEqual(['--json takes no value', 2]);
    expect(fail(['--json', '--json'])).toEqual(['--json is given more than once', 2]);
    expect(fail(['-json'])).toEqual(['unknown option “-json”', 2]);
    expect(CommandArguments.parse(['--', '--json'], [], ['json']).positionals).toEqual(['--json']);
  });
});

describe('CLI paddock ps table and JSON', () => {
  const clock = new ManualClock();

  it('lines up name, memory, processor, context and time left like ollama ps', () => {
    const lines = formatRunningTable(
      [
        running('qwen3:8b', { size_vram: 3_120_000_000 }),
        running('gemma3:4b', { expires_at: '2318-01-01T00:00:00Z', context_length: undefined }),
        running('old:1b', { expires_at: '2025-12-31T23:59:00Z', size_vram: 0 }),
        running('x:1', { expires_at: '' }),
      ],
      clock,
    );
    const size = formatBytes(6_000_000_000);
    expect(lines).toEqual([
      `NAME        ${'SIZE'.padEnd(size.length)}   PROCESSOR         CONTEXT   UNTIL`,
      `qwen3:8b    ${size}   48%/52% CPU/GPU   4096      4 min from now`,
      `gemma3:4b   ${size}   100% GPU          -         forever`,
      `old:1b      ${size}   100% CPU          4096      unloading…`,
      `x:1         ${size}   100% GPU          4096      -`,
    ]);
  });

  it('keeps the columns when names hold escape sequences and markup', () => {
    const lines = formatRunningTable(
      [running('evil\u001b[2J\u001b]0;title\u0007\r:1'), running('<b>x</b>:1')],
      clock,
    );
    expect(lines[1]).toMatch(/^evil:1 +\S/);
    expect(lines[2]).toMatch(/^<b>x<\/b>:1 +\S/);
    expect(lines[1].indexOf('GB')).toBe(lines[2].indexOf('GB'));
  });

  it('prints stable JSON, with UTC times and control characters escaped', () => {
    const json = runningJson(
      { id: 'local', name: 'Local Ollama', url: 'http://127.0.0.1:11434' },
      [
        running('qwen3:8b', {
          expires_at: '2025-12-31T16:04:00.123456789-08:00',
          size_vram: 3_120_000_000,
        }),
        running('bidi\u202e\u009b:1', {
          expires_at: '2318-01-01T00:00:00Z',
          context_length: undefined,
        }),
      ],
      clock,
    );
    expect(json).not.toMatch(/[\u0080-\u009f\u202e]/);
    expect(JSON.parse(json)).toEqual({
      connection: { name: 'Local Ollama', url: 'http://127.0.0.1:11434' },
      models: [
        {
          name: 'qwen3:8b',
          model: 'qwen3:8b',
          digest: 'a'.repeat(64),
          size: 6_000_000_000,
          size_vram: 3_120_000_000,
          gpu_percent: 52,
          context_length: 4096,
          expires_at: '2026-01-01T00:04:00Z',
          kept_loaded: false,
        },
        {
          name: 'bidi\u202e\u009b:1',
          model: 'bidi\u202e\u009b:1',
          digest: 'a'.repeat(64),
          size: 6_000_000_000,
          size_vram: 6_000_000_000,
          gpu_percent: 100,
          context_length: null,
          expires_at: '2318-01-01T00:00:00Z',
          kept_loaded: true,
        },
      ],
    });
  });
});

describe('CLI paddock ps and stop', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    await sim.reset();
    await sim.setInstalled([
      { name: 'qwen3:8b', size: 5_200_000_000 },
      { name: 'gemma3:4b', size: 3_300_000_000 },
    ]);
    harness = new PullHarness(sim);
    await harness.setUp();
    services = commandServices(harness);
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  const load = (model: string, keepAlive?: unknown) =>
    sim.request('POST', '/api/generate', {
      json: keepAlive === undefined ? { model } : { model, keep_alive: keepAlive },
    });

  it('says when nothing is loaded', async () => {
    expect(await runCommand(['ps'], output, services)).toBe(0);
    expect(out).toEqual([`No model is loaded on Local Ollama (${sim.url}).`]);
    expect(await runCommand(['ps', '--json'], output, services)).toBe(0);
    expect(JSON.parse(out[1])).toEqual({
      connection: { name: 'Local Ollama', url: sim.url },
      models: [],
    });
  });

  it('lists the loaded models with their GPU share and time left', async () => {
    await sim.setGpuShare(0.5);
    await load('qwen3:8b', -1);
    await load('gemma3:4b', '10m');
    expect(await runCommand(['ps'], output, services)).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^NAME +SIZE +PROCESSOR +CONTEXT +UNTIL$/);
    expect(out[1]).toMatch(/^qwen3:8b +\S+\sGB +50%\/50% CPU\/GPU +4096 +forever$/);
    expect(out[2]).toMatch(/^gemma3:4b +\S+\sGB +50%\/50% CPU\/GPU +4096 +(10|9) min from now$/);
    expect(
      await runCommand(['ps', '--json', '--connection', 'Local Ollama'], output, services),
    ).toBe(0);
    const json = JSON.parse(out[3]) as { models: { name: string; kept_loaded: boolean }[] };
    expect(json.models.map((model) => [model.name, model.kept_loaded])).toEqual([
      ['qwen3:8b', true],
      ['gemma3:4b', false],
    ]);
  });

  it('unloads a model with stop', async () => {
    await load('qwen3:8b', -1);
    expect(await runCommand(['stop', 'qwen3:8b'], output, services)).toBe(0);
    expect(out).toEqual(['unloaded qwen3:8b']);
    const requests = await sim.requests();
    expect(requests[requests.length - 1].body).toEqual({ model: 'qwen3:8b', keep_alive: 0 });
    const ps = (await sim.request('GET', '/api/ps')).json() as { models: unknown[] };
    expect(ps.models).toEqual([]);
  });

  it('fails with error: and status 1 or 2, as the other commands', async () => {
    expect(await runCommand(['stop', 'gone:1b'], output, services)).toBe(1);
    expect(err).toEqual([`error: model 'gone:1b' not found on Local Ollama (${sim.url})`]);
    expect(await runCommand(['stop'], output, services)).toBe(2);
    expect(err[1]).toBe(
      'error: stop needs the name of a model, e.g. paddock stop qwen3:8b (usage: paddock stop NAME [--connection NAME|URL])',
    );
    expect(await runCommand(['ps', 'qwen3:8b'], output, services)).toBe(2);
    expect(err[2]).toBe(
      'error: ps takes no arguments (got “qwen3:8b”) (usage: paddock ps [--json] [--connection NAME|URL])',
    );
    await sim.setFaults([{ on: 'ps', kind: 'http-500', message: 'boom' }]);
    expect(await runCommand(['ps'], output, services)).toBe(1);
    expect(err[3]).toMatch(/^error: Ollama at .* failed: boom/);
    expect(await runCommand(['ps', '--help'], output, services)).toBe(0);
    expect(out).toEqual(['Usage: paddock ps [--json] [--connection NAME|URL]']);
    expect(USAGE).toContain('paddock ps [--json]');
    expect(USAGE).toContain('paddock stop NAME');
  });
});
