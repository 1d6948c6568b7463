import Gio from 'gi://Gio';

import type { Clock, TimerHandle } from '../util/clock.js';
import { inBackground } from '../util/background.js';
import { errorText } from '../util/errors.js';
import type { HubRepo } from './types.js';

/** What HubSearch needs of the Hub (HubClient.search). */
export interface HubSearchSource {
  search(
    text: string,
    options: { limit?: number; cancellable?: Gio.Cancellable | null },
  ): Promise<HubRepo[]>;
}

/** Where a search stands, for the view: nothing asked, waiting, the answer, or why none. */
export type HubSearchState =
  | { kind: 'idle' }
  | { kind: 'searching'; text: string }
  | { kind: 'results'; text: string; repos: HubRepo[] }
  | { kind: 'failed'; text: string; message: string };

export interface HubSearchOptions {
  /** Quiet time after the last keystroke before asking the Hub (default 400 ms). */
  delayMs?: number;
  /** Repositories per answer (default 25). */
  limit?: number;
}

/**
 * Search as the user types: the Hub is asked once typing pauses, a newer text cancels the
 * request of the older one, and only the newest text's answer is reported. Answers are
 * kept for the session by the Hub client, so going back to a query costs nothing.
 */
export class HubSearch {
  readonly #delayMs: number;
  readonly #limit: number;
  #text = '';
  #timer: TimerHandle | null = null;
  #cancellable: Gio.Cancellable | null = null;
  #state: HubSearchState = { kind: 'idle' };

  constructor(
    private readonly source: HubSearchSource,
    private readonly clock: Clock,
    private readonly onChange: (state: HubSearchState) => void,
    options: HubSearchOptions = {},
  ) {
    this.#delayMs = options.delayMs ?? 400;
    this.#limit = options.limit ?? 25;
  }

  get state(): HubSearchState {
    return this.#state;
  }

  /** The text typed so far; the Hub is asked when it stops changing. */
  setText(text: string): void {
    const trimmed = text.trim();
    if (trimmed === this.#text && this.#state.kind !== 'idle') return;
    this.#text = trimmed;
    this.#stop();
    if (trimmed === '') {
      this.#report({ kind: 'idle' });
      return;
    }
    this.#report({ kind: 'searching', text: trimmed });
    this.#timer = this.clock.timeout(this.#delayMs, () => {
      this.#timer = null;
      inBackground(this.#run(trimmed), 'searching Hugging Face');
    });
  }

  /** Asks again now (after a failure). */
  retry(): void {
    if (this.#text === '') return;
    this.#stop();
    this.#report({ kind: 'searching', text: this.#text });
    inBackground(this.#run(this.#text), 'searching Hugging Face');
  }

  /** Stops waiting and cancels the request under way; nothing is reported after it. */
  dispose(): void {
    this.#stop();
    this.#text = '';
  }

  #stop(): void {
    if (this.#timer !== null) this.clock.cancel(this.#timer);
    this.#timer = null;
    this.#cancellable?.cancel();
    this.#cancellable = null;
  }

  async #run(text: string): Promise<void> {
    const cancellable = new Gio.Cancellable();
    this.#cancellable = cancellable;
    try {
      const repos = await this.source.search(text, { limit: this.#limit, cancellable });
      if (!cancellable.is_cancelled()) this.#report({ kind: 'results', text, repos });
    } catch (error) {
      if (cancellable.is_cancelled()) return;
      this.#report({ kind: 'failed', text, message: errorText(error) });
    } finally {
      if (this.#cancellable === cancellable) this.#cancellable = null;
    }
  }

  #report(state: HubSearchState): void {
    this.#state = state;
    this.onChange(state);
  }
}
