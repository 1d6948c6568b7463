import GObject from 'gi://GObject';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import { quantListNote, quantOffers, type QuantOffer } from '../hub/quant-offer.js';
import type { Quant, QuantList } from '../hub/quants.js';
import { escapeMarkup } from './markup.js';
import { setAccessibleName } from './accessible-name.js';

interface QuantRow {
  offer: QuantOffer;
  row: Adw.ActionRow;
  check: Gtk.CheckButton;
  advice: string | null;
}

/**
 * A repository's quantisations: one row showing the chosen one (the preferred at first),
 * which expands to radio rows, smallest first. One that Ollama cannot pull is shown
 * disabled with the reason. Emits `changed` when the choice changes.
 *
 * The seam for fit verdicts: setQuantAdvice(name, text) puts a line (e.g. "Fits in
 * memory") under that quant's label; whoever judges the fit calls it once the list is set.
 */
export class PaddockHubQuantPicker extends Adw.PreferencesGroup {
  static {
    GObject.registerClass({ GTypeName: 'PaddockHubQuantPicker', Signals: { changed: {} } }, this);
  }

  #rows: QuantRow[] = [];
  #list: QuantList | null = null;
  readonly #expander = new Adw.ExpanderRow({ use_markup: false, title: _('Quantisation') });

  constructor() {
    super();
    this.add(this.#expander);
  }

  /** The chosen quant, or null when none can be pulled. */
  get chosen(): Quant | null {
    return this.#rows.find((entry) => entry.check.active)?.offer.quant ?? null;
  }

  /** The quants shown, or null before the first list. */
  get list(): QuantList | null {
    return this.#list;
  }

  /** Shows a repository's quants (an empty list clears it). */
  setList(list: QuantList): void {
    this.#list = list;
    for (const { row } of this.#rows) this.#expander.remove(row);
    this.#rows = [];
    this.description = escapeMarkup(quantListNote(list) ?? '');
    let group: Gtk.CheckButton | undefined;
    for (const offer of quantOffers(list)) {
      const check = new Gtk.CheckButton({ valign: Gtk.Align.CENTER });
      if (group) check.set_group(group);
      else group = check;
      setAccessibleName(check, offer.label);
      const row = new Adw.ActionRow({ use_markup: false, activatable_widget: check });
      row.title = offer.label;
      row.add_prefix(check);
      // The check too, so that assistive technology hears it is off.
      row.sensitive = check.sensitive = offer.problem === null;
      check.active = offer.quant === list.preferred;
      check.connect('toggled', () => {
        if (!check.active) return;
        this.#showChosen();
        this.emit('changed');
      });
      const entry: QuantRow = { offer, row, check, advice: null };
      this.#rows.push(entry);
      showSubtitle(entry);
      this.#expander.add_row(row);
    }
    this.#expander.visible = list.quants.length > 0;
    this.#expander.expanded = false;
    this.#showChosen();
    this.visible = list.quants.length > 0 || this.description !== '';
    this.emit('changed');
  }

  /** A line under one quant, such as a fit verdict; null takes it away. */
  setQuantAdvice(quantName: string, text: string | null): void {
    const entry = this.#rows.find((candidate) => candidate.offer.quant.name === quantName);
    if (!entry) return;
    entry.advice = text;
    showSubtitle(entry);
    this.#showChosen();
  }

  /** The chosen quant (and its advice) on the row that expands. */
  #showChosen(): void {
    const entry = this.#rows.find((candidate) => candidate.check.active);
    this.#expander.subtitle = entry
      ? [entry.offer.label, entry.advice].filter(Boolean).join('\n')
      : _('None can be downloaded');
  }
}

/** Why it cannot be pulled, else the advice; both are read with the row. */
function showSubtitle(entry: QuantRow): void {
  const text = entry.offer.problem ?? entry.advice ?? '';
  entry.row.subtitle = text;
  entry.check.update_property([Gtk.AccessibleProperty.DESCRIPTION], [text]);
}
