import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import { gettext as _ } from 'gettext';

import { accessProblem, type HubClient } from '../hub/hub-client.js';
import { HubSearch, type HubSearchState } from '../hub/hub-search.js';
import { isPullable, pullName, type Quant, type QuantList } from '../hub/quants.js';
import type { HubRepo } from '../hub/types.js';
import type { Clock } from '../util/clock.js';
import { errorText } from '../util/errors.js';
import { inBackground } from '../util/background.js';
import { fillTemplate } from '../util/text.js';
import { setAccessibleName } from './accessible-name.js';
import { PaddockHubQuantPicker } from './hub-quant-picker.js';
import { PaddockHubRepoRow } from './hub-repo-row.js';
import type { SizeAdvice } from './size-adviser.js';

/** Fit advice on a GGUF file of `size` bytes at `url`, for the dialog's server. */
type FileAdviser = (
  url: string,
  size: number,
  cancellable: Gio.Cancellable,
) => Promise<SizeAdvice | null>;

/** Quants whose GGUF headers are read at once. */
const ADVICE_AT_ONCE = 3;

/**
 * Add Model's Hugging Face side: search GGUF repositories as you type, pick one, pick
 * its quantisation. `pull-changed` tells the dialog what Start Download would pull
 * (pullName, with sizeHint), or why nothing can be (problem).
 */
export class PaddockHubModelSearch extends Gtk.Box {
  static {
    GObject.registerClass(
      { GTypeName: 'PaddockHubModelSearch', Signals: { 'pull-changed': {} } },
      this,
    );
  }

  /** `hf.co/ID:QUANT`, or null when nothing can be pulled. */
  pullName: string | null = null;
  /** Why nothing can be pulled (a gated or private repository), or null. */
  problem: string | null = null;
  /** The chosen quant's bytes. */
  sizeHint: number | null = null;
  /** Fit advice on the chosen quant, once it has come. */
  chosenAdvice: SizeAdvice | null = null;

