import type Adw from 'gi://Adw';

import type { PullManager } from '../pulls/pull-manager.js';
import { summarizePulls } from '../pulls/pull-summary.js';
import { connectObject, disconnectObject } from '../util/signals.js';

/**
 * Keeps a banner saying what the pulls are doing, shown while any runs or waits, until
 * the banner is unrealized.
 */
export function showPullsIn(banner: Adw.Banner, pulls: PullManager): void {
  // Model names and server messages are text, not markup.
  banner.use_markup = false;
  const update = () => {
    const summary = summarizePulls(pulls.jobs);
    if (summary !== null) banner.title = summary;
    banner.revealed = summary !== null;
  };
  connectObject(banner, pulls, {
    changed: update,
    'progress-updated': update,
    'status-changed': update,
  });
  banner.connect('unrealize', () => disconnectObject(banner));
  update();
}
