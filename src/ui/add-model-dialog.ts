import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Adw from 'gi://Adw';
import { gettext as _ } from 'gettext';

import type { PaddockApplication } from '../application.js';
import type { AvailableModel } from '../catalog/available-model.js';
import type { AvailableModels } from '../catalog/available-models.js';
import type { ModelTag } from '../catalog/model-tag.js';
import {
  findSizeVariant,
  groupSizes,
  pickDefaultSize,
  type SizeChoice,
  type SizeVariantPosition,
} from '../catalog/size-variants.js';
import type { ConnectionItem } from '../config/connection-item.js';
import { ModelName } from '../ollama/model-name.js';
import { errorText } from '../util/errors.js';
import { formatBytes, fillTemplate } from '../util/text.js';
import type { SizeAdvice, SizeAdviser } from './size-adviser.js';
import { PaddockSizeItem } from './size-item.js';
import { openListsLeftwards, sizeListFactory } from './size-list-factory.js';
import { escapeMarkup } from './markup.js';
import { PaddockSearchablePulldown } from './searchable-pulldown.js';
import { PaddockCatalogModelRow } from './catalog-model-row.js';
import { connectObject, disconnectObject } from '../util/signals.js';
import { inBackground } from '../util/background.js';
import { systemClock } from '../util/clock.js';
import { PaddockHubModelSearch } from './hub-model-search.js';

/**
 * Preferences → Models → Add Model: pick a server, find a model in the catalog (or type
 * any valid Ollama name), pick its size and variant, and hand the pull to the pull
 * manager. Each size says whether it fits the server (SizeAdviser), the default size is
 * the largest that fits, and a size too large for the server or its free disk space is
 * pulled only after a confirmation.
 */
export class PaddockAddModelDialog extends Adw.PreferencesDialog {
  static {
    GObject.registerClass(
      {
        GTypeName: 'PaddockAddModelDialog',
        Template: 'resource:///io/github/paddock/Paddock/ui/add-model-dialog.ui',
        InternalChildren: [
          'connection_row',
          'model_group',
          'refresh_button',
          'details_group',
          'picked_row',
          'size_row',
          'variant_row',
          'problem_label',
          'start_button',
          'source_toggle',
          'hub_group',
        ],
      },
      this,
    );
  }

  declare _connection_row: Adw.ComboRow;
  declare _model_group: Adw.PreferencesGroup;
  declare _refresh_button: Gtk.Button;
  declare _details_group: Adw.PreferencesGroup;
  declare _picked_row: Adw.ActionRow;
  declare _size_row: Adw.ComboRow;
  declare _variant_row: Adw.ComboRow;
  declare _problem_label: Gtk.Label;
  declare _start_button: Gtk.Button;
  declare _source_toggle: Adw.ToggleGroup;
  declare _hub_group: Adw.PreferencesGroup;

  private readonly cancellable = new Gio.Cancellable();
  private catalog: AvailableModels | null = null;
  private refreshing = false;
  private picked: AvailableModel | null = null;
  private sizes: readonly SizeChoice[] = [];
  private readonly sizeItems = new Gio.ListStore({ item_type: PaddockSizeItem.$gtype });
  private readonly variantItems = new Gio.ListStore({ item_type: PaddockSizeItem.$gtype });
  /** The size or variant rows are being filled by the dialog, not chosen by the user. */
  private settingSelection = false;
  /** The user picked a size (or typed a tag): advice no longer moves the default. */
  private userChoseSize = false;
  /** Advice by server and pull name, for the dialog's life; null: nothing known. */
  private readonly advice = new Map<string, SizeAdvice | null>();
  /** Questions under way, each with the cancellable of its round. */
  private readonly asking = new Map<string, Gio.Cancellable>();
  /** Cancels the questions for another model or server. */
  private adviceCancellable = new Gio.Cancellable();
  /** Names (with and without tag) installed on the chosen server. */
  private installed = new Set<string>();
  /** The name Start Download would pull, or null when there is nothing valid to pull. */
  private pullName: string | null = null;
  /** Why nothing can be pulled, or null. */
  private pullProblem: string | null = null;
  /** The Hugging Face side, made when first chosen. */
  private hub: PaddockHubModelSearch | null = null;
  /** What the library side would pull while Hugging Face is shown, to restore on return. */
  private libraryPull: [name: string | null, problem: string | null] = [null, null];

