import Gio from 'gi://Gio';
import GObject from 'gi://GObject';

import { GenerationStats } from '../../../src/library/generation-stats.js';
import { ModelStates, sameName } from '../../../src/library/model-states.js';
import { SpeedRecord } from '../../../src/library/speed-record.js';
import type { UpdateResult } from '../../../src/library/update-check.js';
import type { InstalledModel, ModelDetails, RunningModel } from '../../../src/ollama/types.js';
import type { PullJob } from '../../../src/pulls/pull-job.js';
import { makeTempDir, removeTree } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const DETAILS = {
  parent_model: '',
  format: 'gguf',
  family: 'llama',
  families: null,
  parameter_size: '3.2B',
  quantization_level: 'Q4_K_M',
} as ModelDetails;

function model(name: string, digest = name.padEnd(64, '0')): InstalledModel {
  return {
    name,
    model: name,
    modified_at: '2026-01-03T00:00:00Z',
    size: 2e9,
    digest,
    details: DETAILS,
  };
}

function running(name: string, share: number): RunningModel {
  return {
    name,
    model: name,
    size: 4e9,
    size_vram: 4e9 * share,
    digest: 'f'.repeat(64),
    details: DETAILS,
    expires_at: '2026-01-03T00:05:00Z',
  };
}

/** The pull manager as ModelStates reads it: its jobs and two signals. */
class FakePulls extends GObject.Object {
  static {
    GObject.registerClass(
      {
        Signals: {
          changed: {},
          'progress-updated': { param_types: [GObject.TYPE_JSOBJECT] },
        },
      },
      this,
    );
  }

  jobs: PullJob[] = [];
}

