import GLib from 'gi://GLib';
import Gio from 'gi://Gio';

import { systemClock, type Clock } from '../util/clock.js';
import { readBounded } from '../util/read-bounded.js';
import type { ServerMemory } from './server-memory.js';

/** /proc/meminfo is some 1.5 KB; a sysfs number a few bytes. */
const MAX_FILE_BYTES = 64 * 1024;
/** nvidia-smi prints a line of two numbers a GPU. */
const MAX_NVIDIA_OUTPUT = 16 * 1024;
/** More cards than a machine has: the folder is not what it seems. */
const MAX_CARDS = 64;
/** The VRAM of an APU (a carve-out of system memory), which Ollama does not use as a GPU. */
const MIN_GPU_BYTES = 1024 ** 3;
const MIB = 1024 * 1024;
const NVIDIA_SMI = [
  'nvidia-smi',
  '--query-gpu=memory.total,memory.used',
  '--format=csv,noheader,nounits',
];

export interface HostMemoryProbeOptions {
  /** Where /proc is (a fake folder in specs). */
  procDir?: Gio.File;
  /** Where /sys is. */
  sysDir?: Gio.File;
  /** The nvidia-smi command line; null never runs it. */
  nvidiaSmi?: readonly string[] | null;
  /** How long nvidia-smi may take (default 5 s; it can hang on a wedged driver). */
  timeoutMs?: number;
  clock?: Clock;
}

/** System memory of this computer (/proc/meminfo), in bytes. */
export interface RamInfo {
  readonly total: number;
  /** MemAvailable: what can be had without swapping; null on old kernels. */
  readonly available: number | null;
}

/**
 * The memory of this computer, for a server on loopback: RAM from /proc/meminfo, GPU
 * memory from sysfs (mem_info_vram_total of AMD and Intel cards) or from nvidia-smi.
 * Every read is asynchronous and bounded; what cannot be read is unknown (null).
 */
export class HostMemoryProbe {
  readonly #proc: Gio.File;
  readonly #sys: Gio.File;
  readonly #nvidiaSmi: readonly string[] | null;
  readonly #timeoutMs: number;
  readonly #clock: Clock;

  constructor(options: HostMemoryProbeOptions = {}) {
    this.#proc = options.procDir ?? Gio.File.new_for_path('/proc');
    this.#sys = options.sysDir ?? Gio.File.new_for_path('/sys');
    this.#nvidiaSmi = options.nvidiaSmi === undefined ? NVIDIA_SMI : options.nvidiaSmi;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#clock = options.clock ?? systemClock;
  }

  /** RAM and GPU memory, each measured on this computer or null. */
  async measure(cancellable: Gio.Cancellable | null = null): Promise<ServerMemory> {
    const [ram, sysfs, nvidia] = await Promise.all([
      this.ram(cancellable),
      this.sysfsGpuMemory(cancellable),
      this.nvidiaGpuMemory(cancellable),
    ]);
    const gpu = sysfs === null && nvidia === null ? null : (sysfs ?? 0) + (nvidia ?? 0);
    const measured = { kind: 'measured' } as const;
    return {
      ram: ram === null ? null : { bytes: ram.total, source: measured },
      gpu: gpu === null ? null : { bytes: gpu, source: measured },
    };
  }

