import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import { CancelledError, InvalidModelNameError } from '../ollama/errors.js';
import { isCloudTag, ModelName } from '../ollama/model-name.js';
import { hostLabel } from '../ollama/ollama-host.js';
import { RegistryClient } from '../ollama/registry-client.js';
import type { InstalledModel } from '../ollama/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import { UpdateCache, type CachedManifest } from './update-cache.js';

const DAY_MS = 24 * 3600 * 1000;
const HEX64 = /^[0-9a-f]{64}$/;

export type UpdateState = 'up-to-date' | 'outdated' | 'unknown';

/**
 * Why a model's state is unknown: the registry could not be reached (offline, timeout),
 * has no such manifest (404: made locally, or removed), refused (401, 403), answered
 * something else or nonsense (failed), or the model does not come from a registry.
 */
export type UnknownReason =
  'offline' | 'not-found' | 'unauthorized' | 'failed' | 'not-from-registry';

export interface UpdateResult {
  state: UpdateState;
  /** Set when the state is unknown. */
  reason: UnknownReason | null;
  /** For people, when the state is unknown: what the registry did, e.g. “registry.ollama.ai answered “401 Unauthorized””. */
  detail: string | null;
  /** When the registry answered (wall-clock ms); null when it was not asked. */
  checkedAt: number | null;
}

export interface UpdateCheckOptions {
  /** Where models of registry.ollama.ai are looked up (GSettings registry-url). */
  registryUrl?: string;
  /** Replaces every registry, whatever host a name has (PADDOCK_REGISTRY_URL, for tests). */
  registryOverride?: string | null;
  /** Paddock's data folder, for updates.json; null keeps answers in memory. */
  dataDir?: Gio.File | null;
  clock?: Clock;
  /** How long an answer is used before the registry is asked again (default a day). */
  maxAgeMs?: number;
  /** Requests at once, over every check of this object (default 4). */
  concurrency?: number;
  /** For each request (default 30). */
  timeoutSeconds?: number;
  /** The registry client to share (then the options above for it are not used). */
  registry?: RegistryClient;
}

/** Where a model's manifest is, or why it has none. */
type Target = { url: string; digest: string; host: string } | { result: UpdateResult };

/**
 * “Update available”: compares the digest Ollama reports for an installed model with the
 * sha256 of the manifest its registry now serves for the name (as Ollama computes the
 * digest). Only what the registry says for sure makes a model outdated: anything else
 * (offline, 404, 401, a reply that is not a manifest, a model not pulled from a registry)
 * is “unknown”. Answers are cached a day in updates.json; requests run a few at a time
 * over all checks of this object, on the main loop, and stop when cancelled.
 */
export class UpdateCheck {
  readonly #registry: RegistryClient;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #cache: UpdateCache;
  /** Each model's manifest address, worked out once: the library asks on every refresh. */
  readonly #targets = new WeakMap<InstalledModel, Target>();

  constructor(options: UpdateCheckOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#registry = options.registry ?? new RegistryClient({ ...options, clock: this.#clock });
    this.#maxAgeMs = options.maxAgeMs ?? DAY_MS;
    this.#cache = new UpdateCache(options.dataDir ?? null, this.#clock);
  }

  /** What went wrong with updates.json, for the user; null when nothing did. */
  get cacheProblem(): string | null {
    return this.#cache.problem;
  }

  /**
   * The manifest address of a model name: the override for every name; else the
   * registry-url setting for registry.ollama.ai and the name's own host (https) for others.
   */
  manifestUrl(name: ModelName): string {
    return this.#registry.manifestUrl(name);
  }

