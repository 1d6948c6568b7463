import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { readBounded } from '../util/read-bounded.js';
import { fillTemplate } from '../util/text.js';
import { CancelledError, NetworkError, OllamaError, TimeoutError } from './errors.js';
import type { ModelName } from './model-name.js';
import { hostLabel } from './ollama-host.js';
import { RequestGuard } from './request-guard.js';

export const DEFAULT_REGISTRY_URL = 'https://registry.ollama.ai';
const DEFAULT_HOST = 'registry.ollama.ai';
const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
/** A real manifest is 1–2 KB. */
const MAX_MANIFEST_BYTES = 256 * 1024;
const BLOB_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** More than any model has (weights, projector, template, licence, params, config). */
const MAX_LAYERS = 64;

/** One blob of a manifest: the config blob or a layer. */
export interface ManifestBlob {
  /** "sha256:" and 64 hex digits. */
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
}

export interface RegistryManifest {
  /** The sha256 (64 hex) of the manifest's bytes: the digest Ollama shows for a model pulled from it. */
  readonly digest: string;
  /** Every blob a pull fetches, the config blob last (as Ollama pulls them). */
  readonly blobs: readonly ManifestBlob[];
}

/**
 * What the registry said: the manifest, no such manifest (404), refused (401, 403), not
 * reachable (offline, timeout), or something else or nonsense (failed, with words for people).
 */
export type ManifestAnswer =
  | { result: 'found'; manifest: RegistryManifest }
  | { result: 'not-found' }
  | { result: 'unauthorized' }
  | { result: 'offline'; detail: string }
  | { result: 'failed'; detail: string };

export interface RegistryClientOptions {
  /** Where models of registry.ollama.ai are looked up (GSettings registry-url). */
  registryUrl?: string;
  /** Replaces every registry, whatever host a name has (PADDOCK_REGISTRY_URL, for tests). */
  registryOverride?: string | null;
  clock?: Clock;
  /** Requests at once over every caller of this object (default 4). */
  concurrency?: number;
  /** For each request (default 30). */
  timeoutSeconds?: number;
}

/**
 * Reads model manifests from registries (registry.ollama.ai, hf.co, …), a few requests at
 * a time over all its callers, on the main loop. Used by the update check and the download
 * size. Rejects only when cancelled (CancelledError) or on a bug; every registry trouble
 * is an answer.
 */
export class RegistryClient {
  readonly #registryUrl: string;
  readonly #override: string | null;
  readonly #clock: Clock;
  readonly #concurrency: number;
  readonly #timeoutSeconds: number;
  // Soup's default of 2 connections a host would be the limit instead of `concurrency`.
  readonly #session = new Soup.Session({
    timeout: 0,
    max_conns_per_host: 8,
    max_conns: 16,
    user_agent: 'Paddock',
  });
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: RegistryClientOptions = {}) {
    this.#registryUrl = options.registryUrl?.trim() || DEFAULT_REGISTRY_URL;
    this.#override = options.registryOverride?.trim() || null;
    this.#clock = options.clock ?? systemClock;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#timeoutSeconds = options.timeoutSeconds ?? 30;
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

  /** The address of one of a model's blobs (`/v2/NS/MODEL/blobs/sha256:…`) on its registry. */
  blobUrl(name: ModelName, digest: string): string {
    const manifest = this.manifestUrl(name);
    return manifest.slice(0, manifest.lastIndexOf('/manifests/')) + '/blobs/' + digest;
  }

  /** The manifest the registry serves for a name. */
  manifest(name: ModelName, cancellable: Gio.Cancellable | null = null): Promise<ManifestAnswer> {
    return this.fetchManifest(this.manifestUrl(name), cancellable);
  }

  /** One GET of a manifest address, when fewer than `concurrency` requests are under way. */
  fetchManifest(url: string, cancellable: Gio.Cancellable | null = null): Promise<ManifestAnswer> {
    return this.#withSlot(cancellable, () => this.#fetch(url, cancellable));
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

  async #fetch(url: string, cancellable: Gio.Cancellable | null): Promise<ManifestAnswer> {
    let uri: GLib.Uri | null = null;
    try {
      uri = GLib.Uri.parse(url, GLib.UriFlags.NONE);
    } catch {
      // Reported below.
    }
    const scheme = uri?.get_scheme().toLowerCase();
    if (!uri || (scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      return {
        result: 'failed',
        detail: fillTemplate(
          _('the registry address “{url}” is not an http:// or https:// address'),
          {
            url,
          },
        ),
      };
    const host = hostLabel(uri);
    const guard = new RequestGuard(this.#clock, this.#timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const message = Soup.Message.new_from_uri('GET', uri);
      message.get_request_headers().replace('Accept', MANIFEST_TYPE);
      input = await this.#session.send_async(message, GLib.PRIORITY_DEFAULT, guard.cancellable);
      const status = message.status_code;
      if (status === 404) return { result: 'not-found' };
      if (status === 401 || status === 403) return { result: 'unauthorized' };
      if (status < 200 || status >= 300) {
        const phrase = message.get_reason_phrase() || Soup.status_get_phrase(status) || '';
        return {
          result: 'failed',
          detail: fillTemplate(_('{host} answered “{reply}”'), {
            host,
            reply: `${status} ${phrase}`.trim(),
          }),
        };
      }
      const body = await readBounded(input, MAX_MANIFEST_BYTES, guard.cancellable);
      const blobs = body === null ? null : RegistryClient.#blobs(body);
      if (body === null || blobs === null)
        return {
          result: 'failed',
          detail: fillTemplate(_('what {host} sent is not a model manifest'), { host }),
        };
      // The digest Ollama keeps is the sha256 of exactly these bytes.
      const digest = GLib.compute_checksum_for_bytes(
        GLib.ChecksumType.SHA256,
        new GLib.Bytes(body),
      );
      return { result: 'found', manifest: { digest: digest ?? '', blobs } };
    } catch (error) {
      const explained = guard.explain(error, host);
      if (explained instanceof CancelledError) throw explained;
      // Not a GLib error: a bug, which goes on as it is (as in OllamaClient).
      if (!(explained instanceof OllamaError)) throw explained;
      if (explained instanceof NetworkError || explained instanceof TimeoutError)
        return {
          result: 'offline',
          detail: fillTemplate(_('the registry {host} could not be reached'), { host }),
        };
      const cause =
        explained.cause instanceof GLib.Error ? explained.cause.message : explained.message;
      return {
        result: 'failed',
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

  /**
   * The blobs of a manifest as registries write it (schema 2, layers with sha256 digests
   * and sizes, a config blob), config last; null for anything else.
   */
  static #blobs(body: Uint8Array): ManifestBlob[] | null {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      return null;
    }
    if (typeof json !== 'object' || json === null) return null;
    const { schemaVersion, layers, config } = json as Record<string, unknown>;
    if (schemaVersion !== 2 || !Array.isArray(layers) || layers.length === 0) return null;
    if (layers.length > MAX_LAYERS) return null;
    const entries: unknown[] =
      config === undefined ? [...(layers as unknown[])] : [...(layers as unknown[]), config];
    const blobs = entries.map((entry) => RegistryClient.#blob(entry));
    return blobs.every((blob) => blob !== null) ? blobs : null;
  }

  static #blob(entry: unknown): ManifestBlob | null {
    if (typeof entry !== 'object' || entry === null) return null;
    const { digest, size, mediaType } = entry as Record<string, unknown>;
    if (typeof digest !== 'string' || !BLOB_DIGEST.test(digest)) return null;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
    return { digest, size, mediaType: typeof mediaType === 'string' ? mediaType : '' };
  }
}