  /** MemTotal and MemAvailable of /proc/meminfo. */
  async ram(cancellable: Gio.Cancellable | null = null): Promise<RamInfo | null> {
    const text = await readSmallFile(this.#proc.get_child('meminfo'), cancellable);
    if (text === null) return null;
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s*(\\d{1,15})\\s*kB$`, 'm').exec(text);
      return match ? Number(match[1]) * 1024 : null;
    };
    const total = field('MemTotal');
    return total === null || total === 0 ? null : { total, available: field('MemAvailable') };
  }

  /** The VRAM sysfs reports (`/sys/class/drm/cardN/device/mem_info_vram_total`), all cards. */
  async sysfsGpuMemory(cancellable: Gio.Cancellable | null = null): Promise<number | null> {
    const drm = this.#sys.resolve_relative_path('class/drm');
    const cards = (await childNames(drm, MAX_CARDS, cancellable)).filter((name) =>
      /^card\d+$/.test(name),
    );
    const sizes = await Promise.all(
      cards.map(async (card) => {
        const text = await readSmallFile(
          drm.resolve_relative_path(`${card}/device/mem_info_vram_total`),
          cancellable,
        );
        const bytes = text !== null && /^\d{1,16}\s*$/.test(text) ? Number(text.trim()) : 0;
        return bytes >= MIN_GPU_BYTES ? bytes : 0;
      }),
    );
    const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
    return total > 0 ? total : null;
  }

  /** The memory.total of every GPU nvidia-smi lists; null without nvidia-smi or on any trouble. */
  async nvidiaGpuMemory(cancellable: Gio.Cancellable | null = null): Promise<number | null> {
    if (this.#nvidiaSmi === null) return null;
    const output = await this.#run(this.#nvidiaSmi, cancellable);
    if (output === null) return null;
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    let total = 0;
    for (const line of lines) {
      const match = /^\s*(\d{1,9})\s*,\s*(\d{1,9})\s*$/.exec(line);
      if (!match) return null;
      total += Number(match[1]) * MIB;
    }
    return total > 0 ? total : null;
  }

  /** A command's output when it exits with 0 within the time limit; null otherwise. */
  async #run(argv: readonly string[], cancellable: Gio.Cancellable | null): Promise<string | null> {
    let process: Gio.Subprocess;
    try {
      process = Gio.Subprocess.new(
        [...argv],
        Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_SILENCE,
      );
    } catch {
      // Not installed (or not in the sandbox): no NVIDIA figure.
      return null;
    }
    const stop = new Gio.Cancellable();
    const forward = cancellable?.connect(() => stop.cancel()) ?? 0;
    const timer = this.#clock.timeout(this.#timeoutMs, () => stop.cancel());
    const kill = stop.connect(() => process.force_exit());
    try {
      const stdout = process.get_stdout_pipe();
      const bytes = stdout ? await readBounded(stdout, MAX_NVIDIA_OUTPUT, stop) : null;
      if (bytes === null) return null;
      await process.wait_async(stop);
      if (!process.get_if_exited() || process.get_exit_status() !== 0) return null;
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return null;
    } finally {
      this.#clock.cancel(timer);
      stop.disconnect(kill);
      if (forward) cancellable?.disconnect(forward);
      if (process.get_identifier() !== null) process.force_exit();
    }
  }
}

/** A small text file, or null when it cannot be read or is larger than MAX_FILE_BYTES. */
export async function readSmallFile(
  file: Gio.File,
  cancellable: Gio.Cancellable | null,
): Promise<string | null> {
  let input: Gio.FileInputStream | null = null;
  try {
    input = await file.read_async(GLib.PRIORITY_DEFAULT, cancellable);
    const bytes = await readBounded(input, MAX_FILE_BYTES, cancellable);
    return bytes === null ? null : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  } finally {
    if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
  }
}

/** The names in a folder, at most `limit`; none when it cannot be listed. */
async function childNames(
  folder: Gio.File,
  limit: number,
  cancellable: Gio.Cancellable | null,
): Promise<string[]> {
  const names: string[] = [];
  let enumerator: Gio.FileEnumerator | null = null;
  try {
    enumerator = await folder.enumerate_children_async(
      'standard::name',
      Gio.FileQueryInfoFlags.NONE,
      GLib.PRIORITY_DEFAULT,
      cancellable,
    );
    while (names.length < limit) {
      const infos = await enumerator.next_files_async(16, GLib.PRIORITY_DEFAULT, cancellable);
      if (infos.length === 0) break;
      names.push(...infos.map((info) => info.get_name()));
    }
  } catch {
    // Not there (no DRM, a sandbox without /sys): no cards.
  } finally {
    if (enumerator) await enumerator.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
  }
  return names.slice(0, limit);
}
