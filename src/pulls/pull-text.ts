import { gettext as _ } from 'gettext';

import { formatBytes, fillTemplate } from '../util/text.js';
import { isCloudTag, type ModelName } from '../ollama/model-name.js';
import type { PullView } from './pull-view.js';

const SEPARATOR = ' · ';

/** "45 s", "4 min 10 s", "1 h 5 min": for countdowns and stalls, to the second. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return fillTemplate(_('{seconds} s'), { seconds: whole });
  if (whole < 3600) {
    const minutes = Math.floor(whole / 60);
    const rest = whole % 60;
    return rest === 0
      ? fillTemplate(_('{minutes} min'), { minutes })
      : fillTemplate(_('{minutes} min {seconds} s'), { minutes, seconds: rest });
  }
  return fillTemplate(_('{hours} h {minutes} min'), {
    hours: Math.floor(whole / 3600),
    minutes: Math.floor((whole % 3600) / 60),
  });
}

/** "30 s left", "5 min left", "2 h 10 min left": rounded up, to the minute past a minute. */
export function formatTimeLeft(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const rounded = whole < 60 ? whole : Math.ceil(whole / 60) * 60;
  return fillTemplate(_('{duration} left'), { duration: formatDuration(rounded) });
}

/** "42% · 1.2 GB of 2.0 GB", "1.2 GB" while the size is unknown, "" before any byte. */
export function formatAmount(view: Pick<PullView, 'completed' | 'total' | 'fraction'>): string {
  if (view.fraction !== null)
    return fillTemplate(_('{percent}% · {completed} of {total}'), {
      percent: Math.floor(view.fraction * 100),
      completed: formatBytes(view.completed),
      total: formatBytes(view.total),
    });
  return view.completed > 0 ? formatBytes(view.completed) : '';
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '').join(SEPARATOR);
}

/** What Ollama does after the download, in words. */
function finishingText(statusLine: string): string {
  if (statusLine.startsWith('verifying')) return _('Verifying…');
  if (statusLine === 'writing manifest') return _('Writing the manifest…');
  if (statusLine.startsWith('removing')) return _('Removing unused files…');
  return _('Finishing…');
}

function pullingText(view: PullView): string {
  if (view.waitingFor === 'confirmation')
    return _('Waiting for permission to download over a metered network');
  if (view.waitingFor === 'keyring') return _('Waiting for the keyring…');
  const stalled =
    view.stalledFor === null
      ? ''
      : fillTemplate(_('stalled for {duration}'), { duration: formatDuration(view.stalledFor) });
  switch (view.phase) {
    case 'starting':
      return join(formatAmount(view) || _('Starting…'), stalled);
    case 'manifest':
      return join(formatAmount(view) || _('Looking up the model…'), stalled);
    case 'download':
      return join(
        formatAmount(view),
        stalled,
        view.speed === null ? '' : fillTemplate(_('{speed}/s'), { speed: formatBytes(view.speed) }),
        view.secondsLeft === null ? '' : formatTimeLeft(view.secondsLeft),
      );
    case 'finishing':
      return join(formatAmount(view), finishingText(view.statusLine));
  }
}

/**
 * One line that says where a pull stands, for a row's subtitle or the command line:
 * "42% · 1.2 GB of 2.0 GB · 25.0 MB/s · 30 s left", "42% · 1.2 GB of 2.0 GB · stalled for 40 s",
 * "Retrying in 25 s…", "Waiting for the network…", "Paused · 42% · 1.2 GB of 2.0 GB",
 * "Complete · 2.0 GB". A failed pull's reason is in its `error`.
 */
export function describePull(view: PullView): string {
  switch (view.status) {
    case 'queued':
      return join(_('Queued'), formatAmount(view));
    case 'pulling':
      return pullingText(view);
    case 'pending-retry':
      if (view.waitingFor === 'network') return _('Waiting for the network…');
      return fillTemplate(_('Retrying in {duration}…'), {
        duration: formatDuration(view.retryIn ?? 0),
      });
    case 'paused':
      return join(_('Paused'), formatAmount(view));
    case 'complete':
      return join(_('Complete'), view.total > 0 ? formatBytes(view.total) : '');
    case 'failed':
      return _('Failed');
    case 'cancelled':
      return _(
        'Cancelled. Ollama may keep the part it downloaded, and use it if the model is pulled again.',
      );
  }
}

/** Why a name cannot be pulled because it runs on ollama.com (`x:cloud`, `x:120b-cloud`), or null. */
export function cloudTagProblem(name: ModelName): string | null {
  if (!isCloudTag(name.tag)) return null;
  return fillTemplate(
    _(
      '“{model}” runs on ollama.com, so there is nothing to download. Pick a tag without “cloud” to run the model on your server.',
    ),
    { model: name.display },
  );
}

/**
 * What a pull says when the server threw away a partial download: Ollama deletes
 * unfinished downloads when it starts, unless OLLAMA_NOPRUNE is set.
 */
export function restartLossText(bytes: number): string {
  return fillTemplate(
    _(
      'The server discarded {size} already downloaded: it was restarted, and deletes unfinished downloads when it starts. Set OLLAMA_NOPRUNE=1 for the Ollama server to keep them.',
    ),
    { size: formatBytes(bytes) },
  );
}
