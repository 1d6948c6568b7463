/** Pulls larger than this (still to download) need permission on a metered network. */
export const METERED_LIMIT_BYTES = 1e9;

/** 'refused': the pull was paused for want of permission; resuming it by hand gives it. */
export type MeteredState = 'not-asked' | 'asking' | 'approved' | 'refused';

/**
 * Whether one pull may download over a metered network. Every method may be called in any
 * state and in any order with the pull's status changes: a stale answer, a resume that
 * follows no refusal, a question that lapsed, each leaves the state as it should be.
 */
export class MeteredPermission {
  #state: MeteredState = 'not-asked';
  #metered = false;

  get state(): MeteredState {
    return this.#state;
  }

  /** A new attempt begins: whether its network is metered is settled now, not mid-stream. */
  attemptStarts(metered: boolean): void {
    this.#metered = metered;
  }

  /** Whether the attempt must stop to ask before it downloads `remaining` bytes (null: unknown). */
  mustAsk(remaining: number | null): boolean {
    return (
      this.#metered &&
      this.#state !== 'approved' &&
      remaining !== null &&
      remaining > METERED_LIMIT_BYTES
    );
  }

  /** The question goes out. */
  ask(): void {
    if (this.#state !== 'approved') this.#state = 'asking';
  }

  /** The answer to the question still out; an answer to one that lapsed counts for nothing. */
  answered(allowed: boolean): void {
    if (this.#state === 'asking') this.#state = allowed ? 'approved' : 'refused';
  }

  /** The pull stopped waiting for an answer (paused, cancelled, failed): the question lapses. */
  withdraw(): void {
    if (this.#state === 'asking') this.#state = 'not-asked';
  }

  /** The pull was resumed by hand: after a refusal, that is the permission. */
  resumed(): void {
    if (this.#state === 'refused') this.#state = 'approved';
  }
}
