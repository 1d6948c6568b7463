import { gettext as _ } from 'gettext';

import type { ReplyTimings } from '../ollama/types.js';
import { fillTemplate } from '../util/text.js';

const NS_PER_SECOND = 1e9;
const NS_PER_MS = 1e6;
/** Faster than any hardware reads or writes tokens: the server's numbers are wrong. */
const MAX_TOKENS_PER_SECOND = 1e6;
/** Longer than any model takes to load: likewise. */
const MAX_LOAD_MS = 24 * 60 * 60 * 1000;

/** count / duration in tokens a second, or null when either is missing, zero or absurd. */
function rate(count: number | undefined, durationNs: number | undefined): number | null {
  if (count === undefined || durationNs === undefined || count <= 0 || durationNs <= 0) return null;
  const perSecond = (count / durationNs) * NS_PER_SECOND;
  return Number.isFinite(perSecond) && perSecond <= MAX_TOKENS_PER_SECOND ? perSecond : null;
}

/** A figure as people read it: one decimal below 100 ("42.1"), none above ("350"). */
function figure(value: number): string {
  const digits = value < 100 ? 1 : 0;
  return value.toLocaleString(undefined, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/**
 * How fast a model answered, from the nanosecond timings on the last line of a generate
 * (or chat): how long loading took, how fast it read the prompt and wrote the answer.
 * Each figure is null when the server did not give it or gave nonsense.
 */
export class GenerationStats {
  private constructor(
    readonly loadMs: number | null,
    readonly promptTokensPerSecond: number | null,
    readonly tokensPerSecond: number | null,
  ) {}

  static fromTimings(timings: ReplyTimings): GenerationStats {
    const load = timings.load_duration;
    const loadMs = load !== undefined && load / NS_PER_MS <= MAX_LOAD_MS ? load / NS_PER_MS : null;
    return new GenerationStats(
      loadMs,
      rate(timings.prompt_eval_count, timings.prompt_eval_duration),
      rate(timings.eval_count, timings.eval_duration),
    );
  }

  /** The figures that are known, each a short phrase: "loaded in 1.2 s", "42.1 tokens/s". */
  describe(): string[] {
    const parts: string[] = [];
    if (this.loadMs !== null)
      parts.push(
        fillTemplate(_('loaded in {time}'), {
          time:
            this.loadMs < 1000
              ? // Translators: a duration in milliseconds.
                fillTemplate(_('{n} ms'), { n: Math.round(this.loadMs) })
              : // Translators: a duration in seconds, e.g. "1.2 s".
                fillTemplate(_('{n} s'), { n: figure(this.loadMs / 1000) }),
        }),
      );
    if (this.promptTokensPerSecond !== null)
      parts.push(
        fillTemplate(_('prompt read at {rate} tokens/s'), {
          rate: figure(this.promptTokensPerSecond),
        }),
      );
    if (this.tokensPerSecond !== null)
      parts.push(
        fillTemplate(_('answer written at {rate} tokens/s'), {
          rate: figure(this.tokensPerSecond),
        }),
      );
    return parts;
  }
}
