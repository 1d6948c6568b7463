import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _ } from 'gettext';

import {
  CancelledError,
  InvalidModelNameError,
  NetworkError,
  OllamaError,
  TimeoutError,
} from '../ollama/errors.js';
import { isCloudTag, ModelName } from '../ollama/model-name.js';
import { hostLabel } from '../ollama/ollama-host.js';
import { RequestGuard } from '../ollama/request-guard.js';
import type { InstalledModel } from '../ollama/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { readBounded } from '../util/read-bounded.js';
import { fillTemplate } from '../util/text.js';
import { UpdateCache, type CachedManifest } from './update-cache.js';

export const DEFAULT_REGISTRY_URL = 'https://registry.ollama.ai';
const DEFAULT_HOST = 'registry.ollama.ai';
const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
/** A real manifest is 1–2 KB. */
const MAX_MANIFEST_BYTES = 256 * 1024;
const DAY_MS = 24 * 3600 * 1000;
const HEX64 = /^[0-9a-f]{64}$/;
const BLOB_DIGEST = /^sha256:[0-9a-f]{64}$/;

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
}

/** A failure worth a result, not a rejection. */
interface Failure {
  reason: 'offline' | 'failed';
  detail: string;
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
  readonly #registryUrl: string;
  readonly #override: string | null;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #concurrency: number;
  readonly #timeoutSeconds: number;
  readonly #cache: UpdateCache;
  // Soup's default of 2 connections a host would be the limit instead of `concurrency`.
  readonly #session = new Soup.Session({
    timeout: 0,
    max_conns_per_host: 8,
    max_conns: 16,
    user_agent: 'Paddock',
  });
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  /** Each model's manifest address, worked out once: the library asks on every refresh. */
  readonly #targets = new WeakMap<InstalledModel, Target>();

  constructor(options: UpdateCheckOptions = {}) {
    this.#registryUrl = options.registryUrl?.trim() || DEFAULT_REGISTRY_URL;
    this.#override = options.registryOverride?.trim() || null;
    this.#clock = options.clock ?? systemClock;
    this.#maxAgeMs = options.maxAgeMs ?? DAY_MS;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#timeoutSeconds = options.timeoutSeconds ?? 30;
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
    let base = this.#override;
    base ??= name.host.toLowerCase() === DEFAULT_HOST ? this.#registryUrl : `https://${name.host}`;
    const part = (text: string) => encodeURIComponent(text);
    return `${base.replace(/\/+$/, '')}/v2/${part(name.namespace)}/${part(name.model)}/manifests/${part(name.tag)}`;
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
    const answer = await this.#withSlot(cancellable, () => this.#fetch(target.url, cancellable));
    if ('reason' in answer)
      return { state: 'unknown', ...answer, checkedAt: this.#clock.wallNow() };
    this.#cache.set(target.url, answer);
    return UpdateCheck.#compare(target, answer);
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

  /** Runs `work` once fewer than `concurrency` requests of this object are under way. */
  async #withSlot<T>(cancellable: Gio.Cancellable | null, work: () => Promise<T>): Promise<T> {
    while (this.#active >= this.#concurrency)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (cancellable?.is_cancelled()) {
      this.#waiting.shift()?.();
      throw new CancelledError();
    }
    this.#active++;
    try {
      return await work();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }

  /** One GET of a manifest: the registry's definite answer, or why there is none. */
  async #fetch(
    url: string,
    cancellable: Gio.Cancellable | null,
  ): Promise<CachedManifest | Failure> {
    let uri: GLib.Uri | null = null;
    try {
      uri = GLib.Uri.parse(url, GLib.UriFlags.NONE);
    } catch {
      // Reported below.
    }
    const scheme = uri?.get_scheme().toLowerCase();
    if (!uri || (scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      return {
        reason: 'failed',
        detail: fillTemplate(
          _('the registry address “{url}” is not an http:// or https:// address'),
          {
            url,
          },
        ),
      };
    const host = hostLabel(uri);
    const checkedAt = () => this.#clock.wallNow();
    const guard = new RequestGuard(this.#clock, this.#timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.get_request_headers().replace('Accept', MANIFEST_TYPE);
      input = await this.#session.send_async(message, GLib.PRIORITY_DEFAULT, guard.cancellable);
      const status: number = message.get_status();
      if (status === 404) return { digest: null, result: 'not-found', checkedAt: checkedAt() };
      if (status === 401 || status === 403)
        return { digest: null, result: 'unauthorized', checkedAt: checkedAt() };
      if (status < 200 || status >= 300) {
        const phrase = message.get_reason_phrase() || Soup.status_get_phrase(status) || '';
        return {
          reason: 'failed',
          detail: fillTemplate(_('{host} answered “{reply}”'), {
            host,
            reply: `${status} ${phrase}`.trim(),
          }),
        };
      }
      const body = await readBounded(input, MAX_MANIFEST_BYTES, guard.cancellable);
      if (body === null || !UpdateCheck.#isManifest(body))
        return {
          reason: 'failed',
          detail: fillTemplate(_('what {host} sent is not a model manifest'), { host }),
        };
      // The digest Ollama keeps is the sha256 of exactly these bytes.
      const digest = GLib.compute_checksum_for_bytes(
        GLib.ChecksumType.SHA256,
        new GLib.Bytes(body),
      );
      return { digest: digest ?? '', result: 'found', checkedAt: checkedAt() };
    } catch (error) {
      const explained = guard.explain(error, host);
      if (explained instanceof CancelledError) throw explained;
      // Not a GLib error: a bug, which goes on as it is (as in OllamaClient).
      if (!(explained instanceof OllamaError)) throw explained;
      if (explained instanceof NetworkError || explained instanceof TimeoutError)
        return {
          reason: 'offline',
          detail: fillTemplate(_('the registry {host} could not be reached'), { host }),
        };
      const cause =
        explained.cause instanceof GLib.Error ? explained.cause.message : explained.message;
      return {
        reason: 'failed',
        detail: fillTemplate(_('the connection to {host} failed ({detail})'), {
          host,
          detail: cause.trim().replace(/[.\s]+$/, ''),
        }),
      };
    } finally {
      guard.release();
      if (input) await input.close_async(GLib.PRIORITY_DEFAULT, null).catch(() => false);
    }
  }

  /** A manifest as registries write it: schema 2 and layers with sha256 digests. */
  static #isManifest(body: Uint8Array): boolean {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      return false;
    }
    if (typeof json !== 'object' || json === null) return false;
    const { schemaVersion, layers } = json as Record<string, unknown>;
    return (
      schemaVersion === 2 &&
      Array.isArray(layers) &&
      layers.length > 0 &&
      layers.every((layer: unknown) => {
        if (typeof layer !== 'object' || layer === null) return false;
        const { digest, size } = layer as Record<string, unknown>;
        return typeof digest === 'string' && BLOB_DIGEST.test(digest) && Number.isSafeInteger(size);
      })
    );
  }

  static #host(url: string): string {
    try {
      return hostLabel(GLib.Uri.parse(url, GLib.UriFlags.NONE));
    } catch {
      return url;
    }
  }
}
