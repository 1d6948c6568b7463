import type { PullJob } from '../../../src/pulls/pull-job.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { formatDuration } from '../../../src/pulls/pull-text.js';
import { readText } from '../config/temp-dir.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, slowModel, until, untilStatus } from './pull-harness.js';

const SCHEDULE = [10, 30, 60, 120, 300];

describe('Pulls retries', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [TINY, slowModel('slow:7b')]);
    manager = harness.manager();
    await manager.load();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  async function pullRequests(): Promise<number> {
    return (await sim.requests()).filter((request) => request.path === '/api/pull').length;
  }

  /** Waits for each retry in turn, checks its countdown to the millisecond, and lets it go. */
  async function expectFullSchedule(job: PullJob, failAttempt: () => void = () => {}) {
    for (let retry = 1; retry <= SCHEDULE.length; retry++) {
      failAttempt();
      await untilStatus(job, 'pending-retry', retry);
      const seconds = SCHEDULE[retry - 1];
      expect(job.retryIn).toBe(seconds);
      expect(job.text).toBe(`Retrying in ${formatDuration(seconds)}…`);
      expect(job.error).not.toBeNull();
      harness.clock.advance(seconds * 1000 - 1);
      expect(job.status).toBe('pending-retry');
      expect(job.retryIn).toBe(1);
      harness.clock.advance(1);
      expect(job.status).toBe('pulling');
    }
    failAttempt();
    await untilStatus(job, 'failed');
    expect(job.error).toMatch(/^Gave up after 5 retries\. ./);
    expect(job.retryCount).toBe(5);
  }

  const transientFaults: [string, object][] = [
    ['HTTP 500', { kind: 'http-500' }],
    ['HTTP 503', { kind: 'http-status', status: 503 }],
    ['an error line mid-stream', { kind: 'mid-stream-error' }],
    ['a dropped connection', { kind: 'reset' }],
    ['a stream that ends without success', { kind: 'truncate' }],
    ['a line that is not JSON', { kind: 'garbage-line' }],
  ];
  for (const [what, fault] of transientFaults) {
    it(`retries after ${what} 10 s, 30 s, 1 min, 2 min and 5 min later, then fails`, async () => {
      await sim.setFaults(Array.from({ length: 6 }, () => ({ on: 'pull', ...fault })));
      const failed: string[] = [];
      manager.connect('model-failed', (_m: PullManager, _job: PullJob, message: string) =>
        failed.push(message),
      );
      const job = manager.start(harness.connectionId, 'tiny:1b');
      await expectFullSchedule(job);
      expect(await pullRequests()).toBe(6);
      expect(failed).toEqual([job.error!]);
    });
  }

  it('retries a stalled stream on the same schedule, closing it after 90 s without bytes', async () => {
    await sim.setFaults(Array.from({ length: 6 }, () => ({ on: 'pull', kind: 'stall' })));
    const job = manager.start(harness.connectionId, 'tiny:1b');
    let attempts = 0;
    await expectFullSchedule(job, () => {
      attempts++;
      // The watchdog runs from the start of the stream; the stream then sends nothing.
      void until(() => harness.clients.attempts.length === attempts, 'the stream starts').then(() =>
        harness.clock.advance(90_000),
      );
    });
    expect(job.error).toContain('No data came from Ollama');
  });

  it('closes a stream that stalls after 90 s, and the retry resumes from the partial download', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 1_200_000 }]);
    const job = manager.start(harness.connectionId, 'slow:7b');
    await until(() => job.completed >= 1_200_000, '1.2 MB arrive');
    harness.clock.advance(89_999);
    expect(job.status).toBe('pulling');
    harness.clock.advance(1);
    await untilStatus(job, 'pending-retry', 1);
    expect(job.error).toBe(
      `No data came from Ollama at ${sim.url.replace('http://', '')} for 90 s, so Paddock closed the download to start it again. Ollama keeps what it has.`,
    );
    expect((await sim.state(0)).activePulls).toBe(0);
    await sim.configure({ bytesPerTick: 500_000_000 });
    harness.clock.advance(10_000);
    await untilStatus(job, 'complete');
    expect(harness.clients.firstCompleted(1)).toBeGreaterThanOrEqual(1_200_000);
  });

  it('uses the stall limit it is given', async () => {
    manager = harness.manager({ stallSeconds: () => 20 });
    await manager.load();
    await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await until(() => harness.clients.attempts.length === 1, 'the stream starts');
    harness.clock.advance(20_000);
    await untilStatus(job, 'pending-retry', 1);
    expect(job.error).toContain('for 20 s');
  });

  it('does not take the silent digest check for a stall, though it has a limit too', async () => {
    await sim.configure({ stepMs: 600 });
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await until(() => job.statusLine === 'verifying sha256 digest', 'the digest check starts');
    harness.clock.advance(300_000);
    expect(job.status).toBe('pulling');
    expect(job.stalledFor).toBeNull();
    expect(job.text).toMatch(/^100% · .* · Verifying…$/);
    // Ten minutes, plus the time to read the model slowly, and it is a stall after all.
    harness.clock.advance(310_000);
    await untilStatus(job, 'pending-retry', 1);
    harness.clock.advance(10_000);
    await untilStatus(job, 'complete');
  });

  it('starts the schedule again whenever bytes arrive', async () => {
    await sim.setFaults([
      { on: 'pull', kind: 'mid-stream-error' },
      { on: 'pull', kind: 'mid-stream-error' },
      { on: 'pull', kind: 'mid-stream-error', afterBytes: 400_000 },
      { on: 'pull', kind: 'mid-stream-error' },
    ]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'pending-retry', 1);
    harness.clock.advance(10_000);
    await untilStatus(job, 'pending-retry', 2);
    expect(job.retryIn).toBe(30);
    harness.clock.advance(30_000);
    // This attempt brings bytes before it fails: back to the first wait.
    await untilStatus(job, 'pending-retry', 1);
    expect(job.completed).toBeGreaterThanOrEqual(400_000);
    expect(job.retryIn).toBe(10);
    harness.clock.advance(10_000);
    await untilStatus(job, 'pending-retry', 2);
    harness.clock.advance(30_000);
    await untilStatus(job, 'complete');
    expect(job.retryCount).toBe(0);
  });

  it('retries a damaged download, which the server fetches anew', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'digest-mismatch' }]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'pending-retry', 1);
    expect(job.error).toContain('arrived damaged');
    harness.clock.advance(10_000);
    await untilStatus(job, 'complete');
  });

  it('waits for a slow start without retrying', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'delay', ms: 300 }]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'complete');
    expect(await pullRequests()).toBe(1);
  });

  it('waits for the network while offline, without using up retries', async () => {
    harness.network.online = false;
    await sim.setFaults([
      { on: 'pull', kind: 'mid-stream-error' },
      { on: 'pull', kind: 'mid-stream-error' },
    ]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await until(() => job.status === 'pending-retry', 'the pull fails');
    expect(job.waitingFor).toBe('network');
    expect(job.retryCount).toBe(0);
    expect(job.retryIn).toBeNull();
    expect(job.text).toBe('Waiting for the network…');
    harness.clock.advance(299_999);
    expect(job.status).toBe('pending-retry');
    expect(await pullRequests()).toBe(1);
    // Now and then it tries anyway (the monitor may be wrong), still without counting.
    harness.clock.advance(1);
    expect(job.status).toBe('pulling');
    await until(() => job.status === 'pending-retry', 'the pull fails again');
    expect(job.waitingFor).toBe('network');
    expect(job.retryCount).toBe(0);
    expect(await pullRequests()).toBe(2);

    harness.network.set({ online: true });
    expect(job.status).toBe('pulling');
    await untilStatus(job, 'complete');
    expect(job.retryCount).toBe(0);
  });

  it('fails a waiting pull whose connection was removed meanwhile', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'http-500' }]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'pending-retry', 1);
    await harness.connections.remove(harness.connectionId);
    harness.clock.advance(10_000);
    expect(job.status).toBe('failed');
    expect(job.error).toBe(
      `The connection to ${sim.url} was removed, so this download cannot go on.`,
    );
  });

  it('stops a server that keeps naming new layers, failing the pull with a plain reason', async () => {
    await sim.setFaults([{ on: 'pull', kind: 'endless-layers' }]);
    const failed: string[] = [];
    manager.connect('model-failed', (_m: PullManager, _job: PullJob, message: string) =>
      failed.push(message),
    );
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'failed');
    const host = sim.url.replace(/^http:\/\//, '');
    const reason = `Ollama at ${host} sent more than 1,000 layers for this model, so Paddock stopped the download.`;
    expect(job.error).toBe(reason);
    expect(failed).toEqual([reason]);
    expect(job.toSavedPull().layers.length).toBe(1000);
    // No retry: the stream was closed once and the server hears no more of it.
    expect((await sim.state(0)).activePulls).toBe(0);
    expect(await pullRequests()).toBe(1);
    await manager.whenSaved();
    expect(JSON.parse(readText(harness.loadingFile))).toEqual([]);
  });
});
