import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { Connection } from '../config/connection.js';
import type { OllamaClient } from '../ollama/client.js';
import { CancelledError } from '../ollama/errors.js';
import type { ModelName } from '../ollama/model-name.js';
import type { ManifestAnswer, RegistryClient } from '../ollama/registry-client.js';
import { PaddockError } from '../util/errors.js';
import { fillTemplate, formatBytes } from '../util/text.js';
import { checkDiskRoom, type DiskCheck, type DiskSpace, type FreeSpace } from './disk-space.js';
import { downloadOf, downloadSizeText, type DownloadSize } from './download-size.js';
import { judgeFit, memoryFigureText, type Fit } from './fit-verdict.js';
import { defaultContextLength, roughMemoryNeed } from './memory-estimate.js';
import type { MemoryEstimator } from './memory-estimator.js';
import type { MemoryNeed } from './memory-need.js';
import type { ServerMemoryLookup } from './server-memory-lookup.js';
import { UNKNOWN_MEMORY, type ServerMemory } from './server-memory.js';

const MEDIA_MODEL = 'application/vnd.ollama.image.model';

/** checkDiskRoom's result. */
export type DiskRoom = DiskCheck;

/** Everything Paddock can say before a pull: download, memory needed and had, disk room. */
export interface FitAdvice {
  /** judgeFit's result ('unknown' when no need or no memory). */
  readonly fit: Fit;
  /** Null: nothing known of the model's size at all. */
  readonly need: MemoryNeed | null;
  readonly memory: ServerMemory;
  /** The context the need was estimated at: the connection's own, else the server's default. */
  readonly contextLength: number;
  /** Null when neither the registry nor the catalog knows the size. */
  readonly download: DownloadSize | null;
  readonly disk: DiskRoom;
  /** The model folder whose free space was read; null when not known (a remote server). */
  readonly freeSpace: FreeSpace | null;
}

export interface FitAdvisorOptions {
  registry: RegistryClient;
  estimator: MemoryEstimator;
  serverMemory: ServerMemoryLookup;
  diskSpace: Pick<DiskSpace, 'freeSpaceFor'>;
  /** The connection's client (ClientPool.clientFor); a rejection counts as no server to ask. */
  clientFor: (connectionId: string) => Promise<OllamaClient>;
}

/**
 * Puts the fit pieces together for one model and one connection: the registry's manifest
 * (read once: download size and weights layer), the layers the server has, the memory it
 * has, its version (for its default context), the GGUF header's estimate and the disk's
 * free space, as many at once as can be. Never rejects but with CancelledError (or on a
 * bug): what could not be known is null or 'unknown'.
 */
export class FitAdvisor {
  readonly #options: FitAdvisorOptions;

  constructor(options: FitAdvisorOptions) {
    this.#options = options;
  }

