import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { HostMemoryProbe } from '../../../src/fit/host-memory-probe.js';
import { MemoryEvidence } from '../../../src/fit/memory-evidence.js';
import { ServerMemoryLookup } from '../../../src/fit/server-memory-lookup.js';
import { parseMemoryText } from '../../../src/fit/server-memory.js';
import type { RunningModel } from '../../../src/ollama/types.js';
import { listNames, makeTempDir, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';

const GB = 1e9;

function running(name: string, size: number, sizeVram: number): RunningModel {
  return {
    name,
    model: name,
    size,
    digest: 'a'.repeat(64),
    details: {} as RunningModel['details'],
    expires_at: '',
    size_vram: sizeVram,
  };
}

describe('MemoryEvidence', () => {
  let dataDir: Gio.File;
  const url = 'http://gpu-box:11434';

  beforeEach(() => (dataDir = makeTempDir()));
  afterEach(() => removeTree(dataDir));

  it('remembers per server the largest GPU share seen, with the model, across restarts', async () => {
    const evidence = new MemoryEvidence(dataDir, new ManualClock());
    expect(await evidence.gpuSeen(url)).toBeNull();
    await evidence.note(url, [running('qwen3:8b', 7 * GB, 6 * GB), running('tiny:1b', GB, GB)]);
    await evidence.note(url, [running('llama3.2:3b', 4 * GB, 4 * GB)]);
    await evidence.note('http://other:11434', [running('cpu-only:7b', 5 * GB, 0)]);
    const again = new MemoryEvidence(dataDir);
    expect(await again.gpuSeen(url)).toEqual({
      bytes: 6 * GB,
      source: { kind: 'observed', model: 'qwen3:8b' },
    });
    expect(await again.gpuSeen('http://other:11434')).toBeNull();
  });

  it('sets a damaged file aside and leaves out entries that do not check out', async () => {
    writeBytes(dataDir.get_child('memory-seen.json'), '{"servers": {');
    const evidence = new MemoryEvidence(dataDir);
    expect(await evidence.gpuSeen(url)).toBeNull();
    expect(evidence.problem).toContain('memory seen on servers');
    expect(
      listNames(dataDir).some((name) => name.startsWith('memory-seen.json.corrupt-')),
    ).toBeTrue();

    writeBytes(
      dataDir.get_child('memory-seen.json'),
      JSON.stringify({
        servers: {
          [url]: { gpuBytes: -5, model: 'x', seenAt: 1 },
          good: { gpuBytes: 8 * GB, model: 'y:1b', seenAt: 1 },
        },
      }),
    );
    const fresh = new MemoryEvidence(dataDir);
    expect(await fresh.gpuSeen(url)).toBeNull();
    expect((await fresh.gpuSeen('good'))?.bytes).toBe(8 * GB);
  });
});

describe('ServerMemoryLookup', () => {
  let root: Gio.File;
  let lookup: ServerMemoryLookup;
  let evidence: MemoryEvidence;

  beforeEach(() => {
    root = makeTempDir();
    GLib.mkdir_with_parents(root.get_child('proc').get_path()!, 0o755);
    writeBytes(root.resolve_relative_path('proc/meminfo'), 'MemTotal: 16000000 kB\n');
    evidence = new MemoryEvidence(null);
    const probe = new HostMemoryProbe({
      procDir: root.get_child('proc'),
      sysDir: root.get_child('sys'),
      nvidiaSmi: null,
    });
    lookup = new ServerMemoryLookup(probe, evidence);
  });

  afterEach(() => removeTree(root));

  const base = { id: 'a', name: 'A', isDefault: true };

  it('measures a server on this computer, and not one elsewhere', async () => {
    const local = await lookup.memoryOf({ ...base, url: 'http://127.0.0.1:11434' });
    expect(local.ram).toEqual({ bytes: 16000000 * 1024, source: { kind: 'measured' } });
    const remote = await lookup.memoryOf({ ...base, url: 'http://gpu-box:11434' });
    expect(remote).toEqual({ ram: null, gpu: null });
  });

  it('takes what the user entered over what was measured, and what was seen when nothing else is known', async () => {
    await evidence.note('http://gpu-box:11434', [running('qwen3:8b', 7 * GB, 6 * GB)]);
    const seen = await lookup.memoryOf({ ...base, url: 'http://gpu-box:11434' });
    expect(seen.gpu?.source).toEqual({ kind: 'observed', model: 'qwen3:8b' });
    const typed = await lookup.memoryOf({
      ...base,
      url: 'http://127.0.0.1:11434',
      ramBytes: 64 * GB,
      gpuBytes: 24 * GB,
    });
    expect(typed).toEqual({
      ram: { bytes: 64 * GB, source: { kind: 'entered' } },
      gpu: { bytes: 24 * GB, source: { kind: 'entered' } },
    });
  });
});

describe('parseMemoryText', () => {
  it('reads sizes as people type them, gigabytes without a unit', () => {
    expect(parseMemoryText('24')).toEqual({ bytes: 24 * GB });
    expect(parseMemoryText(' 24 GB ')).toEqual({ bytes: 24 * GB });
    expect(parseMemoryText('15,6 GB')).toEqual({ bytes: 15.6 * GB });
    expect(parseMemoryText('16 GiB')).toEqual({ bytes: 16 * 1024 ** 3 });
    expect(parseMemoryText('24576 MiB')).toEqual({ bytes: 24 * 1024 ** 3 });
    expect(parseMemoryText('24.0\u00a0GB')).toEqual({ bytes: 24 * GB });
    expect(parseMemoryText('')).toEqual({ bytes: null });
  });

  it('refuses anything else', () => {
    for (const text of ['0', 'lots', '-4 GB', '24 parsecs', '1e3', '9999999 TB'])
      expect('error' in parseMemoryText(text))
        .withContext(text)
        .toBeTrue();
  });
});
