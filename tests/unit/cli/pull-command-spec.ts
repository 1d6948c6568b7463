import Gio from 'gi://Gio';

import { runCommand, type CommandServices } from '../../../src/cli/command-line.js';
import { PullsElsewhereError } from '../../../src/pulls/errors.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, slowModel, until } from '../pulls/pull-harness.js';
import {
  commandServices,
  simulatedFitAdvisor,
  capturedOutput,
} from '../helpers/command-services.js';
import { PULL_ADVICE_TIMEOUT_MS } from '../../../src/cli/pull-advice.js';

const PROGRESS = /^pulling slow:7b: \d+% · /;
// What the fit advisor says first, on stderr (formatBytes puts a no-break space before units).
const TINY_ADVICE = 'Downloads 1.0\u00a0MB · needs ~1.2\u00a0GB · Memory of the server unknown';
const SLOW_ADVICE = 'Downloads 2.0\u00a0GB · needs ~3.3\u00a0GB · Memory of the server unknown';

describe('CLI paddock pull', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;
  let services: CommandServices;
  // Emptied before each run: a spec reads what that run printed.
  const { out, err, output } = capturedOutput();

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [TINY, slowModel('slow:7b')]);
    manager = harness.manager();
    await manager.load();
    services = commandServices(harness, { pulls: async () => manager });
    out.length = 0;
    err.length = 0;
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  async function pullRequests(): Promise<number> {
    return (await sim.requests()).filter((request) => request.path === '/api/pull').length;
  }

  it('pulls to the end, and says so on stdout', async () => {
    expect(await runCommand(['pull', 'tiny:1b'], output, services)).toBe(0);
    const name = harness.connections.getDefault()!.name;
    expect(out[0]).toBe(`pulling tiny:1b on ${name} (${sim.url})`);
    expect(out.at(-1)).toBe('pulled tiny:1b');
    expect(err).toEqual([TINY_ADVICE]);
    expect((await sim.state()).installed).toContain('tiny:1b');
    expect(manager.jobs[0].status).toBe('complete');
  });

  it('rejects with PullsElsewhereError when its manager hands the pulls on mid-pull, keeping the pull saved', async () => {
    const running = runCommand(['pull', 'slow:7b'], output, services);
    await until(() => (manager.jobs[0]?.completed ?? 0) > 0, 'bytes arrive');
    const handedOn = expectAsync(running).toBeRejectedWithError(PullsElsewhereError);
    await manager.shutdown();
    await handedOn;
    expect(err).toEqual([SLOW_ADVICE]);
    // The next owner finds it in loading.json and resumes it.
    const next = harness.manager();
    await next.load();
    expect(next.jobs.map((job) => [job.name, job.isLive])).toEqual([['slow:7b', true]]);
    await next.shutdown();
  });

  it('refuses at once when another process owns the pulls', async () => {
    const elsewhere = harness.manager();
    elsewhere.ownedElsewhere('Paddock runs the downloads in another session.');
    services.pulls = async () => elsewhere;
    expect(await runCommand(['pull', 'tiny:1b'], output, services)).toBe(1);
    expect(err).toEqual(['error: Paddock runs the downloads in another session.']);
    expect(await pullRequests()).toBe(0);
    await elsewhere.shutdown();
  });

  it('prints progress only when the manager updates it, every 2 s', async () => {
    const running = runCommand(['pull', 'slow:7b'], output, services);
    await until(() => (manager.jobs[0]?.completed ?? 0) > 0, 'bytes arrive');
    const before = out.filter((line) => PROGRESS.test(line)).length;
    harness.clock.advance(2000);
    await until(() => out.filter((line) => PROGRESS.test(line)).length > before, 'a progress line');
    await sim.configure({ bytesPerTick: 2_000_000_000 });
    expect(await running).toBe(0);
    expect(out.filter((line) => PROGRESS.test(line)).length).toBe(before + 1);
    expect(out.at(-1)).toBe('pulled slow:7b');
  });

  it('keeps waiting through a retry, and says when it will be', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'mid-stream-error', message: 'unexpected EOF' }]);
    const running = runCommand(['pull', 'tiny:1b'], output, services);
    await until(
      () => out.some((line) => line.startsWith('retrying tiny:1b in 10 s: ')),
      'the retry line',
    );
    expect(out.find((line) => line.startsWith('retrying'))).toMatch(/unexpected EOF/);
    harness.clock.advance(10_000);
    expect(await running).toBe(0);
    expect(out.at(-1)).toBe('pulled tiny:1b');
    expect(await pullRequests()).toBe(2);
  });

  it('fails with one error line for a model the registry does not have', async () => {
    expect(await runCommand(['pull', 'nothing:here'], output, services)).toBe(1);
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/^error: Ollama at .* found no model with this name/);
    expect(manager.jobs[0].status).toBe('failed');
  });

  it('checks the name and the connection before anything is sent', async () => {
    expect(await runCommand(['pull', 'bad name'], output, services)).toBe(1);
    expect(err).toEqual(['error: “bad name” is not a valid model name: it contains spaces.']);
    expect(await runCommand(['pull', 'tiny:1b', '--connection', 'nowhere'], output, services)).toBe(
      1,
    );
    expect(err[1]).toMatch(/^error: no connection named “nowhere”/);
    expect(await runCommand(['pull'], output, services)).toBe(2);
    expect(err[2]).toBe(
      'error: pull needs the name of a model, e.g. paddock pull qwen3:8b (usage: paddock pull NAME [--force] [--connection NAME|URL])',
    );
    expect(await pullRequests()).toBe(0);
    expect(manager.jobs.length).toBe(0);
  });

  it('cancels the pull when its cancellable is cancelled (Ctrl+C)', async () => {
    const cancellable = new Gio.Cancellable();
    const running = runCommand(['pull', 'slow:7b'], output, services, cancellable);
    await until(() => (manager.jobs[0]?.completed ?? 0) > 0, 'bytes arrive');
    cancellable.cancel();
    expect(await running).toBe(1);
    expect(err).toEqual([
      SLOW_ADVICE,
      'error: cancelled the pull of slow:7b; Ollama keeps what it downloaded for the next pull',
    ]);
    expect(manager.jobs[0].status).toBe('cancelled');
    expect((await sim.state(0)).activePulls).toBe(0);
  });

  it('joins a pull of the same model under way, and ends with it', async () => {
    const job = manager.start(harness.connectionId, 'slow:7b');
    await until(() => job.completed > 0, 'bytes arrive');
    const running = runCommand(['pull', 'SLOW:7b'], output, services);
    await until(() => out.length > 0, 'the first line');
    expect(out[0]).toMatch(/^joining the pull of slow:7b already under way on /);
    await sim.configure({ bytesPerTick: 2_000_000_000 });
    expect(await running).toBe(0);
    expect(manager.jobs.length).toBe(1);
    expect(await pullRequests()).toBe(1);
  });

  describe('before it starts', () => {
    function withDisk(freeBytes: number): void {
      const free = { folder: harness.root, freeBytes };
      const advisor = simulatedFitAdvisor(harness, { freeSpaceFor: () => Promise.resolve(free) });
      services.fitAdvisor = () => advisor;
    }

    it('says whether the model fits, with the memory entered for the server', async () => {
      await harness.connections.update(harness.connectionId, { gpuBytes: 24e9 });
      expect(await runCommand(['pull', 'tiny:1b'], output, services)).toBe(0);
      expect(err).toEqual([
        'Downloads 1.0\u00a0MB · needs ~1.2\u00a0GB · Fits in GPU memory: has 24.0\u00a0GB (entered by you)',
      ]);
    });

    it('refuses a pull larger than the free disk, before anything is pulled', async () => {
      withDisk(2.5e9);
      expect(await runCommand(['pull', 'slow:7b'], output, services)).toBe(1);
      expect(err).toEqual([
        jasmine.stringMatching(/^Downloads 2\.0\u00a0GB · /),
        'error: Not enough disk space: the download is 2.0\u00a0GB, the disk of the models has 2.5\u00a0GB free (use --force to pull anyway)',
      ]);
      expect(out).toEqual([]);
      expect(await pullRequests()).toBe(0);
      expect(manager.jobs.length).toBe(0);
    });

    it('pulls anyway with --force', async () => {
      withDisk(1.5e6);
      expect(await runCommand(['pull', '--force', 'tiny:1b'], output, services)).toBe(0);
      expect(err.length).toBe(1);
      expect(err[0]).toMatch(/ · Not enough disk space: the download is 1\.0\u00a0MB/);
      expect(out.at(-1)).toBe('pulled tiny:1b');
    });

    it('starts without the advice when the registry takes longer than the timeout', async () => {
      await sim.configure({ registryLatencyMs: 60_000 });
      const running = runCommand(['pull', 'tiny:1b'], output, services);
      await until(() => {
        harness.clock.advance(PULL_ADVICE_TIMEOUT_MS);
        return out.length > 0;
      }, 'the pull to start');
      await sim.configure({ registryLatencyMs: 0 });
      expect(await running).toBe(0);
      expect(err).toEqual([]);
      expect(out.at(-1)).toBe('pulled tiny:1b');
    });

    it('stops at Ctrl+C while it asks, pulling nothing', async () => {
      await sim.configure({ registryLatencyMs: 60_000 });
      const advisor = simulatedFitAdvisor(harness);
      let asked = false;
      services.fitAdvisor = () => {
        asked = true;
        return advisor;
      };
      const cancellable = new Gio.Cancellable();
      const running = runCommand(['pull', 'tiny:1b'], output, services, cancellable);
      await until(() => asked, 'the advisor to be asked');
      cancellable.cancel();
      expect(await running).toBe(1);
      expect(err).toEqual(['error: cancelled']);
      expect(await pullRequests()).toBe(0);
      await sim.configure({ registryLatencyMs: 0 });
    });
  });

  it('reports a cancel from elsewhere (the window) as a failure', async () => {
    const running = runCommand(['pull', 'slow:7b'], output, services);
    await until(() => (manager.jobs[0]?.completed ?? 0) > 0, 'bytes arrive');
    manager.cancel(manager.jobs[0].id);
    expect(await running).toBe(1);
    expect(err).toEqual([SLOW_ADVICE, 'error: the pull of slow:7b was cancelled in Paddock']);
  });
});