  constructor(
    private readonly paddock: PaddockApplication,
    private readonly adviser: SizeAdviser,
  ) {
    super();
    for (const row of [this._size_row, this._variant_row]) {
      row.expression = Gtk.PropertyExpression.new(PaddockSizeItem.$gtype, null, 'summary');
      row.list_factory = sizeListFactory(row);
      openListsLeftwards(row);
    }
    this._connection_row.model = paddock.connections.model;
    this._connection_row.expression = Gtk.PropertyExpression.new(
      paddock.connections.model.get_item_type(),
      null,
      'name',
    );
    const model = paddock.connections.model;
    const current = paddock.connections.getDefault();
    for (let i = 0; current && i < model.get_n_items(); i++)
      if (model.get_item(i) === current) this._connection_row.selected = i;

    this.connect('closed', () => {
      this.cancellable.cancel();
      this.adviceCancellable.cancel();
    });
    this._model_group.description = _('Loading the model catalog…');
    inBackground(this.loadCatalog(), 'reading the model catalog');
    inBackground(this.loadInstalled(), 'listing the installed models');
  }

  private get connection(): ConnectionItem | null {
    return this._connection_row.selected_item as ConnectionItem | null;
  }

  private async loadCatalog(): Promise<void> {
    const catalog = await this.paddock.catalog();
    if (this.cancellable.is_cancelled()) return;
    this.catalog = catalog;
    connectObject(this, catalog, { 'notify::problem': () => this.showCatalogState() });
    this.connect('unrealize', () => disconnectObject(this));
    this.showCatalogState();
    // A list older than 3 days is downloaded again; the pulldown follows the model.
    inBackground(
      this.refreshCatalog(() => catalog.refreshIfStale()),
      'refreshing the model catalog',
    );
    const pulldown = new PaddockSearchablePulldown<AvailableModel>({
      model: catalog,
      itemText: (item) => item.name,
      itemDescription: (item) => item.description,
      createRow: (item) =>
        new PaddockCatalogModelRow(item, this.installed.has(item.name.toLowerCase())),
      placeholder: _('Search models (e.g., gemma3, qwen3)'),
      accessibleName: _('Model'),
      listAccessibleName: _('Matching models'),
    });
    pulldown.connect('activated', (_pulldown, item: AvailableModel) => this.choose(item, null));
    pulldown.connect('notify::text', () => this.onTextChanged(pulldown.text));
    pulldown.connect('entry-activated', () => {
      if (this._start_button.sensitive) this.start();
    });
    this._model_group.add(pulldown);
    pulldown.grab_focus();
  }

  protected on_refresh_clicked(): void {
    const catalog = this.catalog;
    if (catalog)
      inBackground(
        this.refreshCatalog(() => catalog.refresh()),
        'refreshing the model catalog',
      );
  }

  /** Runs a refresh of the catalog (it goes on for the app if the dialog closes). */
  private async refreshCatalog(refresh: () => Promise<void>): Promise<void> {
    this.refreshing = true;
    this.showCatalogState();
    try {
      await refresh();
    } catch (error) {
      console.warn(`Paddock: cannot refresh the model catalog: ${String(error)}`);
    }
    this.refreshing = false;
    if (!this.cancellable.is_cancelled()) this.showCatalogState();
  }

  /** Why the list may be old, and Refresh while it is (stale, or its download failed). */
  private showCatalogState(): void {
    const catalog = this.catalog;
    if (!catalog) return;
    // The problem quotes the catalog's address and server (see markup.ts).
    this._model_group.description = escapeMarkup(catalog.problem ?? '');
    this._refresh_button.visible = catalog.isStale;
    this._refresh_button.sensitive = !this.refreshing;
  }