describe('Model states', () => {
  let dir: Gio.File;
  let pulls: FakePulls;
  let shown: string[];
  let ps: RunningModel[];
  let psFails: boolean;
  let updates: Map<string, UpdateResult | null>;
  let used: [string, string[]][];
  let memorySeen: string[];
  let speeds: SpeedRecord;
  let states: ModelStates;
  let changes: string[];

  beforeEach(() => {
    dir = makeTempDir();
    pulls = new FakePulls();
    shown = [];
    ps = [];
    psFails = false;
    updates = new Map();
    used = [];
    memorySeen = [];
    changes = [];
    speeds = new SpeedRecord(dir, new ManualClock());
    const client = {
      show: (name: string) => {
        shown.push(name);
        if (name === 'broken:latest') return Promise.reject(new Error('500'));
        return Promise.resolve({ capabilities: name.startsWith('llava') ? ['vision'] : ['tools'] });
      },
      ps: () => (psFails ? Promise.reject(new Error('404')) : Promise.resolve(ps)),
    };
    states = new ModelStates({
      clients: {
        clientFor: () => Promise.resolve(client as never),
      },
      pulls: pulls as never,
      updates: () => ({ cached: () => Promise.resolve(updates) }),
      speeds: () => Promise.resolve(speeds),
      usage: () =>
        Promise.resolve({
          seenLoaded: (id: string, names: readonly string[]) => {
            used.push([id, [...names]]);
            return Promise.resolve();
          },
        } as never),
      memoryEvidence: () => ({
        note: (url: string) => {
          memorySeen.push(url);
          return Promise.resolve();
        },
      }),
      urlOf: (id) => (id === 'a' ? 'http://a' : id === 'b' ? 'http://b' : null),
    });
    states.connect('changed', (_states: unknown, id: string) => changes.push(id));
  });

  afterEach(() => {
    states.close();
    removeTree(dir);
  });

  it('knows nothing of a model before it asks', () => {
    expect(states.state('a', model('qwen3:8b'))).toEqual({
      capabilities: null,
      running: null,
      outdated: false,
      downloading: null,
      tokensPerSecond: null,
    });
  });

  it('asks each model’s capabilities once per server and digest, and skips failures', async () => {
    const models = [model('qwen3:8b'), model('llava:7b'), model('broken:latest')];
    await states.readCapabilities('a', models);
    expect(shown.sort()).toEqual(['broken:latest', 'llava:7b', 'qwen3:8b']);
    expect(states.state('a', models[1]).capabilities).toEqual(['vision']);
    expect(states.state('a', models[2]).capabilities).toBeNull();
    expect(changes.filter((id) => id === 'a').length).toBe(2);
    shown = [];
    // The same digests under other names are known; another server is asked itself.
    await states.readCapabilities('a', [model('renamed', models[0].digest)]);
    expect(shown).toEqual([]);
    expect(states.state('a', model('renamed', models[0].digest)).capabilities).toEqual(['tools']);
    await states.readCapabilities('b', [models[0]]);
    expect(shown).toEqual(['qwen3:8b']);
  });

  it('asks for the models wanted only, two at a time per server, each once', async () => {
    const answers: (() => void)[] = [];
    let asked: string[] = [];
    const slow = new ModelStates({
      clients: {
        clientFor: () =>
          Promise.resolve({
            show: (name: string) => {
              asked.push(name);
              return new Promise((resolve) =>
                answers.push(() => resolve({ capabilities: ['tools'] })),
              );
            },
          } as never),
      },
      pulls: pulls as never,
      updates: () => ({ cached: () => Promise.resolve(updates) }),
      speeds: () => Promise.resolve(speeds),
      usage: () => Promise.resolve({} as never),
      memoryEvidence: () => ({ note: () => Promise.resolve() }),
      urlOf: (id) => `http://${id}`,
    });
    const models = ['m1', 'm2', 'm3', 'm4'].map((name) => model(name));
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    for (const wanted of models) slow.wantCapabilities('a', wanted);
    slow.wantCapabilities('a', models[0]);
    slow.wantCapabilities('b', models[0]);
    await settle();
    expect(asked.sort()).toEqual(['m1', 'm1', 'm2']);
    answers.shift()?.();
    await settle();
    expect(asked.length).toBe(4);
    while (answers.length > 0) {
      answers.shift()?.();
      await settle();
    }
    expect(asked.sort()).toEqual(['m1', 'm1', 'm2', 'm3', 'm4']);
    expect(slow.state('a', models[3]).capabilities).toEqual(['tools']);
    asked = [];
    await slow.readCapabilities('a', models);
    expect(asked).toEqual([]);
    slow.close();
  });

  it('says what is loaded and where, notes it as used and as memory seen', async () => {
    ps = [running('qwen3:8b', 0.5)];
    const models = [model('qwen3:8b'), model('llama3.2:latest')];
    await states.readStates('a', models);
    expect(states.state('a', models[0]).running?.size_vram).toBe(2e9);
    expect(states.state('a', models[1]).running).toBeNull();
    expect(states.state('b', models[0]).running).toBeNull();
    await Promise.resolve();
    await Promise.resolve();
    expect(used).toEqual([['a', ['qwen3:8b']]]);
    expect(memorySeen).toEqual(['http://a']);
    expect(changes).toContain('a');
    // Unloaded since: the next reading says so.
    ps = [];
    await states.readStates('a', models);
    expect(states.state('a', models[0]).running).toBeNull();
  });

  it('says it changed only when what is loaded or outdated changed', async () => {
    ps = [running('qwen3:8b', 0.5)];
    const models = [model('qwen3:8b'), model('llama3.2:latest')];
    await states.readStates('a', models);
    expect(changes).toEqual(['a']);
    // A refresh that finds the same: the rows stay as they are.
    ps = [running('qwen3:8b', 0.5)];
    await states.readStates('a', models);
    expect(changes).toEqual(['a']);
    updates.set('llama3.2:latest', { state: 'outdated' } as UpdateResult);
    await states.readStates('a', models);
    expect(changes).toEqual(['a', 'a']);
    ps = [running('qwen3:8b', 1)];
    await states.readStates('a', models);
    expect(changes).toEqual(['a', 'a', 'a']);
    // Another server's first reading is news, even with nothing loaded.
    ps = [];
    await states.readStates('b', models);
    expect(changes).toEqual(['a', 'a', 'a', 'b']);
  });

  it('matches loaded models by name, with or without :latest', async () => {
    ps = [running('llama3.2:latest', 1)];
    await states.readStates('a', [model('llama3.2')]);
    expect(states.state('a', model('llama3.2')).running).not.toBeNull();
    expect(sameName('llama3.2', 'llama3.2:latest')).toBeTrue();
    expect(sameName('llama3.2', 'llama3.1')).toBeFalse();
  });

  it('marks what the last update check found outdated; a server without ps still lists', async () => {
    psFails = true;
    updates.set('qwen3:8b', { state: 'outdated' } as UpdateResult);
    updates.set('llama3.2:3b', null);
    await states.readStates('a', [model('qwen3:8b'), model('llama3.2:3b')]);
    expect(states.state('a', model('qwen3:8b')).outdated).toBeTrue();
    expect(states.state('a', model('llama3.2:3b')).outdated).toBeFalse();
    expect(states.state('a', model('qwen3:8b')).running).toBeNull();
  });

  it('follows pulls under way and the speeds Try it records', async () => {
    const job = { connectionId: 'a', name: 'qwen3:8b', isLive: true, progress: 0.42 };
    pulls.jobs = [job as unknown as PullJob];
    pulls.emit('progress-updated', job);
    expect(changes).toEqual(['a']);
    expect(states.state('a', model('qwen3:8b')).downloading).toBe(0.42);
    expect(states.state('b', model('qwen3:8b')).downloading).toBeNull();
    await Promise.resolve();
    await speeds.record(
      'b',
      'qwen3:8b',
      GenerationStats.fromTimings({ eval_count: 42, eval_duration: 1e9 }),
    );
    expect(changes).toContain('b');
    expect(states.state('b', model('qwen3:8b')).tokensPerSecond).toBe(42);
  });
});
