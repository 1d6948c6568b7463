import Gio from 'gi://Gio';

import { runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import type { FreeSpace } from '../../../src/fit/disk-space.js';
import {
  commandServices,
  simulatedFitAdvisor,
  capturedOutput,
} from '../helpers/command-services.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness } from '../pulls/pull-harness.js';
import { REGISTRY_MODELS } from '../fit/registry-models.js';

const GB = 1e9;
const TEMPLATE = 'application/vnd.ollama.image.template';
const SHARED_TEMPLATE = `sha256:${'7'.repeat(64)}`;

/** formatBytes puts a no-break space before the unit. */
function plain(lines: string[]): string[] {
  return lines.map((line) => line.replace(/\u00a0/g, ' '));
}

describe('CLI paddock fit', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [
      ...REGISTRY_MODELS,
      {
        name: 'fam:1b',
        layers: [
          { size: 1_000_000 },
          { size: 1_000, mediaType: TEMPLATE, digest: SHARED_TEMPLATE },
        ],
      },
      {
        name: 'fam:8b',
        layers: [
          { size: 5_000_000 },
          { size: 1_000, mediaType: TEMPLATE, digest: SHARED_TEMPLATE },
        ],
      },
    ]);
    await sim.setInstalled([]);
    services = commandServices(harness);
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  function enter(changes: { gpuBytes?: number; ramBytes?: number; contextLength?: number }) {
    return harness.connections.update(harness.connectionId, changes);
  }

  function withDisk(freeBytes: number): void {
    const free: FreeSpace = { folder: Gio.File.new_for_path('/srv/ollama/models'), freeBytes };
    const advisor = simulatedFitAdvisor(harness, { freeSpaceFor: () => Promise.resolve(free) });
    services.fitAdvisor = () => advisor;
  }

  it('prints the download, the memory needed and had with their sources, the context, disk and verdict', async () => {
    await enter({ gpuBytes: 24 * GB, ramBytes: 64 * GB });
    withDisk(100 * GB);
    expect(await runCommand(['fit', 'qwen3:8b'], output, services)).toBe(0);
    const name = harness.connections.getDefault()!.name;
    expect(plain(out)).toEqual([
      `Model            qwen3:8b on ${name} (${sim.url})`,
      'Download         Downloads 5.2 GB',
      'Memory needed    ~6.9 GB',
      'Context length   4,096 tokens (the server’s default)',
      'GPU memory       24.0 GB (entered by you)',
      'System memory    64.0 GB (entered by you)',
      'Disk             100.0 GB free in /srv/ollama/models',
      'Verdict          Fits in GPU memory',
    ]);
    expect(err).toEqual([]);
  });

  it('says what is already on the server, a rough estimate, and the connection’s own context', async () => {
    await sim.setInstalled([{ name: 'fam:1b' }]);
    await enter({ contextLength: 8192 });
    expect(await runCommand(['fit', 'fam:8b'], output, services)).toBe(0);
    expect(plain(out)).toContain(
      'Download         Downloads 5.0 MB (1.0 kB already on this server)',
    );
    expect(plain(out)).toContain('Context length   8,192 tokens (set for this connection)');
    out.length = 0;
    expect(await runCommand(['fit', 'tiny:1b'], output, services)).toBe(0);
    expect(plain(out).find((line) => line.startsWith('Memory needed'))).toMatch(
      /^Memory needed {4}~\d+(\.\d)? (MB|GB) \(rough estimate\)$/,
    );
  });

  it('exits 0 with an unknown verdict when the server’s memory is not known', async () => {
    expect(await runCommand(['fit', 'qwen3:8b'], output, services)).toBe(0);
    expect(out).toContain('GPU memory       unknown');
    expect(out).toContain('Disk             unknown (only known for a server on this computer)');
    expect(out.at(-1)).toBe(
      'Verdict          unknown: the memory of the server is not known (enter it in the connection)',
    );
  });

  it('exits 3 when the model is too large, or the disk has no room for it', async () => {
    await enter({ gpuBytes: 8 * GB, ramBytes: 8 * GB });
    expect(await runCommand(['fit', 'qwen3:30b'], output, services)).toBe(3);
    expect(plain(out).at(-1)).toMatch(
      /^Verdict {10}Too large for this server \(needs ~\d+\.\d GB, has 16\.0 GB\)$/,
    );
    out.length = 0;
    await enter({ gpuBytes: 24 * GB });
    withDisk(3 * GB);
    expect(await runCommand(['fit', 'qwen3:8b'], output, services)).toBe(3);
    expect(plain(out).slice(-2)).toEqual([
      'Verdict          Fits in GPU memory',
      '                 Not enough disk space: the download is 5.2 GB, the disk of the models has 3.0 GB free',
    ]);
    expect(err).toEqual([]);
  });

  it('prints stable JSON with --json', async () => {
    await enter({ gpuBytes: 24 * GB });
    withDisk(100 * GB);
    expect(await runCommand(['fit', 'qwen3:8b', '--json'], output, services)).toBe(0);
    expect(out.length).toBe(1);
    const json = JSON.parse(out[0]) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'name',
      'connection',
      'verdict',
      'verdict_text',
      'download',
      'memory_needed',
      'context_length',
      'context_length_source',
      'memory',
      'disk',
    ]);
    expect(json).toEqual(
      jasmine.objectContaining({
        name: 'qwen3:8b',
        verdict: 'fits-gpu',
        verdict_text: 'Fits in GPU memory',
        download: { total: 5_225_374_048, present: 0, download: 5_225_374_048, approximate: false },
        memory_needed: {
          total: 6_873_132_735,
          weights: 5_225_374_048,
          kv_cache: jasmine.any(Number),
          graph: jasmine.any(Number),
          rough: false,
        },
        context_length: 4096,
        context_length_source: 'server',
        memory: { ram: null, gpu: { bytes: 24 * GB, source: 'entered', model: null } },
        disk: { verdict: 'room', free_bytes: 100 * GB, folder: '/srv/ollama/models' },
      }),
    );
  });

  it('fails with error lines for a bad name, a missing name or an unknown connection', async () => {
    expect(await runCommand(['fit', 'bad name'], output, services)).toBe(1);
    expect(err).toEqual(['error: “bad name” is not a valid model name: it contains spaces.']);
    expect(await runCommand(['fit'], output, services)).toBe(2);
    expect(err[1]).toBe(
      'error: fit needs the name of a model, e.g. paddock fit qwen3:8b (usage: paddock fit NAME [--json] [--connection NAME|URL])',
    );
    expect(await runCommand(['fit', 'qwen3:8b', '--connection', 'nowhere'], output, services)).toBe(
      1,
    );
    expect(err[2]).toMatch(/^error: no connection named “nowhere”/);
    expect(out).toEqual([]);
    expect(await sim.requests()).toEqual([]);
  });

  it('keeps what a server sent from acting on the terminal', async () => {
    await harness.connections.update(harness.connectionId, { name: 'Box\u001b[2J' });
    expect(await runCommand(['fit', 'qwen3:8b'], output, services)).toBe(0);
    expect(out.join('\n')).not.toContain('\u001b');
    expect(out[0]).toContain(' on Box (');
  });
});