  private async loadInstalled(): Promise<void> {
    const connection = this.connection;
    this.installed = new Set();
    if (!connection) return;
    try {
      const client = await this.paddock.clients.clientFor(connection.id);
      const models = await client.tags(this.cancellable);
      for (const model of models) {
        const name = model.name.toLowerCase();
        this.installed.add(name);
        this.installed.add(ModelName.splitTag(name)[0]);
      }
      this.updatePicked();
    } catch {
      // Without the list, nothing is marked installed; the pull itself will say more.
    }
  }

  protected on_connection_changed(): void {
    inBackground(this.loadInstalled(), 'listing the installed models');
    this.validate();
    this.askAdvice();
    this.hub?.adviseAgain();
    this.showProblem();
  }

  protected on_size_changed(): void {
    if (this.settingSelection) return;
    this.userChoseSize = true;
    this.showSubtitle(this._size_row);
    this.showVariants(this._size_row.selected, 0);
    this.updatePicked();
  }

  protected on_variant_changed(): void {
    if (this.settingSelection) return;
    this.userChoseSize = true;
    this.showSubtitle(this._variant_row);
    this.updatePicked();
    this.adviseChosenVariant();
  }

  // The source switch: the Ollama library above, or Hugging Face (src/ui/hub-model-search.ts).
  private get fromHub(): boolean {
    return this._source_toggle.active_name === 'hub';
  }

  protected on_source_changed(): void {
    const fromHub = this.fromHub;
    this._model_group.visible = !fromHub;
    this._details_group.visible = !fromHub && this.picked !== null;
    this._hub_group.visible = fromHub;
    if (!fromHub) {
      this.showPull(...this.libraryPull);
      return;
    }
    if (!this.hub) {
      const hub = new PaddockHubModelSearch(
        this.paddock.hub(),
        systemClock,
        (url, size, cancellable) => {
          const connection = this.connection;
          return connection
            ? this.adviser.adviseFile(connection.id, url, size, cancellable)
            : Promise.resolve(null);
        },
      );
      hub.connect('pull-changed', () => {
        if (this.fromHub) this.showPull(hub.pullName, hub.problem);
      });
      this.connect('closed', () => hub.dispose());
      this._hub_group.add(hub);
      this.hub = hub;
    }
    this.showPull(this.hub.pullName, this.hub.problem);
    this.hub.focusEntry();
  }

  protected on_start_clicked(): void {
    this.start();
  }

  /** A typed name: a catalog model (with a tag, maybe), or any valid Ollama name. */
  private onTextChanged(text: string): void {
    const typed = text.trim();
    if (this.picked && typed === this.pickedText()) return;
    this.picked = null;
    this._details_group.visible = false;
    if (typed === '') {
      this.setPullName(null, null);
      return;
    }
    const [family, tag] = ModelName.splitTag(typed);
    const known = this.catalog?.find(family) ?? null;
    if (known && (tag === null || known.findTag(tag))) {
      this.choose(known, tag);
      return;
    }
    try {
      this.setPullName(ModelName.parse(typed).display, null);
    } catch (error) {
      this.setPullName(null, errorText(error));
    }
  }

  private choose(model: AvailableModel, tagName: string | null): void {
    this.picked = model;
    this.sizes = groupSizes(model.tags);
    this.settingSelection = true;
    try {
      this.sizeItems.splice(
        0,
        this.sizeItems.get_n_items(),
        this.sizes.map((choice) => this.itemFor(choice.defaultTag, choice.size)),
      );
    } finally {
      this.settingSelection = false;
    }
    const typed = tagName ? findSizeVariant(this.sizes, tagName) : null;
    this.userChoseSize = typed !== null;
    this.select(typed ?? { size: this.defaultSize(), variant: 0 });
    this._details_group.visible = true;
    this.updatePicked();
    this.askAdvice();
  }

  /** Picks a size and one of its variants without counting it as the user's choice. */
  private select(position: SizeVariantPosition): void {
    this.settingSelection = true;
    try {
      if (this._size_row.model !== this.sizeItems) this._size_row.model = this.sizeItems;
      this._size_row.selected = position.size;
      // A new list of the same length keeps the position: say the new item's text.
      this.showSubtitle(this._size_row);
    } finally {
      this.settingSelection = false;
    }
    this.showVariants(position.size, position.variant);
  }

