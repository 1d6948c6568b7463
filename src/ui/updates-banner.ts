import type Adw from 'gi://Adw';
import { ngettext } from 'gettext';

import type { OutdatedModel, UpdateSchedule } from '../library/update-schedule.js';
import type { PullManager } from '../pulls/pull-manager.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { fillTemplate } from '../util/text.js';

/** The outdated models that are not being pulled already. */
function waiting(schedule: UpdateSchedule, pulls: PullManager): OutdatedModel[] {
  return schedule.outdated.filter((model) => !pulls.find(model.connectionId, model.name));
}

/**
 * Keeps a banner saying how many models have a newer version, with Update All, shown while
 * some outdated model is not being pulled, until the banner is unrealized.
 */
export function showUpdatesIn(
  banner: Adw.Banner,
  schedule: UpdateSchedule,
  pulls: PullManager,
): void {
  const update = () => {
    const count = waiting(schedule, pulls).length;
    if (count > 0)
      banner.title = fillTemplate(
        ngettext('{count} model has a newer version', '{count} models have a newer version', count),
        { count },
      );
    banner.revealed = count > 0;
  };
  connectObject(banner, schedule, { changed: update });
  connectObject(banner, pulls, { changed: update });
  banner.connect('button-clicked', () => {
    // Each through the pull manager: the downloads banner shows them as one.
    for (const model of waiting(schedule, pulls)) pulls.start(model.connectionId, model.name);
  });
  banner.connect('unrealize', () => disconnectObject(banner));
  update();
}
