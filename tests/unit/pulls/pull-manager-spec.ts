import type { PullJob } from '../../../src/pulls/pull-job.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { formatBytes } from '../../../src/util/text.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, slowModel, until, untilStatus } from './pull-harness.js';

describe('Pulls PullManager', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [
      TINY,
      slowModel('slow:7b'),
      slowModel('a:1'),
      slowModel('b:1'),
      slowModel('c:1'),
    ]);
    manager = harness.manager();
    await manager.load();
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  /** The manager's signals, in order, in words. */
  function record(): string[] {
    const events: string[] = [];
    manager.connect('status-changed', (_m: PullManager, job: PullJob, previous: string) =>
      events.push(`status ${job.name} ${previous}→${job.status}`),
    );
    manager.connect('model-complete', (_m: PullManager, job: PullJob) =>
      events.push(`complete ${job.name}`),
    );
    manager.connect('model-failed', (_m: PullManager, job: PullJob, message: string) =>
      events.push(`failed ${job.name}: ${message}`),
    );
    return events;
  }

  async function pullRequests(): Promise<number> {
    return (await sim.requests()).filter((request) => request.path === '/api/pull').length;
  }

  describe('pulling', () => {
    it('pulls a model to the end and says so', async () => {
      const events = record();
      const job = manager.start(harness.connectionId, 'tiny:1b');
      expect(job.name).toBe('tiny:1b');
      expect(job.connectionId).toBe(harness.connectionId);
      expect(job.connectionUrl).toBe(sim.url);
      expect(job.status).toBe('pulling');
      expect(manager.jobs).toEqual([job]);
      expect(manager.model.get_n_items()).toBe(1);
      await untilStatus(job, 'complete');
      expect(job.completed).toBe(1_001_700);
      expect(job.total).toBe(1_001_700);
      expect(job.fraction).toBe(1);
      expect(job.progress).toBe(1);
      expect(job.statusLine).toBe('success');
      expect(job.error).toBeNull();
      expect(job.text).toBe(`Complete · ${formatBytes(1_001_700)}`);
      expect(events).toEqual([
        'status tiny:1b queued→pulling',
        'status tiny:1b pulling→complete',
        'complete tiny:1b',
      ]);
      expect((await sim.state()).installed).toContain('tiny:1b');
      // Finished jobs stay listed until dismissed.
      expect(manager.dismiss(job.id)).toBeTrue();
      expect(manager.jobs).toEqual([]);
      expect(manager.model.get_n_items()).toBe(0);
    });

    it('names the model as Ollama displays it', async () => {
      await sim.addModels([{ name: 'plain', layers: [{ size: 1000 }] }]);
      const job = manager.start(harness.connectionId, '  plain ');
      expect(job.name).toBe('plain:latest');
      await untilStatus(job, 'complete');
    });

    it('joins a second request for the same model on the same connection', async () => {
      await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
      const job = manager.start(harness.connectionId, 'slow:7b');
      expect(manager.start(harness.connectionId, 'SLOW:7b')).toBe(job);
      expect(manager.start(harness.connectionId, 'registry.ollama.ai/library/slow:7b')).toBe(job);
      expect(manager.find(harness.connectionId, 'slow:7b')).toBe(job);
      expect(manager.jobs.length).toBe(1);
      await sim.state(1);
      expect(await pullRequests()).toBe(1);
    });

    it('queues the pulls beyond the per-connection limit, and starts them as room frees up', async () => {
      await sim.setFaults(
        ['a:1', 'b:1', 'c:1'].map((model) => ({ on: 'pull', model, kind: 'stall' })),
      );
      const [a, b, c] = ['a:1', 'b:1', 'c:1'].map((name) =>
        manager.start(harness.connectionId, name),
      );
      const fourth = manager.start(harness.connectionId, 'tiny:1b');
      expect([a, b, c].map((job) => job.status)).toEqual(['pulling', 'pulling', 'pulling']);
      expect(fourth.status).toBe('queued');
      expect(fourth.text).toBe('Queued');
      await sim.state(3);
      expect(await pullRequests()).toBe(3);

      // Another connection has its own room.
      const other = await harness.connections.add({ name: 'Other', url: sim.url });
      const elsewhere = manager.start(other.id, 'tiny:1b');
      expect(elsewhere).not.toBe(fourth);
      expect(elsewhere.status).toBe('pulling');
      await untilStatus(elsewhere, 'complete');

      expect(manager.pause(a.id)).toBeTrue();
      expect(fourth.status).toBe('pulling');
      await untilStatus(fourth, 'complete');
      expect([b, c].map((job) => job.status)).toEqual(['pulling', 'pulling']);
    });

    it('reads the limit again when told the settings changed', async () => {
      let limit = 1;
      manager = harness.manager({ maxPullsPerConnection: () => limit });
      await manager.load();
      await sim.setFaults([{ on: 'pull', model: 'a:1', kind: 'stall' }]);
      const a = manager.start(harness.connectionId, 'a:1');
      const tiny = manager.start(harness.connectionId, 'tiny:1b');
      expect(tiny.status).toBe('queued');
      limit = 2;
      manager.settingsChanged();
      expect(a.status).toBe('pulling');
      await untilStatus(tiny, 'complete');
    });

    it('cancels a pull: the stream closes, and the server may keep its part', async () => {
      const events = record();
      const job = manager.start(harness.connectionId, 'slow:7b');
      await until(() => job.completed > 0, 'bytes arrive');
      expect(manager.cancel(job.id)).toBeTrue();
      expect(job.status).toBe('cancelled');
      expect(job.text).toContain('Ollama may keep the part it downloaded');
      expect(manager.cancel(job.id)).toBeFalse();
      const state = await sim.state(0);
      expect(state.activePulls).toBe(0);
      expect(Object.values(state.partials).some((bytes) => bytes > 0)).toBeTrue();
      expect(events).toEqual(['status slow:7b queued→pulling', 'status slow:7b pulling→cancelled']);
    });

    it('pauses a pull and resumes it where the server left off', async () => {
      const job = manager.start(harness.connectionId, 'slow:7b');
      await until(() => job.completed > 0, 'bytes arrive');
      expect(manager.pause(job.id)).toBeTrue();
      expect(job.status).toBe('paused');
      const paused = job.completed;
      expect(job.text).toMatch(/^Paused · \d+% · /);
      expect(job.text).toContain(`of ${formatBytes(2_000_000_500)}`);
      expect(manager.pause(job.id)).toBeFalse();
      expect((await sim.state(0)).activePulls).toBe(0);

      await sim.configure({ bytesPerTick: 500_000_000 });
      expect(manager.resume(job.id)).toBeTrue();
      expect(job.status).toBe('pulling');
      await untilStatus(job, 'complete');
      expect(harness.clients.attempts.length).toBe(2);
      expect(harness.clients.firstCompleted(1)).toBeGreaterThan(0);
      expect(job.completed).toBeGreaterThan(paused);
      expect(manager.resume(job.id)).toBeFalse();
    });

    it('pauses queued and waiting pulls too, and starting a paused one resumes it', async () => {
      manager = harness.manager({ maxPullsPerConnection: () => 1 });
      await manager.load();
      await sim.setFaults([{ on: 'pull', model: 'a:1', kind: 'http-500' }]);
      const a = manager.start(harness.connectionId, 'a:1');
      const tiny = manager.start(harness.connectionId, 'tiny:1b');
      expect(manager.pause(tiny.id)).toBeTrue();
      expect(tiny.status).toBe('paused');
      await untilStatus(a, 'pending-retry', 1);
      expect(manager.pause(a.id)).toBeTrue();
      expect(a.error).toBeNull();
      harness.clock.advance(600_000);
      expect(a.status).toBe('paused');
      expect(await pullRequests()).toBe(1);

      expect(manager.start(harness.connectionId, 'tiny:1b')).toBe(tiny);
      expect(tiny.status).toBe('pulling');
      await untilStatus(tiny, 'complete');
    });

    it('replaces a finished pull of the same model with a new one', async () => {
      const first = manager.start(harness.connectionId, 'tiny:1b');
      await untilStatus(first, 'complete');
      const second = manager.start(harness.connectionId, 'tiny:1b');
      expect(second).not.toBe(first);
      expect(manager.jobs).toEqual([second]);
      expect(manager.get(first.id)).toBeNull();
      await untilStatus(second, 'complete');
      expect(manager.dismiss(second.id)).toBeTrue();
      expect(manager.dismiss(second.id)).toBeFalse();
    });
  });

  describe('errors that retrying cannot fix', () => {
    async function expectFailsAtOnce(job: PullJob, reason: RegExp): Promise<void> {
      await untilStatus(job, 'failed');
      expect(job.retryCount).toBe(0);
      expect(job.error).toMatch(reason);
      expect(job.text).toBe('Failed');
      // Nothing waits to retry (once the last save has run, nothing waits at all).
      await manager.whenSaved();
      expect(harness.clock.pendingDelays()).toEqual([]);
    }

    it('fails at once for an unknown model', async () => {
      const events = record();
      const job = manager.start(harness.connectionId, 'nothing:here');
      await expectFailsAtOnce(job, /found no model with this name/);
      expect(events[events.length - 1]).toMatch(/^failed nothing:here: .*found no model/);
    });

    it('fails at once when the server wants an API key (HTTP 401)', async () => {
      await sim.configure({ token: 'secret' });
      const job = manager.start(harness.connectionId, 'tiny:1b');
      await expectFailsAtOnce(job, /asks for an API key \(HTTP 401\)/);
    });

    it('fails at once, without asking the server, for an invalid name or a cloud tag', async () => {
      const events = record();
      const invalid = manager.start(harness.connectionId, 'bad name');
      expect(invalid.status).toBe('failed');
      expect(invalid.name).toBe('bad name');
      expect(invalid.error).toContain('is not a valid model name');
      for (const name of ['gpt-oss:120b-cloud', 'x:cloud', 'deepseek-v3.1:671B-Cloud']) {
        const job = manager.start(harness.connectionId, name);
        expect(job.status).withContext(name).toBe('failed');
        expect(job.error).withContext(name).toContain('runs on ollama.com');
      }
      expect(events.filter((event) => event.startsWith('failed')).length).toBe(4);
      expect(await pullRequests()).toBe(0);
    });

    it('fails at once for a connection that does not exist', () => {
      const job = manager.start('no-such-connection', 'tiny:1b');
      expect(job.status).toBe('failed');
      expect(job.error).toBe('That connection no longer exists.');
    });

    it('fails at once when the server runs out of disk space', async () => {
      await sim.setFaults([{ on: 'pull', kind: 'disk-full', afterBytes: 400_000 }]);
      const job = manager.start(harness.connectionId, 'tiny:1b');
      await expectFailsAtOnce(job, /ran out of disk space/);
    });

    it('fails at once when something other than Ollama answers', async () => {
      await sim.setFaults([{ on: 'pull', kind: 'not-ollama' }]);
      const job = manager.start(harness.connectionId, 'tiny:1b');
      await expectFailsAtOnce(job, /not Ollama/);
    });
  });

  describe('updates', () => {
    it('sends progress at most once every 2 s per pull, and status changes at once', async () => {
      const updates: number[] = [];
      manager.connect('progress-updated', () => updates.push(harness.clock.now()));
      const events = record();
      const job = manager.start(harness.connectionId, 'tiny:1b');
      await untilStatus(job, 'complete');
      expect(harness.clients.attempts[0].length).toBeGreaterThan(5);
      // The clock never moved: one update when the stream started, none after.
      expect(updates).toEqual([0]);
      expect(events).toContain('status tiny:1b pulling→complete');
    });

    it('keeps saying for how long a stalled pull got nothing, every 2 s at most', async () => {
      await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 800_000 }]);
      const updates: number[] = [];
      const job = manager.start(harness.connectionId, 'slow:7b');
      await until(() => job.completed >= 800_000, '800 kB arrive');
      manager.connect('progress-updated', () => updates.push(harness.clock.now()));
      for (let i = 0; i < 80; i++) harness.clock.advance(500);
      expect(job.status).toBe('pulling');
      expect(job.speed).toBeNull();
      expect(job.stalledFor).toBe(40);
      expect(job.text).toMatch(/^0% · .* of .* · stalled for 40 s$/);
      for (let i = 0; i < 40; i++) harness.clock.advance(500);
      expect(job.text).toMatch(/stalled for 1 min$/);
      const gaps = updates.slice(1).map((time, i) => time - updates[i]);
      expect(updates.length).toBeGreaterThanOrEqual(20);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2000);
    });

    it('never shows less than before, across blobs and retries', async () => {
      await sim.addModels([
        {
          name: 'layers:1',
          layers: [{ size: 3_000_000 }, { size: 2_000_000 }, { size: 1_000_000 }],
        },
      ]);
      await sim.setFaults([{ on: 'pull', kind: 'mid-stream-error', afterBytes: 3_500_000 }]);
      const completed: number[] = [];
      const fractions: number[] = [];
      harness.clients.afterLine = () => {
        const job = manager.jobs[0];
        completed.push(job.completed);
        fractions.push(job.fraction ?? 0);
      };
      const job = manager.start(harness.connectionId, 'layers:1');
      await untilStatus(job, 'pending-retry', 1);
      harness.clock.advance(10_000);
      await untilStatus(job, 'complete');
      expect(harness.clients.attempts.length).toBe(2);
      const rising = (values: number[]) =>
        values.every((value, i) => i === 0 || value >= values[i - 1]);
      expect(rising(completed)).toBeTrue();
      expect(rising(fractions)).toBeTrue();
      expect(completed[completed.length - 1]).toBe(6_000_000);
      expect(fractions[fractions.length - 1]).toBe(1);
    });
  });

  describe('on a metered network', () => {
    let asked: [string, number][];
    let answer: boolean;

    beforeEach(async () => {
      asked = [];
      answer = true;
      harness.network.metered = true;
      manager = harness.manager({
        confirmMetered: (name, bytes) => {
          asked.push([name, bytes]);
          return Promise.resolve(answer);
        },
      });
      await manager.load();
    });

    it('asks before starting a pull of more than 1 GB whose size is known, and pauses if told no', async () => {
      answer = false;
      const job = manager.start(harness.connectionId, 'slow:7b', { sizeHint: 2e9 });
      expect(job.waitingFor).toBe('confirmation');
      expect(job.text).toBe('Waiting for permission to download over a metered network');
      await untilStatus(job, 'paused');
      expect(asked).toEqual([['slow:7b', 2e9]]);
      expect(job.error).toContain('metered');
      expect(await pullRequests()).toBe(0);
      // Resuming it is the permission.
      await sim.configure({ bytesPerTick: 500_000_000 });
      expect(manager.resume(job.id)).toBeTrue();
      await untilStatus(job, 'complete');
      expect(asked.length).toBe(1);
    });

    it('asks once the first blob tells the size, closing the stream until the answer', async () => {
      await sim.configure({ bytesPerTick: 400_000_000 });
      const job = manager.start(harness.connectionId, 'slow:7b');
      await untilStatus(job, 'complete');
      expect(asked).toEqual([['slow:7b', 2_000_000_000]]);
      expect(harness.clients.attempts.length).toBe(2);
      // The first stream closed as soon as the size showed, long before its end.
      const first = harness.clients.attempts[0];
      expect(first.some((line) => line.status === 'success')).toBeFalse();
      expect(first.length).toBeLessThan(10);
    });

    it('does not ask for small pulls', async () => {
      const job = manager.start(harness.connectionId, 'tiny:1b', { sizeHint: 1_001_700 });
      await untilStatus(job, 'complete');
      expect(asked).toEqual([]);
    });
  });
});