  /**
   * Each model's state, by the name the server gave. Answers younger than a day are used
   * without asking, unless `force`. Rejects only when cancelled (with CancelledError),
   * after the requests under way have ended; answers received are kept.
   */
  async check(
    models: readonly InstalledModel[],
    options: { force?: boolean; cancellable?: Gio.Cancellable | null } = {},
  ): Promise<Map<string, UpdateResult>> {
    const cancellable = options.cancellable ?? null;
    await this.#cache.load();
    const results = new Map<string, UpdateResult>();
    const outcomes = await Promise.allSettled(
      models.map(async (model) => {
        results.set(model.name, await this.#checkOne(model, options.force ?? false, cancellable));
      }),
    );
    await this.#cache.save();
    if (cancellable?.is_cancelled()) throw new CancelledError();
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    return results;
  }

  /** What the last answers say, without asking the registry: null for a model never checked. */
  async cached(models: readonly InstalledModel[]): Promise<Map<string, UpdateResult | null>> {
    await this.#cache.load();
    return new Map(
      models.map((model) => {
        const target = this.#target(model);
        if ('result' in target) return [model.name, target.result];
        const entry = this.#cache.get(target.url);
        return [model.name, entry ? UpdateCheck.#compare(target, entry) : null];
      }),
    );
  }

  async #checkOne(
    model: InstalledModel,
    force: boolean,
    cancellable: Gio.Cancellable | null,
  ): Promise<UpdateResult> {
    const target = this.#target(model);
    if ('result' in target) return target.result;
    const cached = this.#cache.get(target.url);
    const age = cached ? this.#clock.wallNow() - cached.checkedAt : -1;
    if (cached && !force && age >= 0 && age < this.#maxAgeMs)
      return UpdateCheck.#compare(target, cached);
    const answer = await this.#registry.fetchManifest(target.url, cancellable);
    if (answer.result === 'offline' || answer.result === 'failed')
      return {
        state: 'unknown',
        reason: answer.result,
        detail: answer.detail,
        checkedAt: this.#clock.wallNow(),
      };
    const entry: CachedManifest = {
      digest: answer.result === 'found' ? answer.manifest.digest : null,
      result: answer.result,
      checkedAt: this.#clock.wallNow(),
    };
    this.#cache.set(target.url, entry);
    return UpdateCheck.#compare(target, entry);
  }

  /** The manifest address and the digest to compare, or the result when there is nothing to ask. */
  #target(model: InstalledModel): Target {
    let target = this.#targets.get(model);
    if (!target) {
      target = this.#findTarget(model);
      this.#targets.set(model, target);
    }
    return target;
  }

  #findTarget(model: InstalledModel): Target {
    const digest = model.digest.toLowerCase().replace(/^sha256:/, '');
    let name: ModelName | null = null;
    try {
      name = ModelName.parse(model.name);
    } catch (error) {
      if (!(error instanceof InvalidModelNameError)) throw error;
    }
    if (name === null || isCloudTag(name.tag) || !HEX64.test(digest))
      return {
        result: {
          state: 'unknown',
          reason: 'not-from-registry',
          detail: _('it does not come from a registry'),
          checkedAt: null,
        },
      };
    const url = this.manifestUrl(name);
    return { url, digest, host: UpdateCheck.#host(url) };
  }

  static #compare(target: { digest: string; host: string }, answer: CachedManifest): UpdateResult {
    const { checkedAt } = answer;
    switch (answer.result) {
      case 'found':
        return {
          state: answer.digest === target.digest ? 'up-to-date' : 'outdated',
          reason: null,
          detail: null,
          checkedAt,
        };
      case 'not-found':
        return {
          state: 'unknown',
          reason: 'not-found',
          detail: fillTemplate(
            _('{host} does not have this model (it may have been made locally)'),
            {
              host: target.host,
            },
          ),
          checkedAt,
        };
      case 'unauthorized':
        return {
          state: 'unknown',
          reason: 'unauthorized',
          detail: fillTemplate(_('{host} refused to show this model'), { host: target.host }),
          checkedAt,
        };
    }
  }

  static #host(url: string): string {
    try {
      return hostLabel(GLib.Uri.parse(url, GLib.UriFlags.NONE));
    } catch {
      return url;
    }
  }
}