  /** The chosen size's tags in the Variant row, shown when there is more than one. */
  private showVariants(size: number, variant: number): void {
    const variants = this.sizes[size]?.variants ?? [];
    this.settingSelection = true;
    try {
      this.variantItems.splice(
        0,
        this.variantItems.get_n_items(),
        variants.map((tag, index) => this.itemFor(tag, tag.name, index === 0)),
      );
      if (this._variant_row.model !== this.variantItems)
        this._variant_row.model = this.variantItems;
      this._variant_row.selected = variant;
      this.showSubtitle(this._variant_row);
    } finally {
      this.settingSelection = false;
    }
    this._variant_row.visible = variants.length > 1;
    this.adviseChosenVariant();
  }

  private itemFor(tag: ModelTag, title: string, isDefaultVariant = false): PaddockSizeItem {
    const item = new PaddockSizeItem(tag, title, isDefaultVariant);
    item.advice = this.advice.get(this.adviceKey(tag)) ?? null;
    return item;
  }

  private showSubtitle(row: Adw.ComboRow): void {
    row.subtitle = (row.selected_item as PaddockSizeItem | null)?.rowSummary ?? '';
  }

  /** See pickDefaultSize(): what fits best, else the catalog's default. */
  private defaultSize(): number {
    return pickDefaultSize(
      this.sizes,
      this.picked?.defaultTag ?? null,
      (choice) => this.advice.get(this.adviceKey(choice.defaultTag)) ?? null,
    );
  }

  private get chosenTag(): ModelTag | null {
    return (this._variant_row.selected_item as PaddockSizeItem | null)?.tag ?? null;
  }

  /** Asks the adviser about every size of the picked model on the chosen server. */
  private askAdvice(): void {
    this.adviceCancellable.cancel();
    this.adviceCancellable = new Gio.Cancellable();
    this.asking.clear();
    for (const choice of this.sizes) if (!choice.isCloud) this.adviseOn(choice.defaultTag);
    this.adviseChosenVariant();
  }

  private adviseChosenVariant(): void {
    const tag = this.chosenTag;
    if (tag && !tag.isCloud) this.adviseOn(tag);
  }

  private adviseOn(tag: ModelTag): void {
    const connection = this.connection;
    const model = this.picked;
    const key = this.adviceKey(tag);
    if (!connection || !model || this.advice.has(key) || this.asking.has(key)) return;
    const cancellable = this.adviceCancellable;
    this.asking.set(key, cancellable);
    inBackground(
      this.adviser
        .advise(connection.id, tag.pullName(model.name), tag.sizeBytes, cancellable)
        .catch((error: unknown) => {
          if (!cancellable.is_cancelled())
            console.warn(`Paddock: no fit advice for ${tag.name}: ${errorText(error)}`);
          return null;
        })
        .then((advice) => {
          if (cancellable.is_cancelled()) return;
          this.asking.delete(key);
          this.advice.set(key, advice);
          this.showAdvice(key, advice);
        }),
      'asking whether a size fits',
    );
  }

  /** Fills in the items it is about, in place; moves the default while the user has not chosen. */
  private showAdvice(key: string, advice: SizeAdvice | null): void {
    for (const [row, items] of [
      [this._size_row, this.sizeItems],
      [this._variant_row, this.variantItems],
    ] as const) {
      for (let i = 0; i < items.get_n_items(); i++) {
        const item = items.get_item(i) as PaddockSizeItem;
        if (this.adviceKey(item.tag) !== key) continue;
        item.advice = advice;
        if (row.selected === i) this.showSubtitle(row);
      }
    }
    this.showProblem();
    if (this.userChoseSize) return;
    const best = this.defaultSize();
    if (best !== this._size_row.selected) {
      this.select({ size: best, variant: 0 });
      this.updatePicked();
    }
  }

  private adviceKey(tag: ModelTag): string {
    return `${this.connection?.id ?? ''}\n${tag.pullName(this.picked?.name ?? '')}`;
  }

