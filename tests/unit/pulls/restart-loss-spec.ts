import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, slowModel, until, untilStatus } from './pull-harness.js';

describe('Pulls restart losses', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [slowModel('slow:7b')]);
    manager = harness.manager({ stallSeconds: () => 3600 });
    await manager.load();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  /** Pulls 3 MB, pauses, restarts the server (pruning partials unless noPrune), resumes. */
  async function pullAcrossRestart(noPrune: boolean) {
    await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 3_000_000 }]);
    const job = manager.start(harness.connectionId, 'slow:7b');
    await until(() => job.completed >= 3_000_000, '3 MB arrive');
    manager.pause(job.id);
    await untilStatus(job, 'paused');
    await sim.control('POST', 'restart', { noPrune });
    manager.resume(job.id);
    await until(
      () =>
        harness.clients.attempts.length >= 2 &&
        harness.clients.attempts[1].some((line) => line.digest !== undefined),
      'the resumed pull names a blob',
    );
    return job;
  }

  it('says once on the pull that the restarted server discarded the partial download, with the hint', async () => {
    const job = await pullAcrossRestart(false);
    expect(harness.clients.firstCompleted(1)).toBe(0);
    await until(() => job.restartLoss !== null, 'the loss is noticed');
    expect(job.restartLoss!.replace(/\u00a0/g, ' ')).toMatch(
      /^The server discarded 3\.\d MB already downloaded: .*OLLAMA_NOPRUNE=1/,
    );
    expect(job.completed).toBeGreaterThanOrEqual(3_000_000);
    await sim.configure({ bytesPerTick: 500_000_000 });
    await untilStatus(job, 'complete');
  });

  it('says nothing when the server kept the partial download (OLLAMA_NOPRUNE)', async () => {
    const job = await pullAcrossRestart(true);
    expect(harness.clients.firstCompleted(1)).toBeGreaterThanOrEqual(3_000_000);
    await sim.configure({ bytesPerTick: 500_000_000 });
    await untilStatus(job, 'complete');
    expect(job.restartLoss).toBeNull();
  });

  it('says nothing when the blob is fetched again after a digest mismatch', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'digest-mismatch', afterBytes: 3_000_000 }]);
    const job = manager.start(harness.connectionId, 'slow:7b');
    await untilStatus(job, 'pending-retry');
    harness.clock.advance(10_000);
    await until(
      () =>
        harness.clients.attempts.length >= 2 &&
        harness.clients.attempts[1].some((line) => line.digest !== undefined),
      'the retry names a blob',
    );
    expect(harness.clients.firstCompleted(1)).toBe(0);
    await sim.configure({ bytesPerTick: 500_000_000 });
    await untilStatus(job, 'complete');
    expect(job.restartLoss).toBeNull();
  });
});
