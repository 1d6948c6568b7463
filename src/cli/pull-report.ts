import { gettext as _ } from 'gettext';

import { formatDuration } from '../pulls/pull-text.js';
import type { PullView } from '../pulls/pull-view.js';
import { fillTemplate, oneLine } from '../util/text.js';

/** How a pull ended, for the command line: the last line, where it goes, the exit status. */
export interface PullOutcome {
  line: string;
  toStderr: boolean;
  status: 0 | 1;
}

/**
 * The lines `paddock pull` prints: one for each change of status and one for each
 * (already throttled) progress update while bytes flow, never the same line twice in a
 * row. Always whole lines, no carriage returns, so a log of it reads as well as a terminal:
 *
 *     pulling qwen3:8b on Local (http://127.0.0.1:11434)
 *     pulling qwen3:8b: 42% · 2.2 GB of 5.2 GB · 25.0 MB/s · 2 min left
 *     retrying qwen3:8b in 30 s: The connection to Ollama at 127.0.0.1:11434 broke off. Try again.
 *     pulled qwen3:8b
 */
export class PullReport {
  private last: string | null = null;

  constructor(private readonly connectionName: string) {}

  /** The first line: which server pulls, or that the command joins a pull under way. */
  started(name: string, url: string, joined: boolean): string {
    // Translators: {connection} is the name of a saved connection, {url} its address.
    const values = { name, connection: this.connectionName, url };
    return joined
      ? fillTemplate(
          _('joining the pull of {name} already under way on {connection} ({url})'),
          values,
        )
      : fillTemplate(_('pulling {name} on {connection} ({url})'), values);
  }

  /** The line for the pull's status as it is now, or null for nothing new (or its end: see outcome). */
  statusChanged(pull: PullView): string | null {
    switch (pull.status) {
      case 'queued':
        return this.fresh(
          fillTemplate(_('queued {name}: other pulls on {connection} go first'), {
            name: pull.name,
            connection: this.connectionName,
          }),
        );
      case 'pulling':
        return this.fresh(
          fillTemplate(_('pulling {name}: {progress}'), {
            name: pull.name,
            progress: oneLine(pull.text),
          }),
        );
      case 'pending-retry': {
        const reason = oneLine(pull.error ?? pull.text);
        if (pull.waitingFor === 'network')
          return this.fresh(
            fillTemplate(_('{name} is waiting for the network: {reason}'), {
              name: pull.name,
              reason,
            }),
          );
        return this.fresh(
          // Translators: {time} is a duration such as “25 s” or “4 min 10 s”.
          fillTemplate(_('retrying {name} in {time}: {reason}'), {
            name: pull.name,
            time: formatDuration(pull.retryIn ?? 0),
            reason,
          }),
        );
      }
      case 'paused':
        return this.fresh(
          pull.error
            ? fillTemplate(_('paused {name}: {reason}'), {
                name: pull.name,
                reason: oneLine(pull.error),
              })
            : fillTemplate(_('paused {name}: waiting for it to be resumed in Paddock'), {
                name: pull.name,
              }),
        );
      default:
        return null;
    }
  }

  /** A throttled progress update: a line while bytes flow, if it says something new. */
  progressUpdated(pull: PullView): string | null {
    return pull.status === 'pulling' ? this.statusChanged(pull) : null;
  }

  /** How a pull that is no longer live ended; `cancelledHere` when this command cancelled it. */
  outcome(pull: PullView, cancelledHere: boolean): PullOutcome {
    switch (pull.status) {
      case 'complete':
        return {
          line: fillTemplate(_('pulled {name}'), { name: pull.name }),
          toStderr: false,
          status: 0,
        };
      case 'cancelled':
        return {
          line: cancelledHere
            ? fillTemplate(
                _(
                  'error: cancelled the pull of {name}; Ollama keeps what it downloaded for the next pull',
                ),
                { name: pull.name },
              )
            : fillTemplate(_('error: the pull of {name} was cancelled in Paddock'), {
                name: pull.name,
              }),
          toStderr: true,
          status: 1,
        };
      default:
        return {
          line: fillTemplate(_('error: {message}'), {
            message: oneLine(
              pull.error ?? fillTemplate(_('the pull of {name} failed'), { name: pull.name }),
            ),
          }),
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
