import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { SimState } from './sim-state.js';
import type { Snapshot } from './types.js';

const SAVE_EVERY_MS = 1000;

/**
 * `--state FILE`: the simulated models directory survives restarts, like Ollama's disk,
 * so a client can resume a partial pull from a restarted server.
 */
export class StateFile {
  private last = '';
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly state: SimState,
  ) {}

  /** The saved snapshot, or null when the file does not exist yet; throws when it is unreadable. */
  static load(path: string): Snapshot | null {
    if (!existsSync(path)) return null;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
    const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null;
    if (
      !Array.isArray(parsed.registry) ||
      !Array.isArray(parsed.installed) ||
      !isRecord(parsed.blobs) ||
      !isRecord(parsed.partials)
    ) {
      throw new Error(`${path} is not a simulator state file`);
    }
    return {
      config: { ...SimState.defaultConfig(), ...parsed.config },
      registry: parsed.registry,
      installed: parsed.installed,
      blobs: parsed.blobs as Record<string, number>,
      partials: parsed.partials as Record<string, number>,
    };
  }

  start(): void {
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
  }

  /** Stops saving periodically and writes the final state (after any write in flight). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.save();
    await this.saving;
  }

  /** Writes the state if it changed, one write at a time, atomically (temporary file, rename). */
  private save(): void {
    this.saving = this.saving.then(async () => {
      const text = `${JSON.stringify(this.state.snapshot(), null, 1)}\n`;
      if (text === this.last) return;
      try {
        await writeFile(`${this.path}.tmp`, text);
        await rename(`${this.path}.tmp`, this.path);
        this.last = text;
      } catch (error) {
        process.stderr.write(`sim: cannot save ${this.path}: ${(error as Error).message}\n`);
      }
    });
  }
}
