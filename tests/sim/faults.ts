import { ModelName } from './model-name.js';
import type { Fault, FaultKind, FaultTarget } from './types.js';
import { sha256Hex } from './wire.js';

const TARGETS: FaultTarget[] = [
  'pull',
  'tags',
  'version',
  'show',
  'copy',
  'delete',
  'chat',
  'generate',
  'embed',
  'ps',
  'root',
  'manifest',
  'hub',
  'blobs',
  'any',
];
const KINDS: FaultKind[] = [
  'http-500',
  'http-status',
  'mid-stream-error',
  'disk-full',
  'digest-mismatch',
  'reset',
  'truncate',
  'stall',
  'garbage-line',
  'huge-line',
  'endless-layers',
  'delay',
  'not-ollama',
  'redirect',
];
const BLOBS_DIR = '/usr/share/ollama/.ollama/models/blobs';

/** Faults queued by a test; each is used up by the first request it matches. */
export class FaultQueue {
  private queue: Fault[] = [];

  /** Checks one control-API fault; throws with a message for the caller. */
  static parse(input: unknown, where: string): Fault {
    if (typeof input !== 'object' || input === null) throw new Error(`${where}: not an object`);
    const raw = input as Record<string, unknown>;
    if (!TARGETS.includes(raw.on as FaultTarget)) {
      throw new Error(`${where}.on: one of ${TARGETS.join(', ')}`);
    }
    if (!KINDS.includes(raw.kind as FaultKind)) {
      throw new Error(`${where}.kind: one of ${KINDS.join(', ')}`);
    }
    const fault: Fault = { on: raw.on as FaultTarget, kind: raw.kind as FaultKind };
    for (const key of ['model', 'message', 'body', 'line', 'location'] as const) {
      if (raw[key] === undefined) continue;
      if (typeof raw[key] !== 'string') throw new Error(`${where}.${key}: must be a string`);
      fault[key] = raw[key];
    }
    for (const key of ['afterBytes', 'status', 'ms', 'bytes'] as const) {
      if (raw[key] === undefined) continue;
      const value = raw[key];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new Error(`${where}.${key}: must be a whole number ≥ 0`);
      }
      fault[key] = value;
    }
    if (
      fault.kind === 'http-status' &&
      (fault.status === undefined || fault.status < 100 || fault.status > 599)
    ) {
      throw new Error(`${where}.status: an HTTP status (100–599) is required for http-status`);
    }
    if (fault.kind === 'redirect') {
      if (fault.location === undefined) throw new Error(`${where}.location: required for redirect`);
      if (fault.status !== undefined && (fault.status < 300 || fault.status > 399))
        throw new Error(`${where}.status: a redirect status (300–399)`);
    }
    return fault;
  }

  /** The `{"error":…}` text of the error kinds, as Ollama words them. */
  static errorMessage(fault: Fault, digest: string): string {
    if (fault.message !== undefined) return fault.message;
    switch (fault.kind) {
      case 'disk-full':
        return `write ${BLOBS_DIR}/${digest.replace(':', '-')}-partial: no space left on device`;
      case 'digest-mismatch':
        return `digest mismatch, file must be downloaded again: want ${digest}, got sha256:${sha256Hex(`${digest}#corrupt`)}`;
      case 'http-500':
        return 'internal server error';
      default:
        return 'max retries exceeded: unexpected EOF';
    }
  }

  replace(faults: Fault[]): void {
    this.queue = [...faults];
  }

  list(): Fault[] {
    return [...this.queue];
  }

  clear(): void {
    this.queue = [];
  }

  /** Removes and returns the first fault for this endpoint and model, if any. */
  take(target: FaultTarget, model: string | null): Fault | null {
    const index = this.queue.findIndex(
      (fault) => (fault.on === 'any' || fault.on === target) && sameModel(fault.model, model),
    );
    if (index < 0) return null;
    return this.queue.splice(index, 1)[0];
  }
}

function sameModel(wanted: string | undefined, actual: string | null): boolean {
  if (wanted === undefined) return true;
  if (actual === null) return false;
  const a = ModelName.parse(wanted);
  const b = ModelName.parse(actual);
  if (a.isValid() && b.isValid()) return a.equals(b);
  return wanted.toLowerCase() === actual.toLowerCase();
}