  private pickedText(): string {
    return this.picked?.name ?? '';
  }

  private updatePicked(): void {
    const model = this.picked;
    if (!model) return;
    const tag = this.chosenTag;
    const name = tag ? tag.pullName(model.name) : model.name;
    this._picked_row.title = name;
    const installed = this.installed.has(name.toLowerCase());
    this._picked_row.subtitle = [
      model.description,
      installed
        ? fillTemplate(_('{server} already has this model; downloading it again updates it.'), {
            server: this.connection?.name ?? '',
          })
        : '',
    ]
      .filter(Boolean)
      .join('\n');
    if (tag?.isCloud)
      this.setPullName(
        null,
        fillTemplate(
          _('{name} runs on ollama.com, not on your server: there is nothing to download.'),
          { name },
        ),
      );
    else this.setPullName(name, null);
  }

  private setPullName(name: string | null, problem: string | null): void {
    this.libraryPull = [name, problem];
    if (!this.fromHub) this.showPull(name, problem);
  }

  private showPull(name: string | null, problem: string | null): void {
    this.pullName = name;
    this.pullProblem = problem;
    this.showProblem();
    this.validate();
  }

  /** Why Start Download is off; else a download larger than the server's free disk space. */
  private showProblem(): void {
    const text = this.pullProblem ?? this.chosenAdvice()?.diskProblem ?? null;
    this._problem_label.label = text ?? '';
    this._problem_label.visible = text !== null;
  }

  /** The advice on what Start Download would pull, when known. */
  private chosenAdvice(): SizeAdvice | null {
    if (this.fromHub) return this.hub?.chosenAdvice ?? null;
    const tag = this.picked ? this.chosenTag : null;
    return tag ? (this.advice.get(this.adviceKey(tag)) ?? null) : null;
  }

  private validate(): void {
    this._start_button.sensitive = this.pullName !== null && this.connection !== null;
  }

  private start(): void {
    const connection = this.connection;
    const name = this.pullName;
    if (!name || !connection) return;
    const tag = this.picked && !this.fromHub ? this.chosenTag : null;
    const sizeHint = this.fromHub ? (this.hub?.sizeHint ?? null) : (tag?.sizeBytes ?? null);
    const pull = (): void => {
      this.paddock.pulls.start(connection.id, name, { sizeHint });
      this.close();
    };
    const advice = this.chosenAdvice();
    if (advice?.kind === 'too-large' || advice?.diskProblem)
      this.confirmDownload(name, connection.name, advice, pull);
    else pull();
  }

  /**
   * A model the server cannot run, or whose download is larger than the free disk space, is
   * pulled only when the user says so, knowing why. Not refused: the free space may change,
   * and the server may keep its models in a folder Paddock cannot see.
   */
  private confirmDownload(
    name: string,
    server: string,
    advice: SizeAdvice,
    pull: () => void,
  ): void {
    const need = advice.needBytes ?? null;
    const have = advice.haveBytes ?? null;
    const tooLarge = advice.kind === 'too-large';
    const reasons = [
      !tooLarge
        ? null
        : need !== null && have !== null
          ? fillTemplate(
              _(
                '{name} needs about {need} of memory, and {server} has {have}: it will probably not run there.',
              ),
              { name, server, need: formatBytes(need), have: formatBytes(have) },
            )
          : fillTemplate(_('{name}: {verdict}'), { name, verdict: advice.verdict }),
      advice.diskProblem ?? null,
    ];
    const alert = new Adw.AlertDialog({
      heading: tooLarge
        ? _('Download a model too large for this server?')
        : _('Download without enough disk space?'),
      body: reasons.filter(Boolean).join('\n\n'),
      close_response: 'cancel',
      default_response: 'cancel',
    });
    alert.add_response('cancel', _('_Cancel'));
    alert.add_response('download', _('_Download Anyway'));
    alert.set_response_appearance('download', Adw.ResponseAppearance.DESTRUCTIVE);
    alert.connect('response', (_alert, response: string) => {
      if (response === 'download') pull();
    });
    alert.present(this);
  }
}
