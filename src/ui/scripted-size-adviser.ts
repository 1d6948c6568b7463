import Gio from 'gi://Gio';

import type { FitKind } from '../catalog/size-variants.js';
import { JsonFile } from '../util/json-file.js';
import type { SizeAdvice, SizeAdviser } from './size-adviser.js';

const MAX_FILE_BYTES = 256 * 1024;
const MAX_TEXT = 500;
const KINDS: readonly FitKind[] = ['fits-gpu', 'partly-cpu', 'too-large', 'unknown'];

/**
 * Advice read from a JSON file, `{"qwen3:8b": {"kind": "fits-gpu", "verdict": "…"}, …}`:
 * what the UI specs give Add Model (PADDOCK_TEST_SIZE_ADVICE) until the fit estimate
 * answers for real. Names the file does not list get null. The file is read once, when
 * the first question comes; a spec that wants the answers late makes it a named pipe.
 */
export class ScriptedSizeAdviser implements SizeAdviser {
  readonly #file: JsonFile;
  #script: Promise<unknown> | null = null;

  constructor(path: string) {
    this.#file = new JsonFile(Gio.File.new_for_path(path), { maxBytes: MAX_FILE_BYTES });
  }

  async advise(
    _connectionId: string,
    pullName: string,
    _catalogSizeBytes: number | null,
    cancellable: Gio.Cancellable,
  ): Promise<SizeAdvice | null> {
    // Shared by every question, so no one question's cancellable stops it.
    this.#script ??= this.#file.read(null);
    const script = await this.#script;
    if (cancellable.is_cancelled() || typeof script !== 'object' || script === null) return null;
    const entry = (script as Record<string, unknown>)[pullName];
    return typeof entry === 'object' && entry !== null
      ? adviceFrom(entry as Record<string, unknown>)
      : null;
  }
}

function adviceFrom(entry: Record<string, unknown>): SizeAdvice | null {
  const kind = KINDS.find((known) => known === entry.kind);
  if (!kind) return null;
  return {
    kind,
    verdict: text(entry.verdict) ?? '',
    download: text(entry.download),
    approximate: entry.approximate === true,
    preferred: entry.preferred === true,
    needBytes: bytes(entry.needBytes),
    haveBytes: bytes(entry.haveBytes),
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : null;
}

function bytes(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