  /** A registry model (a library or an hf.co/… name); `catalogBytes` when the registry fails. */
  async advise(
    connection: Connection,
    name: ModelName,
    catalogBytes: number | null,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<FitAdvice> {
    const { registry, estimator } = this.#options;
    const client = await this.#client(connection);
    const memoryLookup = this.#memory(connection, cancellable);
    const [answer, memory, contextLength, free] = await Promise.all([
      guarded<ManifestAnswer>(registry.manifest(name, cancellable), {
        result: 'failed',
        detail: '',
      }),
      memoryLookup,
      this.#contextLength(connection, client, memoryLookup, cancellable),
      guarded(this.#options.diskSpace.freeSpaceFor(connection.url, cancellable), null),
    ]);
    const weights = answer.result === 'found' ? weightsLayer(answer) : null;
    const [download, need] = await Promise.all([
      guarded(downloadOf(answer, client, catalogBytes, cancellable), null),
      weights
        ? estimator.estimate(name, weights, contextLength, cancellable)
        : catalogBytes === null
          ? null
          : roughMemoryNeed(catalogBytes, contextLength),
    ]);
    return advice(need, memory, contextLength, download, free, cancellable);
  }

  /** A GGUF file by address (a Hugging Face resolve URL) of `size` bytes (0: not known). */
  async adviseFile(
    connection: Connection,
    url: string,
    size: number,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<FitAdvice> {
    const client = await this.#client(connection);
    const memoryLookup = this.#memory(connection, cancellable);
    const [memory, contextLength, free] = await Promise.all([
      memoryLookup,
      this.#contextLength(connection, client, memoryLookup, cancellable),
      guarded(this.#options.diskSpace.freeSpaceFor(connection.url, cancellable), null),
    ]);
    const known = Number.isSafeInteger(size) && size > 0;
    const need = known
      ? await this.#options.estimator.estimateFile(url, size, contextLength, cancellable)
      : null;
    const download = known ? { total: size, present: 0, download: size, approximate: false } : null;
    return advice(need, memory, contextLength, download, free, cancellable);
  }

  async #client(connection: Connection): Promise<OllamaClient | null> {
    try {
      return await this.#options.clientFor(connection.id);
    } catch {
      // No key, a removed connection: the sizes are still worth telling.
      return null;
    }
  }

  #memory(connection: Connection, cancellable: Gio.Cancellable | null): Promise<ServerMemory> {
    return guarded(this.#options.serverMemory.memoryOf(connection, cancellable), UNKNOWN_MEMORY);
  }

  /** The connection's own context length, else what its server gives by default. */
  async #contextLength(
    connection: Connection,
    client: OllamaClient | null,
    memory: Promise<ServerMemory>,
    cancellable: Gio.Cancellable | null,
  ): Promise<number> {
    if (connection.contextLength !== undefined) return connection.contextLength;
    const [version, { gpu }] = await Promise.all([
      client ? guarded(client.version(cancellable), null) : null,
      memory,
    ]);
    return defaultContextLength(version, gpu?.bytes ?? null);
  }
}

/** The weights layer of a manifest: its model layer, else its largest blob. */
function weightsLayer(answer: ManifestAnswer & { result: 'found' }) {
  const blobs = answer.manifest.blobs;
  return (
    blobs.find((blob) => blob.mediaType === MEDIA_MODEL) ??
    [...blobs].sort((a, b) => b.size - a.size)[0]
  );
}

function advice(
  need: MemoryNeed | null,
  memory: ServerMemory,
  contextLength: number,
  download: DownloadSize | null,
  free: FreeSpace | null,
  cancellable: Gio.Cancellable | null,
): FitAdvice {
  if (cancellable?.is_cancelled()) throw new CancelledError();
  return {
    fit: need ? judgeFit(need, memory) : { verdict: 'unknown', needs: 0, has: null, text: null },
    need,
    memory,
    contextLength,
    download,
    disk: download ? checkDiskRoom(download.download, free) : { verdict: 'unknown', text: null },
    freeSpace: free,
  };
}

/**
 * What `promise` gives, or `fallback` when it fails as Paddock's errors and GLib's do;
 * cancellation goes on as CancelledError, anything else (a bug) as it is.
 */
async function guarded<T>(promise: Promise<T>, fallback: T): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    if (error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
      throw new CancelledError();
    if (error instanceof PaddockError || error instanceof GLib.Error) return fallback;
    throw error;
  }
}

/**
 * One line for people: "Downloads 4.9 GB · needs ~6.2 GB · Fits in GPU memory (24 GB,
 * measured on this computer)"; the parts that are not known are left out.
 */
export function adviceLine(advice: FitAdvice): string {
  const parts: string[] = [];
  if (advice.download) parts.push(downloadSizeText(advice.download));
  if (advice.need)
    parts.push(
      fillTemplate(advice.need.rough ? _('needs ~{size} (rough estimate)') : _('needs ~{size}'), {
        size: formatBytes(advice.need.total),
      }),
    );
  const { fit } = advice;
  if (fit.text !== null && fit.verdict !== 'too-large' && fit.has !== null)
    parts.push(
      fillTemplate(_('{verdict}: has {memory}'), {
        verdict: fit.text,
        memory: memoryFigureText(fit.has),
      }),
    );
  else if (fit.text !== null) parts.push(fit.text);
  else parts.push(_('Memory of the server unknown'));
  if (advice.disk.text !== null) parts.push(advice.disk.text);
  return parts.join(' · ');
}
