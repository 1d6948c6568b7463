import GLib from 'gi://GLib';

import type { SavedPull } from '../../../src/pulls/saved-pull.js';
import type { PullJob } from '../../../src/pulls/pull-job.js';
import type { PullManager } from '../../../src/pulls/pull-manager.js';
import { exists, listNames, modeOf, readBytes, readText, writeBytes } from '../config/temp-dir.js';
import { useSimulator, type Simulator } from '../helpers/simulator.js';
import { PullHarness, TINY, slowModel, until, untilStatus } from './pull-harness.js';

/** What a previous run could have written. */
function entry(fields: Partial<SavedPull> & Pick<SavedPull, 'model'>): SavedPull {
  return {
    id: GLib.uuid_string_random(),
    connectionId: '',
    connectionUrl: 'http://127.0.0.1:11434',
    status: 'pulling',
    error: null,
    statusLine: '',
    completed: 0,
    total: 0,
    retryCount: 0,
    startedAt: '2025-12-31T23:00:00.000Z',
    layers: [],
    sizeHint: null,
    ...fields,
  };
}

describe('Pulls persistence', () => {
  const simulator = useSimulator();
  let sim: Simulator;
  let harness: PullHarness;
  let manager: PullManager;

  beforeEach(async () => {
    sim = simulator();
    harness = await PullHarness.against(sim, [TINY, slowModel('slow:7b'), slowModel('a:1')]);
    GLib.mkdir_with_parents(harness.dataDir.get_path()!, 0o700);
  });

  afterEach(async () => {
    await harness.tearDown();
  });

  function saved(): SavedPull[] {
    return JSON.parse(readText(harness.loadingFile)) as SavedPull[];
  }

  function writeFile(entries: unknown): void {
    writeBytes(
      harness.loadingFile,
      typeof entries === 'string' ? entries : JSON.stringify(entries),
    );
  }

  async function started(options: Parameters<PullHarness['manager']>[0] = {}): Promise<string[]> {
    manager = harness.manager(options);
    return (await manager.load()).problems;
  }

  it('writes a pull when it starts and when its status changes, and removes it when done', async () => {
    await started();
    await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
    const job = manager.start(harness.connectionId, 'tiny:1b', { sizeHint: 1_000_000 });
    await manager.whenSaved();
    const [first] = saved();
    // The stream may or may not have said its first line by the second write.
    expect(['', 'pulling manifest']).toContain(first.statusLine);
    expect({ ...first, statusLine: '' }).toEqual({
      id: job.id,
      model: 'tiny:1b',
      connectionId: harness.connectionId,
      connectionUrl: sim.url,
      status: 'pulling',
      error: null,
      statusLine: '',
      completed: 0,
      total: 1_000_000,
      retryCount: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
      layers: [],
      sizeHint: 1_000_000,
    });
    await until(() => harness.clients.attempts.length === 1, 'the stream starts');
    harness.clock.advance(90_000);
    await untilStatus(job, 'pending-retry', 1);
    await manager.whenSaved();
    expect(saved()[0]).toEqual(
      jasmine.objectContaining({ status: 'pending-retry', retryCount: 1, error: job.error }),
    );
    harness.clock.advance(10_000);
    await untilStatus(job, 'complete');
    await manager.whenSaved();
    expect(saved()).toEqual([]);
    // Written by renaming a complete file over the old one: nothing else is left behind.
    expect(listNames(harness.dataDir)).toEqual(['loading.json']);
  });

  it('saves progress alone every 5 minutes', async () => {
    await started({ stallSeconds: () => 3600 });
    await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 20_000_000 }]);
    const job = manager.start(harness.connectionId, 'slow:7b');
    await until(() => job.completed >= 20_000_000, '20 MB arrive');
    await manager.whenSaved();
    const atStart = readText(harness.loadingFile);
    expect(saved()[0].completed).toBeLessThan(job.completed);
    harness.clock.advance(299_999);
    await manager.whenSaved();
    expect(readText(harness.loadingFile)).toBe(atStart);
    harness.clock.advance(1);
    await manager.whenSaved();
    expect(saved()[0].completed).toBe(job.completed);
    expect(saved()[0].layers.length).toBe(1);
    expect(saved()[0].statusLine).toMatch(/^pulling [0-9a-f]{12}$/);
  });

  it('resumes after the app was killed, from where the server and the file left off', async () => {
    await started({ stallSeconds: () => 3600 });
    await sim.setFaults([{ on: 'pull', kind: 'stall', afterBytes: 1_200_000 }]);
    const first = manager.start(harness.connectionId, 'slow:7b');
    await until(() => first.completed >= 1_200_000, '1.2 MB arrive');
    harness.clock.advance(300_000);
    await manager.whenSaved();
    // The file as a SIGKILL would leave it; the old manager's streams then close.
    const atKill = readBytes(harness.loadingFile);
    await manager.shutdown();
    writeBytes(harness.loadingFile, atKill);

    await sim.configure({ bytesPerTick: 500_000_000 });
    const shown: number[] = [];
    harness.clients.afterLine = () => shown.push(manager.jobs[0].completed);
    expect(await started()).toEqual([]);
    const [job] = manager.jobs;
    expect(job.id).toBe(first.id);
    expect(job.name).toBe('slow:7b');
    expect(job.completed).toBeGreaterThanOrEqual(1_200_000);
    expect(job.status).toBe('pulling');
    await untilStatus(job, 'complete');
    expect(harness.clients.firstCompleted(1)).toBeGreaterThanOrEqual(1_200_000);
    expect(Math.min(...shown)).toBeGreaterThanOrEqual(1_200_000);
    await manager.whenSaved();
    expect(saved()).toEqual([]);
  });

  it('saves live pulls as they stand when it shuts down, and the next start resumes them', async () => {
    await started();
    await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
    const job = manager.start(harness.connectionId, 'slow:7b');
    await sim.state(1);
    await manager.shutdown();
    expect(saved().map((item) => [item.id, item.status])).toEqual([[job.id, 'pulling']]);
    expect((await sim.state(0)).activePulls).toBe(0);
    expect(() => manager.start(harness.connectionId, 'tiny:1b')).toThrowError(/shutdown/);

    await started();
    expect(manager.jobs.map((item) => [item.id, item.status])).toEqual([[job.id, 'pulling']]);
  });

  it('keeps paused pulls paused, resumes the others, and fails those whose connection is gone', async () => {
    const paused = entry({
      model: 'slow:7b',
      connectionId: harness.connectionId,
      status: 'paused',
      completed: 1000,
      total: 2_000_000_500,
    });
    const waiting = entry({
      model: 'tiny:1b',
      connectionId: harness.connectionId,
      status: 'pending-retry',
      retryCount: 2,
    });
    const orphan = entry({
      model: 'a:1',
      connectionId: 'removed',
      connectionUrl: 'http://192.0.2.7:11434',
    });
    const finished = entry({
      model: 'x:1',
      connectionId: harness.connectionId,
      status: 'complete',
    });
    writeFile([paused, waiting, orphan, finished]);
    const failed: string[] = [];
    manager = harness.manager();
    manager.connect('model-failed', (_m: PullManager, job: PullJob, message: string) =>
      failed.push(`${job.name}: ${message}`),
    );
    expect((await manager.load()).problems).toEqual([]);
    expect(manager.jobs.map((job) => [job.name, job.status])).toEqual([
      ['slow:7b', 'paused'],
      ['tiny:1b', 'pulling'],
      ['a:1', 'failed'],
    ]);
    expect(manager.jobs[1].retryCount).toBe(2);
    expect(failed).toEqual([
      'a:1: The connection to http://192.0.2.7:11434 no longer exists, so this download cannot resume.',
    ]);
    await untilStatus(manager.jobs[1], 'complete');
    await manager.whenSaved();
    expect(saved().map((item) => [item.id, item.status])).toEqual([[paused.id, 'paused']]);
    const requests = (await sim.requests()).filter((request) => request.path === '/api/pull');
    expect(requests.map((request) => request.body)).toEqual([{ model: 'tiny:1b', stream: true }]);
  });

  it('never shows less than the file said, even when the server has less', async () => {
    const { models } = await sim.control<{
      models: { name: string; layers: { digest: string }[] }[];
    }>('GET', 'registry');
    const digest = models.find((model) => model.name === 'slow:7b')!.layers[0].digest;
    writeFile([
      entry({
        model: 'slow:7b',
        connectionId: harness.connectionId,
        completed: 50_000_000,
        total: 2_000_000_500,
        layers: [{ digest, total: 2_000_000_000, completed: 50_000_000 }],
      }),
    ]);
    const shown: number[] = [];
    const fractions: number[] = [];
    harness.clients.afterLine = () => {
      shown.push(manager.jobs[0].completed);
      fractions.push(manager.jobs[0].fraction!);
    };
    await started();
    const [job] = manager.jobs;
    expect(job.completed).toBe(50_000_000);
    expect(job.fraction).toBeCloseTo(0.025, 3);
    await until(() => (harness.clients.attempts[0]?.length ?? 0) > 20, 'lines arrive');
    await sim.configure({ bytesPerTick: 500_000_000 });
    await untilStatus(job, 'complete');
    expect(harness.clients.firstCompleted(0)).toBeLessThan(50_000_000);
    expect(Math.min(...shown)).toBe(50_000_000);
    expect(fractions.every((value, i) => i === 0 || value >= fractions[i - 1])).toBeTrue();
  });

  it('sets a corrupt file aside, says so, and starts', async () => {
    writeFile('[{"id": "x", "model": ');
    const problems = await started();
    expect(problems.length).toBe(1);
    const aside = harness.dataDir.get_child('loading.json.corrupt-20260101T000000Z');
    expect(problems[0]).toMatch(
      /^Paddock could not read its saved downloads because it is not valid JSON \(.+\)\. The file was kept as .*loading\.json\.corrupt-20260101T000000Z\.$/,
    );
    expect(readText(aside)).toBe('[{"id": "x", "model": ');
    await manager.whenSaved();
    expect(saved()).toEqual([]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'complete');
  });

  it('sets aside a file that is not a list, or not text, without overwriting an earlier one', async () => {
    writeFile('{}');
    expect((await started())[0]).toContain('because it is not a list of downloads');
    await manager.shutdown();
    writeBytes(harness.loadingFile, new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]));
    expect((await started())[0]).toContain('because it is not UTF-8 text');
    await manager.whenSaved();
    expect(listNames(harness.dataDir)).toEqual([
      'loading.json',
      'loading.json.corrupt-20260101T000000Z',
      'loading.json.corrupt-20260101T000000Z-2',
    ]);
  });

  it('sets aside a file it cannot read', async () => {
    GLib.mkdir_with_parents(harness.loadingFile.get_path()!, 0o700);
    const [problem] = await started();
    expect(problem).toMatch(
      /^Paddock could not read its saved downloads because .+\. The file was kept as /,
    );
    expect(exists(harness.dataDir.get_child('loading.json.corrupt-20260101T000000Z'))).toBeTrue();
    await manager.whenSaved();
    expect(saved()).toEqual([]);
  });

  it('resumes the usable entries of a partly broken file, and keeps the file', async () => {
    const good = entry({ model: 'tiny:1b', connectionId: harness.connectionId, status: 'queued' });
    writeFile([good, { ...good, id: 'other', model: 'bad name' }, 42, { ...good }]);
    const [problem] = await started();
    expect(problem).toMatch(
      /^Paddock had to fix its saved downloads \(entry 2 was left out because it has no valid model name; entry 3 was left out because it is not an object; entry 4 was left out because its id is used twice\)\. The file was kept as .*corrupt-20260101T000000Z\.$/,
    );
    expect(manager.jobs.map((job) => job.id)).toEqual([good.id]);
    await untilStatus(manager.jobs[0], 'complete');
  });

  it('reports a file it cannot write, once, and the pull goes on', async () => {
    const reports: string[] = [];
    manager = harness.manager();
    manager.connect('store-problem', (_m: PullManager, message: string) => reports.push(message));
    await manager.load();
    await manager.whenSaved();
    // A folder in the file's place: even root cannot replace it.
    harness.loadingFile.delete(null);
    GLib.mkdir_with_parents(`${harness.loadingFile.get_path()}/blocked`, 0o700);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await manager.whenSaved();
    expect(reports.length).toBe(1);
    await untilStatus(job, 'complete');
    await manager.whenSaved();
    expect(reports.length).toBe(1);
    expect(reports[0]).toMatch(
      /^Paddock could not save its list of downloads to .*loading\.json \(.+\)\. They go on, but may not resume after a restart\.$/,
    );
    expect(manager.storeProblem).toBe(reports[0]);
  });

  it('writes loading.json in place through GIO, with no loading.json.tmp step', async () => {
    // A folder where the old code wrote its temporary copy no longer stands in the way.
    GLib.mkdir_with_parents(`${harness.dataDir.get_path()}/loading.json.tmp/blocked`, 0o700);
    const reports: string[] = [];
    manager = harness.manager();
    manager.connect('store-problem', (_m: PullManager, message: string) => reports.push(message));
    await manager.load();
    await sim.setFaults([{ on: 'pull', kind: 'stall' }]);
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await manager.whenSaved();
    expect(reports).toEqual([]);
    expect(saved().map((item) => item.id)).toEqual([job.id]);
    expect(modeOf(harness.loadingFile)).toBe(0o600);
  });

  it('keeps nothing on disk without a data folder', async () => {
    manager = harness.manager({ dataDir: null });
    expect(await manager.load()).toEqual({ problems: [] });
    const job = manager.start(harness.connectionId, 'tiny:1b');
    await untilStatus(job, 'complete');
    expect(listNames(harness.dataDir)).toEqual([]);
  });
});
