import type Gio from 'gi://Gio';

import type { PullProgress } from '../../../src/ollama/types.js';
import { MAX_DIGEST, MAX_LAYERS, MAX_TEXT, type SavedPull } from '../../../src/pulls/saved-pull.js';
import type { PullClient, PullClientSource } from '../../../src/pulls/pull-job.js';
import { PullManager } from '../../../src/pulls/pull-manager.js';
import { makeTempDir, readText, removeTree } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { FakeNetworkState } from './fake-network-state.js';
import { until } from './pull-harness.js';

const MIB = 1024 * 1024;
const CONTROL = '\u0000\u001b[2J';
const THUMB = '\u{1F44D}\u{1F3FD}';
/** A status line of 1 MiB, with control characters and an emoji where it gets cut. */
const HUGE_STATUS = `${CONTROL}${'a'.repeat(3992)}${THUMB}${'b'.repeat(MIB)}`;
/** An error text of 1 MiB with an accent (a combining mark) where it gets cut. */
const HUGE_ERROR = `${'x'.repeat(3998)}e\u0301${'y'.repeat(MIB)}`;
const LONG_DIGEST = `sha256:${'e'.repeat(10_000)}`;

/** One attempt of a pull: the lines it sends, then how it ends ('stall' waits for a cancel). */
type Attempt = { lines: PullProgress[]; end: Error | 'stall' };

/** A server that sends exactly what the spec scripts, model by model and attempt by attempt. */
class ScriptedClients implements PullClientSource {
  readonly scripts = new Map<string, Attempt[]>();
  readonly sent = new Map<string, number>();

  clientFor(_connectionId: string): Promise<PullClient> {
    return Promise.resolve({
      host: '127.0.0.1:11434',
      pull: async (name, onProgress, cancellable) => {
        const attempt = this.scripts.get(name)?.shift() ?? { lines: [], end: 'stall' };
        for (const line of attempt.lines) {
          if (cancellable?.is_cancelled()) throw new Error('the stream was closed');
          onProgress(line);
          this.sent.set(name, (this.sent.get(name) ?? 0) + 1);
        }
        if (attempt.end !== 'stall') throw attempt.end;
        await new Promise<void>((_resolve, reject) => {
          if (cancellable?.is_cancelled()) reject(new Error('the stream was closed'));
          cancellable?.connect(() => reject(new Error('the stream was closed')));
        });
      },
    });
  }
}

describe('Pulls round trip of loading.json', () => {
  let dir: Gio.File;
  let clock: ManualClock;
  let clients: ScriptedClients;
  const managers: PullManager[] = [];

  const connections = {
    get: (id: string) => (id === 'c1' ? { url: 'http://127.0.0.1:11434' } : null),
  };

  function manager(): PullManager {
    const made = new PullManager({
      clients,
      connections,
      dataDir: dir,
      clock,
      network: new FakeNetworkState(),
    });
    managers.push(made);
    return made;
  }

  beforeEach(() => {
    dir = makeTempDir();
    clock = new ManualClock();
    clients = new ScriptedClients();
  });

  afterEach(async () => {
    for (const made of managers.splice(0)) await made.shutdown();
    removeTree(dir);
  });

  it('writes only what it can read back, so the next start resumes the pull', async () => {
    clients.scripts.set('hostile:1b', [
      {
        lines: [
          { status: 'pulling manifest' },
          { status: 'pulling x', digest: `sha256:${'f'.repeat(64)}`, total: 1e17, completed: 1e17 },
          { status: HUGE_STATUS, digest: LONG_DIGEST, total: 1e17, completed: 1.5 },
        ],
        end: new Error(HUGE_ERROR),
      },
    ]);
    const first = manager();
    await first.load();
    const job = first.start('c1', 'hostile:1b', { sizeHint: 1e17 });
    await until(() => job.status === 'pending-retry', 'the first attempt fails');
    await first.shutdown();

    const [entry] = JSON.parse(readText(dir.get_child('loading.json'))) as SavedPull[];
    expect(entry.statusLine).toBe(`${CONTROL}${'a'.repeat(3992)}…`);
    expect(entry.error).toBe(`${'x'.repeat(3998)}…`);
    expect(entry.statusLine.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(entry.sizeHint).toBeNull();
    expect(entry.layers.length).toBe(2);
    expect(entry.layers[1].digest.length).toBeLessThanOrEqual(MAX_DIGEST);
    expect(entry.layers[1].total).toBe(Number.MAX_SAFE_INTEGER);
    expect(entry.layers[1].completed).toBe(1);
    expect(entry.completed).toBe(Number.MAX_SAFE_INTEGER);
    for (const count of [entry.completed, entry.total, ...entry.layers.map((l) => l.total)])
      expect(Number.isSafeInteger(count)).withContext(String(count)).toBeTrue();

    const second = manager();
    expect(await second.load()).toEqual({ problems: [] });
    const [resumed] = second.jobs;
    expect(resumed.id).toBe(job.id);
    expect(resumed.status).toBe('pulling');
    expect(resumed.statusLine).toBe(entry.statusLine);
    expect(resumed.completed).toBe(entry.completed);
    expect(resumed.toSavedPull().layers).toEqual(entry.layers);
  });

  it('fails a pull whose server sends more layers than a pull may have, with a plain reason', async () => {
    const lines: PullProgress[] = [{ status: 'pulling manifest' }];
    for (let i = 0; i < 5000; i++)
      lines.push({ status: `pulling ${i}`, digest: `sha256:${i}`, total: 10, completed: 10 });
    clients.scripts.set('many:1b', [{ lines, end: 'stall' }]);
    clients.scripts.set('tiny:1b', [{ lines: [{ status: 'pulling manifest' }], end: 'stall' }]);
    const first = manager();
    await first.load();
    const many = first.start('c1', 'many:1b');
    const tiny = first.start('c1', 'tiny:1b');
    await until(() => many.status === 'failed', 'the pull fails');
    expect(many.error).toBe(
      'Ollama at 127.0.0.1:11434 sent more than 1,000 layers for this model, so Paddock stopped the download.',
    );
    expect(many.toSavedPull().layers.length).toBe(MAX_LAYERS);
    // The stream was closed at the first layer too many: "pulling manifest", 1,000 layers, 1 more.
    expect(clients.sent.get('many:1b')).toBe(MAX_LAYERS + 2);
    await first.shutdown();

    const second = manager();
    expect(await second.load()).toEqual({ problems: [] });
    expect(second.jobs.map((job) => [job.id, job.status])).toEqual([[tiny.id, 'pulling']]);
  });
});
