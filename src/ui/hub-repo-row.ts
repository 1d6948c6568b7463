import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _, ngettext } from 'gettext';

import type { HubRepo } from '../hub/types.js';
import { fillTemplate, formatAge, formatCount } from '../util/text.js';

/**
 * A Hugging Face repository: its id, then author, downloads, likes and last update, and a
 * pill when it is gated or private. Hub text is plain text here, never markup.
 */
export class PaddockHubRepoRow extends Adw.ActionRow {
  static {
    GObject.registerClass({ GTypeName: 'PaddockHubRepoRow' }, this);
  }

  constructor(
    readonly repo: HubRepo,
    activatable = true,
  ) {
    super({ use_markup: false, activatable, subtitle_lines: 2 });
    this.title = repo.id;
    this.subtitle = repoFacts(repo);
    const restriction = repo.private ? _('Private') : repo.gated !== false ? _('Gated') : null;
    if (restriction)
      this.add_suffix(
        new Gtk.Label({
          label: restriction,
          valign: Gtk.Align.CENTER,
          css_classes: ['restricted-pill', 'caption'],
        }),
      );
    if (activatable) this.add_suffix(new Gtk.Image({ icon_name: 'go-next-symbolic' }));
  }
}

/** "bartowski · 1.2M downloads · 180 likes · updated 2 months ago" */
function repoFacts(repo: HubRepo): string {
  const age = repo.lastModified ? formatAge(repo.lastModified) : null;
  return [
    repo.author,
    fillTemplate(ngettext('{count} download', '{count} downloads', repo.downloads), {
      count: formatCount(repo.downloads),
    }),
    fillTemplate(ngettext('{count} like', '{count} likes', repo.likes), {
      count: formatCount(repo.likes),
    }),
    age ? fillTemplate(_('updated {age}'), { age }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}
