import type Adw from 'gi://Adw';

import type { PullManager } from '../pulls/pull-manager.js';
import { summarizePulls } from '../pulls/pull-summary.js';

/**
 * Keeps a banner saying what the pulls are doing, shown while any runs or waits.
 * Returns the function that stops it.
 */
export function showPullsIn(banner: Adw.Banner, pulls: PullManager): () => void {
  // Model names and server messages are text, not markup.
  banner.use_markup = false;
  const update = () => {
    const summary = summarizePulls(pulls.jobs);
    if (summary !== null) banner.title = summary;
    banner.revealed = summary !== null;
  };
  const handlers = ['changed', 'progress-updated', 'status-changed'].map((signal) =>
    pulls.connect(signal, update),
  );
  update();
  return () => {
    for (const handler of handlers) pulls.disconnect(handler);
  };
}
