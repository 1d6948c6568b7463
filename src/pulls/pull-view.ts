import type { PullPhase } from './model-progress.js';
import type { PullStatus } from './saved-pull.js';

/** What a pull waits for while it is not streaming. */
export type PullWait = 'network' | 'confirmation' | 'keyring';

/**
 * A pull as everything that shows one reads it: its one line (describePull), the banner's
 * summary, the command line's report. PullJob is one; SavedPull is what loading.json keeps.
 */
export interface PullView {
  /** The model as Ollama displays it: "llama3.2:latest" (or the text given, if not a valid name). */
  readonly name: string;
  readonly status: PullStatus;
  /** One line of where it stands: describePull of this view. */
  readonly text: string;
  /** Why it failed, waits to retry, or was paused by Paddock; null otherwise. */
  readonly error: string | null;
  readonly completed: number;
  /** 0 while unknown. */
  readonly total: number;
  /** 0–1, never going back; null while the size is unknown. */
  readonly fraction: number | null;
  readonly phase: PullPhase;
  /** The server's last status line, "" before any. */
  readonly statusLine: string;
  /** Smoothed bytes a second while bytes flow; null otherwise. */
  readonly speed: number | null;
  readonly secondsLeft: number | null;
  /** Whole seconds without new bytes while bytes are expected (10 s or more); null otherwise. */
  readonly stalledFor: number | null;
  /** Whole seconds (rounded up) until a pending retry; null when none is counting down. */
  readonly retryIn: number | null;
  /**
   * 'network' while a retry waits to be online; 'confirmation' while asking about a metered
   * network; 'keyring' while the API key is read, before the stream starts.
   */
  readonly waitingFor: PullWait | null;
}