  readonly #hub: HubClient;
  readonly #search: HubSearch;
  readonly #entry = new Gtk.SearchEntry({
    placeholder_text: _('Search Hugging Face (e.g., llama, qwen3)'),
    hexpand: true,
  });
  readonly #status = new Gtk.Label({ wrap: true, xalign: 0, hexpand: true });
  readonly #retry = new Gtk.Button({
    label: _('_Retry'),
    use_underline: true,
    valign: Gtk.Align.CENTER,
  });
  readonly #results = new Gtk.ListBox({
    selection_mode: Gtk.SelectionMode.NONE,
    css_classes: ['boxed-list'],
  });
  readonly #picked = new Gtk.ListBox({
    selection_mode: Gtk.SelectionMode.NONE,
    css_classes: ['boxed-list'],
  });
  readonly #picker = new PaddockHubQuantPicker();
  #repo: HubRepo | null = null;
  #quantsCancellable: Gio.Cancellable | null = null;
  #retryAction: (() => void) | null = null;
  readonly #adviser: FileAdviser;
  /** Advice by quant name, for the repository shown and the server chosen. */
  #advice = new Map<string, SizeAdvice | null>();
  /** Quants still to ask about, in order; the chosen one jumps the queue. */
  #adviceQueue: Quant[] = [];
  #asking = 0;
  #adviceCancellable = new Gio.Cancellable();

  constructor(hub: HubClient, clock: Clock, adviser: FileAdviser) {
    super({ orientation: Gtk.Orientation.VERTICAL, spacing: 12 });
    this.#hub = hub;
    this.#adviser = adviser;
    this.#search = new HubSearch(hub, clock, (state) => this.#showSearch(state));
    setAccessibleName(this.#entry, _('Hugging Face search'));
    setAccessibleName(this.#results, _('Hugging Face repositories'));
    setAccessibleName(this.#picked, _('Chosen repository'));
    this.#entry.connect('changed', () => {
      if (this.#repo) {
        this.#unpick();
        this.#showSearch(this.#search.state);
      }
      this.#search.setText(this.#entry.text);
    });
    this.#retry.connect('clicked', () => this.#retryAction?.());
    this.#results.connect('row-activated', (_list, row) => {
      if (row instanceof PaddockHubRepoRow) this.#pick(row.repo);
    });
    this.#picker.connect('changed', () => this.#showChosenQuant());

    const status = new Gtk.Box({ spacing: 12, margin_start: 6, margin_end: 6 });
    status.append(this.#status);
    status.append(this.#retry);
    this.append(this.#entry);
    this.append(status);
    this.append(this.#results);
    this.append(this.#picked);
    this.append(this.#picker);
    this.#picked.visible = false;
    this.#picker.visible = false;
    this.#showSearch(this.#search.state);
  }

  /** Puts the cursor into the search entry. */
  focusEntry(): void {
    this.#entry.grab_focus();
  }

  /** Asks again about every quant shown (the dialog's server changed). */
  adviseAgain(): void {
    const list = this.#repo ? this.#picker.list : null;
    this.#stopAdvice();
    if (list) this.#askAdvice(list);
  }

  /** Cancels what is under way; call it when the dialog closes. */
  dispose(): void {
    this.#search.dispose();
    this.#quantsCancellable?.cancel();
    this.#adviceCancellable.cancel();
  }

  #stopAdvice(): void {
    this.#adviceCancellable.cancel();
    this.#adviceCancellable = new Gio.Cancellable();
    this.#adviceQueue = [];
    this.#asking = 0;
    for (const name of this.#advice.keys()) this.#picker.setQuantAdvice(name, null);
    this.#advice = new Map();
    this.chosenAdvice = null;
  }

  /** The verdict of each quant Ollama can pull, the chosen one first, a few headers at a time. */
  #askAdvice(list: QuantList): void {
    if (!this.#repo) return;
    this.#adviceQueue = list.quants.filter(isPullable);
    this.#adviseChosenFirst();
    this.#askNext();
  }

  #adviseChosenFirst(): void {
    const chosen = this.#picker.chosen;
    const index = chosen ? this.#adviceQueue.indexOf(chosen) : -1;
    if (index > 0) this.#adviceQueue.unshift(...this.#adviceQueue.splice(index, 1));
  }

  #askNext(): void {
    const repo = this.#repo;
    const adviser = this.#adviser;
    while (repo && this.#asking < ADVICE_AT_ONCE && this.#adviceQueue.length > 0) {
      const quant = this.#adviceQueue.shift()!;
      const cancellable = this.#adviceCancellable;
      this.#asking++;
      // A split quant's header is in its first part; the weights are all of them.
      const url = this.#hub.resolveUrl(repo.id, quant.files[0].path);
      inBackground(
        adviser(url, quant.size, cancellable)
          .catch((error: unknown) => {
            if (!cancellable.is_cancelled())
              console.warn(`Paddock: no fit advice for ${quant.name}: ${errorText(error)}`);
            return null;
          })
          .then((advice) => {
            if (cancellable.is_cancelled()) return;
            this.#asking--;
            this.#showQuantAdvice(quant, advice);
            this.#askNext();
          }),
        'asking whether a quant fits',
      );
    }
  }

  #showQuantAdvice(quant: Quant, advice: SizeAdvice | null): void {
    this.#advice.set(quant.name, advice);
    this.#picker.setQuantAdvice(quant.name, advice ? adviceText(advice) : null);
    if (this.#picker.chosen === quant) this.#showChosenQuant();
  }

  #setStatus(text: string, style: 'dim-label' | 'error', retry: (() => void) | null): void {
    this.#status.label = text;
    this.#status.css_classes = [style];
    this.#status.visible = text !== '';
    this.#retryAction = retry;
    this.#retry.visible = retry !== null;
  }

  #showSearch(state: HubSearchState): void {
    if (this.#repo) return;
    switch (state.kind) {
      case 'idle':
        this.#setStatus(
          _('Find GGUF models on Hugging Face by name or author.'),
          'dim-label',
          null,
        );
        this.#showRepos([]);
        break;
      case 'searching':
        this.#setStatus(_('Searching Hugging Face…'), 'dim-label', null);
        break;
      case 'results':
        this.#setStatus(
          state.repos.length === 0
            ? fillTemplate(_('No GGUF repositories on Hugging Face match “{query}”.'), {
                query: state.text,
              })
            : '',
          'dim-label',
          null,
        );
        this.#showRepos(state.repos);
        break;
      case 'failed':
        this.#setStatus(state.message, 'error', () => this.#search.retry());
        this.#showRepos([]);
        break;
    }
  }

  #showRepos(repos: readonly HubRepo[]): void {
    this.#results.remove_all();
    for (const repo of repos) this.#results.append(new PaddockHubRepoRow(repo));
    this.#results.visible = repos.length > 0;
  }

  #pick(repo: HubRepo): void {
    this.#repo = repo;
    this.#results.visible = false;
    this.#picked.remove_all();
    const row = new PaddockHubRepoRow(repo, false);
    const back = new Gtk.Button({
      label: _('_Change'),
      use_underline: true,
      valign: Gtk.Align.CENTER,
      css_classes: ['flat'],
    });
    setAccessibleName(back, _('Change Repository'));
    back.connect('clicked', () => {
      this.#unpick();
      this.#showSearch(this.#search.state);
      this.#entry.grab_focus();
    });
    row.add_suffix(back);
    this.#picked.append(row);
    this.#picked.visible = true;
    // The row that had the focus is gone with the results.
    back.grab_focus();
    const denied = accessProblem(repo);
    if (denied) {
      this.#setStatus('', 'dim-label', null);
      this.#setPull(null, denied.message, null);
      return;
    }
    inBackground(this.#loadQuants(repo), 'listing the quants of a Hugging Face repository');
  }

  #unpick(): void {
    this.#repo = null;
    this.#stopAdvice();
    this.#quantsCancellable?.cancel();
    this.#quantsCancellable = null;
    this.#picked.visible = false;
    this.#picker.visible = false;
    this.#setPull(null, null, null);
  }

  async #loadQuants(repo: HubRepo): Promise<void> {
    this.#quantsCancellable?.cancel();
    const cancellable = new Gio.Cancellable();
    this.#quantsCancellable = cancellable;
    this.#picker.visible = false;
    this.#setPull(null, null, null);
    this.#setStatus(
      fillTemplate(_('Listing the files of {id}…'), { id: repo.id }),
      'dim-label',
      null,
    );
    let list: QuantList;
    try {
      list = await this.#hub.quants(repo.id, cancellable);
    } catch (error) {
      if (!cancellable.is_cancelled())
        this.#setStatus(errorText(error), 'error', () =>
          inBackground(this.#loadQuants(repo), 'listing the quants of a Hugging Face repository'),
        );
      return;
    }
    if (cancellable.is_cancelled()) return;
    this.#setStatus('', 'dim-label', null);
    this.#stopAdvice();
    this.#picker.setList(list);
    this.#askAdvice(list);
  }

  #showChosenQuant(): void {
    const quant = this.#repo ? this.#picker.chosen : null;
    this.chosenAdvice = quant ? (this.#advice.get(quant.name) ?? null) : null;
    this.#adviseChosenFirst();
    if (this.#repo && quant) this.#setPull(pullName(this.#repo.id, quant), null, quant.size);
    else this.#setPull(null, null, null);
  }

  #setPull(name: string | null, problem: string | null, sizeHint: number | null): void {
    this.pullName = name;
    this.problem = problem;
    this.sizeHint = sizeHint;
    this.emit('pull-changed');
  }
}

/** The verdict (marked when rough) and a disk problem; the quant's label already gives its size. */
function adviceText(advice: SizeAdvice): string | null {
  const verdict =
    advice.verdict && advice.approximate
      ? fillTemplate(_('{verdict} (rough estimate)'), { verdict: advice.verdict })
      : advice.verdict;
  return [verdict, advice.diskProblem].filter(Boolean).join('\n') || null;
}
