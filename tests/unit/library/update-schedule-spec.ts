import Gio from 'gi://Gio';

import type { ServerState } from '../../../src/library/model-library.js';
import type { UpdateResult } from '../../../src/library/update-check.js';
import { UpdateSchedule } from '../../../src/library/update-schedule.js';
import { CancelledError } from '../../../src/ollama/errors.js';
import type { InstalledModel } from '../../../src/ollama/types.js';
import { serverState } from '../helpers/installed-models.js';
import { ManualClock } from '../helpers/manual-clock.js';

const DAY_MS = 24 * 3600 * 1000;

const model = (name: string, digest: string) => ({ name, digest }) as InstalledModel;

const server = (connectionId: string, models: InstalledModel[]) =>
  serverState(connectionId, models);

/** The library as the schedule sees it: servers, load() that the spec resolves, a signal. */
class FakeLibrary {
  states: ServerState[] = [];
  readonly #handlers = new Map<number, () => void>();
  #nextId = 1;
  finishLoad: () => void = () => undefined;
  readonly loaded = new Promise<void>((resolve) => (this.finishLoad = resolve));

  servers(): readonly ServerState[] {
    return this.states;
  }

  load(): Promise<void> {
    return this.loaded;
  }

  connect(_signal: 'server-changed', callback: () => void): number {
    this.#handlers.set(this.#nextId, callback);
    return this.#nextId++;
  }

  disconnect(id: number): void {
    this.#handlers.delete(id);
  }

  change(states: ServerState[]): void {
    this.states = states;
    for (const handler of this.#handlers.values()) handler();
  }
}

interface Check {
  names: string[];
  force: boolean;
  cancellable: Gio.Cancellable;
  finish: () => void;
}

/** The update check: each check() waits for the spec; registry digests by model name. */
class FakeUpdates {
  readonly checks: Check[] = [];
  readonly latest = new Map<string, string>();

  check(
    models: readonly InstalledModel[],
    options: { force?: boolean; cancellable?: Gio.Cancellable | null },
  ): Promise<Map<string, UpdateResult>> {
    const cancellable = options.cancellable!;
    return new Promise((resolve, reject) => {
      cancellable.connect(() => reject(new CancelledError()));
      this.checks.push({
        names: models.map((entry) => entry.name),
        force: options.force ?? false,
        cancellable,
        finish: () => resolve(new Map()),
      });
    });
  }

  cached(models: readonly InstalledModel[]): Promise<Map<string, UpdateResult | null>> {
    return Promise.resolve(
      new Map(
        models.map((entry) => {
          const latest = this.latest.get(entry.name);
          if (latest === undefined) return [entry.name, null];
          const state = latest === entry.digest ? 'up-to-date' : 'outdated';
          return [entry.name, { state, reason: null, detail: null, checkedAt: 1 }];
        }),
      ),
    );
  }
}

/** Lets the promises the schedule chains settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('Update schedule', () => {
  let clock: ManualClock;
  let library: FakeLibrary;
  let updates: FakeUpdates;
  let schedule: UpdateSchedule;
  let changes: number;

  beforeEach(() => {
    clock = new ManualClock();
    library = new FakeLibrary();
    updates = new FakeUpdates();
    library.states = [
      server('a', [model('qwen3:8b', 'old'), model('gemma3:4b', 'same')]),
      server('b', [model('qwen3:8b', 'new')]),
      server('down', []),
    ];
    updates.latest.set('qwen3:8b', 'new');
    updates.latest.set('gemma3:4b', 'same');
    schedule = new UpdateSchedule({ library, updates, intervalMs: DAY_MS, clock });
    changes = 0;
    schedule.connect('changed', () => changes++);
  });

  afterEach(() => {
    schedule.stop();
  });

  it('checks every server’s models once the library has listed them, then once a day', async () => {
    schedule.start();
    await settle();
    expect(updates.checks).toEqual([]);

    library.finishLoad();
    await settle();
    expect(updates.checks.map(({ names, force }) => ({ names, force }))).toEqual([
      { names: ['qwen3:8b', 'gemma3:4b'], force: false },
      { names: ['qwen3:8b'], force: false },
    ]);
    expect(schedule.checking).toBeTrue();
    expect(clock.pendingDelays()).toEqual([]);
    for (const check of updates.checks) check.finish();
    await settle();
    expect(schedule.checking).toBeFalse();
    expect(schedule.outdated).toEqual([{ connectionId: 'a', name: 'qwen3:8b' }]);
    expect(changes).toBe(1);
    expect(clock.pendingDelays()).toEqual([DAY_MS]);

    clock.advance(DAY_MS - 1);
    expect(updates.checks.length).toBe(2);
    clock.advance(1);
    await settle();
    expect(updates.checks.length).toBe(4);
    expect(updates.checks[3].force).toBeFalse();
  });

  it('follows the library: a model updated since drops out, without asking again', async () => {
    schedule.start();
    library.finishLoad();
    await settle();
    for (const check of updates.checks) check.finish();
    await settle();
    expect(schedule.outdated.length).toBe(1);

    // Update All pulled it: the library's refresh lists the new digest.
    library.change([server('a', [model('qwen3:8b', 'new'), model('gemma3:4b', 'same')])]);
    await settle();
    expect(schedule.outdated).toEqual([]);
    expect(changes).toBe(2);
    expect(updates.checks.length).toBe(2);
    // A refresh that changes nothing says nothing.
    library.change(library.states);
    await settle();
    expect(changes).toBe(2);
  });

  it('leaves a list saved last time alone until its server answers', async () => {
    library.states = [
      { ...server('a', [model('qwen3:8b', 'old')]), refreshedAt: null, restoredAt: 1 },
      server('b', [model('qwen3:8b', 'new')]),
    ];
    schedule.start();
    library.finishLoad();
    await settle();
    expect(updates.checks.map(({ names }) => names)).toEqual([['qwen3:8b']]);
    for (const check of updates.checks) check.finish();
    await settle();
    // Its cached answer says outdated, but Update All would pull on a server not seen yet.
    expect(schedule.outdated).toEqual([]);
  });

  it('shows what the last check found before checking again', async () => {
    schedule.start();
    await settle();
    expect(schedule.outdated).toEqual([{ connectionId: 'a', name: 'qwen3:8b' }]);
    expect(updates.checks).toEqual([]);
  });

  it('Check for Updates forces a new check in place of the one under way; stop ends both', async () => {
    schedule.start();
    library.finishLoad();
    await settle();
    const first = updates.checks.slice();
    const forced = schedule.check(true);
    await settle();
    expect(first.every((check) => check.cancellable.is_cancelled())).toBeTrue();
    expect(updates.checks.slice(2).map((check) => check.force)).toEqual([true, true]);

    schedule.stop();
    await forced;
    expect(updates.checks.every((check) => check.cancellable.is_cancelled())).toBeTrue();
    expect(clock.pendingDelays()).toEqual([]);
    library.change([]);
    await settle();
    expect(schedule.outdated.length).toBe(1);
  });
});
