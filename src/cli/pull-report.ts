import type { PullStatus } from '../pulls/loading-status.js';
import { formatDuration, type PullWait } from '../pulls/pull-text.js';

/** What the report reads of a pull (PullJob has it). */
export interface ReportedPull {
  readonly name: string;
  readonly status: PullStatus;
  /** One line of where it stands, see describePull. */
  readonly text: string;
  readonly error: string | null;
  readonly retryIn: number | null;
  readonly waitingFor: PullWait | null;
}

/** How a pull ended, for the command line: the last line, where it goes, the exit status. */
export interface PullOutcome {
  line: string;
  toStderr: boolean;
  status: 0 | 1;
}

/** Messages are single lines on the terminal, whatever their source put in them. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * The lines `paddock pull` prints: one for each change of status and one for each
 * (already throttled) progress update while bytes flow, never the same line twice in a
 * row. Always whole lines, no carriage returns, so a log of it reads as well as a terminal:
 *
 *     pulling qwen3:8b on Local (http://127.0.0.1:11434)
 *     pulling qwen3:8b: 42% · 2.2 GB of 5.2 GB · 25.0 MB/s · 2 min left
 *     retrying in 30 s: The connection to Ollama at 127.0.0.1:11434 broke off. Try again.
 *     pulled qwen3:8b
 */
export class PullReport {
  private last: string | null = null;

  constructor(private readonly connectionName: string) {}

  /** The first line: which server pulls, or that the command joins a pull under way. */
  started(name: string, url: string, joined: boolean): string {
    const where = `${this.connectionName} (${url})`;
    return joined
      ? `joining the pull of ${name} already under way on ${where}`
      : `pulling ${name} on ${where}`;
  }

  /** The line for the pull's status as it is now, or null for nothing new (or its end: see outcome). */
  statusChanged(pull: ReportedPull): string | null {
    switch (pull.status) {
      case 'queued':
        return this.fresh(`queued ${pull.name}: other pulls on ${this.connectionName} go first`);
      case 'pulling':
        return this.fresh(`pulling ${pull.name}: ${oneLine(pull.text)}`);
      case 'pending-retry': {
        const reason = oneLine(pull.error ?? pull.text);
        if (pull.waitingFor === 'network') return this.fresh(`waiting for the network: ${reason}`);
        return this.fresh(`retrying in ${formatDuration(pull.retryIn ?? 0)}: ${reason}`);
      }
      case 'paused':
        return this.fresh(
          pull.error
            ? `paused ${pull.name}: ${oneLine(pull.error)}`
            : `paused ${pull.name}: waiting for it to be resumed in Paddock`,
        );
      default:
        return null;
    }
  }

  /** A throttled progress update: a line while bytes flow, if it says something new. */
  progressUpdated(pull: ReportedPull): string | null {
    return pull.status === 'pulling' ? this.statusChanged(pull) : null;
  }

  /** How a pull that is no longer live ended; `cancelledHere` when this command cancelled it. */
  outcome(pull: ReportedPull, cancelledHere: boolean): PullOutcome {
    switch (pull.status) {
      case 'complete':
        return { line: `pulled ${pull.name}`, toStderr: false, status: 0 };
      case 'cancelled':
        return {
          line: cancelledHere
            ? `error: cancelled the pull of ${pull.name}; Ollama keeps what it downloaded for the next pull`
            : `error: the pull of ${pull.name} was cancelled in Paddock`,
          toStderr: true,
          status: 1,
        };
      default:
        return {
          line: `error: ${oneLine(pull.error ?? `the pull of ${pull.name} failed`)}`,
          toStderr: true,
          status: 1,
        };
    }
  }

  private fresh(line: string): string | null {
    if (line === this.last) return null;
    this.last = line;
    return line;
  }
}
