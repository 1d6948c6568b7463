import Gio from 'gi://Gio';
import { gettext as _ } from 'gettext';

import type { OllamaClient } from '../ollama/client.js';
import { CancelledError, OllamaError } from '../ollama/errors.js';
import type { ModelName } from '../ollama/model-name.js';
import type { ManifestAnswer, RegistryClient } from '../ollama/registry-client.js';
import { fillTemplate, formatBytes } from '../util/text.js';

/** What pulling one tag onto one server downloads. */
export interface DownloadSize {
  /** Every blob of the tag (the catalog's figure when approximate). */
  readonly total: number;
  /** Of those, the bytes the server already has (layers shared with its other models). */
  readonly present: number;
  /** What a pull fetches: total − present. */
  readonly download: number;
  /** The catalog's figure: the registry could not say. */
  readonly approximate: boolean;
}

/**
 * The exact download for `name` onto `server`: the sizes of the blobs in the registry's
 * manifest, less those the server already has (`HEAD /api/blobs`). When the registry gives
 * no manifest, the catalog's size (`catalogBytes`) marked approximate; null when neither
 * is known. A server that cannot be asked has nothing (everything is counted).
 */
export async function measureDownload(
  name: ModelName,
  registry: RegistryClient,
  server: OllamaClient | null,
  catalogBytes: number | null,
  cancellable: Gio.Cancellable | null = null,
): Promise<DownloadSize | null> {
  return downloadOf(await registry.manifest(name, cancellable), server, catalogBytes, cancellable);
}

/** measureDownload with the registry's answer already at hand (the fit advisor reads it once). */
export async function downloadOf(
  answer: ManifestAnswer,
  server: OllamaClient | null,
  catalogBytes: number | null,
  cancellable: Gio.Cancellable | null = null,
): Promise<DownloadSize | null> {
  if (answer.result !== 'found')
    return catalogBytes === null
      ? null
      : { total: catalogBytes, present: 0, download: catalogBytes, approximate: true };
  // A manifest may name a blob twice; it is fetched once.
  const blobs = new Map(answer.manifest.blobs.map((blob) => [blob.digest, blob.size]));
  const sizes = await Promise.all(
    [...blobs].map(async ([digest, size]) => ({
      size,
      present: server !== null && (await hasBlob(server, digest, cancellable)),
    })),
  );
  const total = sizes.reduce((sum, blob) => sum + blob.size, 0);
  const present = sizes.reduce((sum, blob) => sum + (blob.present ? blob.size : 0), 0);
  return { total, present, download: total - present, approximate: false };
}

async function hasBlob(
  server: OllamaClient,
  digest: string,
  cancellable: Gio.Cancellable | null,
): Promise<boolean> {
  try {
    return await server.hasBlob(digest, cancellable);
  } catch (error) {
    if (error instanceof CancelledError || !(error instanceof OllamaError)) throw error;
    return false;
  }
}

/** "Downloads 4.9 GB (1.2 GB already on this server)", "Downloads about 4.9 GB". */
export function downloadSizeText(size: DownloadSize): string {
  if (size.approximate)
    return fillTemplate(_('Downloads about {size}'), { size: formatBytes(size.download) });
  if (size.present === 0)
    return fillTemplate(_('Downloads {size}'), { size: formatBytes(size.download) });
  return fillTemplate(_('Downloads {size} ({present} already on this server)'), {
    size: formatBytes(size.download),
    present: formatBytes(size.present),
  });
}
