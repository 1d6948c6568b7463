import type { IncomingMessage, ServerResponse } from 'node:http';
import { ggufHeader } from './gguf-writer.js';
import { JsonReply } from './json-reply.js';
import type { SimState } from './sim-state.js';
import { MEDIA_MODEL, type Layer, type RegistryModel } from './types.js';

const REGISTRY_BLOB = /^\/v2\/[^/]+\/[^/]+\/blobs\/(sha256:[0-9a-f]{64})$/;
const STORE_BLOB = /^\/registry-v2\/blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})\/data$/;
const CHUNK = 64 * 1024;

/**
 * The registry's blobs, as registry.ollama.ai serves them: `GET /v2/NS/MODEL/blobs/DIGEST`
 * answers 307 to a blob store on another origin (here the other loopback name of this
 * port), which honours `Range`. A weights blob starts with a GGUF header for its model's
 * family; the rest is zeros, served without ever being held in memory.
 */
export class BlobStore {
  /** Headers already written, by digest (the gemma3 one is some 4 MB). */
  private readonly headers = new Map<string, Buffer>();

  constructor(private readonly state: SimState) {}

  static registryDigest(path: string): string | null {
    return REGISTRY_BLOB.exec(path)?.[1] ?? null;
  }

  static storeDigest(path: string): string | null {
    const hex = STORE_BLOB.exec(path)?.[1];
    return hex ? `sha256:${hex}` : null;
  }

  /** The registry's answer: a redirect to the blob store, or BLOB_UNKNOWN. */
  async redirect(req: IncomingMessage, res: ServerResponse, digest: string): Promise<void> {
    const reply = new JsonReply(res);
    await this.latency(reply);
    if (reply.gone) return;
    if (!this.find(digest)) {
      await reply.json(404, {
        errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: digest }],
      });
      return;
    }
    this.state.blobRedirects++;
    const hex = digest.slice('sha256:'.length);
    const location = `${storeOrigin(req)}/registry-v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data?X-Amz-Expires=1200`;
    reply.head(307, { Location: location, 'Content-Length': 0 });
    reply.end();
  }

  /** The blob store's answer: the whole blob, or the one range asked for (206). */
  async serve(req: IncomingMessage, res: ServerResponse, digest: string): Promise<void> {
    const reply = new JsonReply(res);
    await this.latency(reply);
    if (reply.gone) return;
    const found = this.find(digest);
    if (!found) {
      await reply.text(404, 'NoSuchKey', 'text/plain');
      return;
    }
    const { size } = found.layer;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      reply.head(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
      reply.end();
      return;
    }
    const [start, end] = range ?? [0, size - 1];
    const length = Math.max(0, end - start + 1);
    this.state.blobReads++;
    reply.head(range ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Content-Length': length,
      ETag: `"${digest.slice(7, 39)}"`,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD') {
      reply.end();
      return;
    }
    const header = found.layer.mediaType === MEDIA_MODEL ? this.header(found.model, digest) : null;
    for (let at = start; at <= end && !reply.gone; at += CHUNK) {
      const chunk = Buffer.alloc(Math.min(CHUNK, end + 1 - at));
      header?.copy(
        chunk,
        0,
        Math.min(at, header.length),
        Math.min(at + chunk.length, header.length),
      );
      this.state.blobBytes += chunk.length;
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    reply.end();
  }

  private header(model: RegistryModel, digest: string): Buffer {
    let header = this.headers.get(digest);
    if (!header) {
      header = ggufHeader(model.details.family, model.name, model.details.parameter_size);
      this.headers.set(digest, header);
    }
    return header;
  }

  private find(digest: string): { model: RegistryModel; layer: Layer } | null {
    for (const model of this.state.registry.list()) {
      const layer = model.layers.find((candidate) => candidate.digest === digest);
      if (layer) return { model, layer };
    }
    return null;
  }

  private async latency(reply: JsonReply): Promise<void> {
    const latency = this.state.config.registryLatencyMs;
    if (latency > 0) await reply.stall(latency);
  }
}

/** The same port under the other loopback name: another origin, as a real blob store is. */
function storeOrigin(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const port = /:(\d+)$/.exec(host)?.[1] ?? '';
  const name = host.toLowerCase().startsWith('localhost') ? '127.0.0.1' : 'localhost';
  return `http://${name}${port ? `:${port}` : ''}`;
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null for none (or several: whole blob). */
function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Math.min(Number(match[2]), size);
    return suffix === 0 ? 'unsatisfiable' : [size - suffix, size - 1];
  }
  const start = Number(match[1]);
  if (start >= size) return 'unsatisfiable';
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return end < start ? null : [start, end];
}
