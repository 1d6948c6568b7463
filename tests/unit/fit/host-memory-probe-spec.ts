import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import { HostMemoryProbe } from '../../../src/fit/host-memory-probe.js';
import { makeTempDir, removeTree, writeBytes } from '../config/temp-dir.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { until } from '../pulls/pull-harness.js';

const GIB = 1024 ** 3;
const MEMINFO = `MemTotal:       32783420 kB
MemFree:         1201396 kB
MemAvailable:   20135424 kB
Buffers:          512340 kB
`;

function write(root: Gio.File, path: string, text: string): void {
  const file = root.resolve_relative_path(path);
  GLib.mkdir_with_parents(file.get_parent()!.get_path()!, 0o755);
  writeBytes(file, text);
}

describe('HostMemoryProbe', () => {
  let root: Gio.File;
  let proc: Gio.File;
  let sys: Gio.File;

  beforeEach(() => {
    root = makeTempDir();
    proc = root.get_child('proc');
    sys = root.get_child('sys');
    GLib.mkdir_with_parents(proc.get_path()!, 0o755);
    GLib.mkdir_with_parents(sys.get_path()!, 0o755);
  });

  afterEach(() => removeTree(root));

  function probe(nvidiaSmi: string[] | null = null, clock = new ManualClock()): HostMemoryProbe {
    return new HostMemoryProbe({ procDir: proc, sysDir: sys, nvidiaSmi, clock });
  }

  it('reads MemTotal and MemAvailable from /proc/meminfo', async () => {
    write(proc, 'meminfo', MEMINFO);
    expect(await probe().ram()).toEqual({ total: 32783420 * 1024, available: 20135424 * 1024 });
  });

  it('adds up the VRAM sysfs reports for each card, leaving out connectors and APU carve-outs', async () => {
    write(sys, 'class/drm/card0/device/mem_info_vram_total', `${16 * GIB}\n`);
    write(sys, 'class/drm/card0-DP-1/device/mem_info_vram_total', `${16 * GIB}\n`);
    write(sys, 'class/drm/card1/device/mem_info_vram_total', `${512 * 1024 * 1024}\n`);
    write(sys, 'class/drm/card2/device/mem_info_vram_total', `${8 * GIB}\n`);
    write(sys, 'class/drm/renderD128/device/mem_info_vram_total', `${16 * GIB}\n`);
    expect(await probe().sysfsGpuMemory()).toBe(24 * GIB);
  });

  it('measures RAM and GPU memory together, each marked measured on this computer', async () => {
    write(proc, 'meminfo', MEMINFO);
    write(sys, 'class/drm/card0/device/mem_info_vram_total', `${16 * GIB}`);
    expect(await probe().measure()).toEqual({
      ram: { bytes: 32783420 * 1024, source: { kind: 'measured' } },
      gpu: { bytes: 16 * GIB, source: { kind: 'measured' } },
    });
  });

  it('knows nothing when /proc and /sys have nothing to say', async () => {
    write(proc, 'meminfo', 'MemTotal: lots\n');
    write(sys, 'class/drm/card0/device/mem_info_vram_total', 'junk');
    expect(await probe().measure()).toEqual({ ram: null, gpu: null });
    removeTree(proc);
    expect(await probe().ram()).toBeNull();
  });

  it('reads memory.total of every GPU from nvidia-smi', async () => {
    const smi = ['sh', '-c', 'printf "24576, 1200\\n8192, 0\\n"'];
    expect(await probe(smi).nvidiaGpuMemory()).toBe(32 * 1024 * 1024 * 1024);
  });

  it('knows nothing from nvidia-smi that is missing, fails, or says something else', async () => {
    expect(await probe(['paddock-no-such-command']).nvidiaGpuMemory()).toBeNull();
    expect(await probe(['sh', '-c', 'echo "24576, 0"; exit 9']).nvidiaGpuMemory()).toBeNull();
    const noDriver = ['sh', '-c', 'echo "NVIDIA-SMI has failed because it couldn\'t communicate"'];
    expect(await probe(noDriver).nvidiaGpuMemory()).toBeNull();
    expect(await probe(['sh', '-c', 'yes 1']).nvidiaGpuMemory()).toBeNull();
  });

  it('gives up on an nvidia-smi that hangs, when the clock says time is up', async () => {
    const clock = new ManualClock();
    let answer: number | null | undefined;
    const measuring = probe(['sleep', '30'], clock)
      .nvidiaGpuMemory()
      .then((bytes) => (answer = bytes));
    await until(() => clock.pendingDelays().length > 0, 'the timeout is set');
    clock.advance(5000);
    await measuring;
    expect(answer).toBeNull();
  });
});
