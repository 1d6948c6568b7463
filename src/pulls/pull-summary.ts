import { gettext as _, ngettext } from 'gettext';

import { fillTemplate } from '../util/text.js';
import type { PullStatus } from './saved-pull.js';
import { formatDuration } from './pull-text.js';
import type { PullView } from './pull-view.js';

/**
 * The one line over all pulls, for the banner: "Downloading llama3.2:3b — 42% · 1.2 GB
 * of 2.0 GB · 25 MB/s · 30 s left", "Downloading 3 models — 35%", and the pending
 * retries: "Retrying qwen3:8b in 25 s…". Null when no pull is running or waiting.
 */
export function summarizePulls(items: readonly PullView[]): string | null {
  const active = items.filter((item) => ACTIVE.includes(item.status));
  if (active.length === 0) return null;
  const retrying = active.filter((item) => item.status === 'pending-retry');
  const downloading = active.filter((item) => item.status !== 'pending-retry');

  const parts: string[] = [];
  if (downloading.length === 1) {
    const [item] = downloading;
    parts.push(
      fillTemplate(_('Downloading {name} — {progress}'), { name: item.name, progress: item.text }),
    );
  } else if (downloading.length > 1) {
    const percent = overallPercent(downloading);
    const count = downloading.length;
    parts.push(
      percent === null
        ? fillTemplate(ngettext('Downloading {count} model', 'Downloading {count} models', count), {
            count,
          })
        : fillTemplate(
            ngettext(
              'Downloading {count} model — {percent}%',
              'Downloading {count} models — {percent}%',
              count,
            ),
            { count, percent },
          ),
    );
  }
  for (const item of retrying)
    parts.push(
      item.retryIn === null
        ? fillTemplate(_('Retrying {name}…'), { name: item.name })
        : fillTemplate(_('Retrying {name} in {duration}…'), {
            name: item.name,
            duration: formatDuration(item.retryIn),
          }),
    );
  return parts.join(' · ');
}

/** Pulls that are, or will be without anyone's help, moving bytes. */
const ACTIVE: readonly PullStatus[] = ['queued', 'pulling', 'pending-retry'];

/** Bytes over all pulls whose size is known; null when none is. */
function overallPercent(items: readonly PullView[]): number | null {
  let completed = 0;
  let total = 0;
  for (const item of items) {
    if (item.fraction === null || item.total <= 0) continue;
    completed += Math.min(item.completed, item.total);
    total += item.total;
  }
  return total > 0 ? Math.floor((completed / total) * 100) : null;
}
