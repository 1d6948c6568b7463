import { ModelName } from './model-name.js';
import { Registry } from './registry.js';
import { MEDIA_MODEL, type InstalledModel, type Layer, type RegistryModel } from './types.js';
import { goTime, sha256Hex } from './wire.js';

// Wire fields of an /api/tags entry the store computes itself.
const OWN_FIELDS = ['name', 'layers', 'size', 'digest', 'details', 'capabilities', 'show'];

/** The simulated models directory: manifests of installed models, complete blobs, partial blobs. */
export class ModelStore {
  private readonly installed = new Map<string, InstalledModel>();
  private readonly blobs = new Map<string, number>();
  private readonly partials = new Map<string, number>();

  constructor(
    installed: InstalledModel[],
    blobs: Record<string, number>,
    partials: Record<string, number>,
  ) {
    for (const model of installed) this.installed.set(ModelName.parse(model.name).key(), model);
    for (const [digest, size] of Object.entries(blobs)) this.blobs.set(digest, size);
    for (const [digest, bytes] of Object.entries(partials)) this.partials.set(digest, bytes);
    for (const model of installed) this.addBlobsOf(model);
  }

  /**
   * Turns a control-API entry (a wire /api/tags entry, or just name and size) into a model.
   * Without layers it takes the registry's manifest for that name, else invents one weights layer.
   */
  static fromInput(input: unknown, where: string, registry: Registry, now: number): InstalledModel {
    if (typeof input !== 'object' || input === null) throw new Error(`${where}: not an object`);
    const entry = input as Record<string, unknown>;
    const rawName = entry.name ?? entry.model;
    if (typeof rawName !== 'string') throw new Error(`${where}.name: must be a string`);
    const name = ModelName.parse(rawName);
    if (!name.isValid())
      throw new Error(`${where}.name: invalid model name ${JSON.stringify(rawName)}`);
    if (entry.size !== undefined && (typeof entry.size !== 'number' || entry.size < 0)) {
      throw new Error(`${where}.size: must be a number of bytes`);
    }
    if (entry.modified_at !== undefined && Number.isNaN(Date.parse(String(entry.modified_at)))) {
      throw new Error(`${where}.modified_at: not a date`);
    }
    const known = registry.lookup(name);
    let layers: Layer[];
    if (entry.layers !== undefined) {
      layers = Registry.fromInput({ name: rawName, layers: entry.layers }, where).layers;
    } else if (known) {
      layers = known.layers;
    } else {
      const size = typeof entry.size === 'number' ? entry.size : 1_000_000_000;
      const digest = `sha256:${sha256Hex(`${name.key()}#installed#${size}`)}`;
      layers = [{ digest, size, mediaType: MEDIA_MODEL }];
    }
    const details = {
      ...(known?.details ?? Registry.defaultDetails(name, layers)),
      ...(typeof entry.details === 'object' && entry.details !== null ? entry.details : {}),
    };
    const capabilities = Array.isArray(entry.capabilities)
      ? entry.capabilities.map(String)
      : (known?.capabilities ?? ['completion']);
    const extra = Object.fromEntries(
      Object.entries(entry).filter(([key]) => !OWN_FIELDS.includes(key)),
    );
    if (entry.show !== undefined && (typeof entry.show !== 'object' || entry.show === null))
      throw new Error(`${where}.show: must be an object of /api/show fields`);
    return {
      name: name.displayShortest(),
      layers,
      details,
      capabilities,
      modifiedAt: entry.modified_at !== undefined ? Date.parse(String(entry.modified_at)) : now,
      size: typeof entry.size === 'number' ? entry.size : sumSizes(layers),
      digest: typeof entry.digest === 'string' ? entry.digest : manifestDigest(layers),
      extra,
      ...(entry.show ? { show: entry.show as Record<string, unknown> } : {}),
    };
  }

  /** The /api/tags entry, in Ollama's field order. */
  static toWire(model: InstalledModel): Record<string, unknown> {
    const wire: Record<string, unknown> = {
      name: model.name,
      model: model.name,
      modified_at: goTime(model.modifiedAt),
      size: model.size,
      digest: model.digest,
      details: model.details,
    };
    return Object.assign(wire, model.extra);
  }

  find(name: ModelName): InstalledModel | undefined {
    return this.installed.get(name.key());
  }

  /** Newest first, like /api/tags. */
  list(): InstalledModel[] {
    return [...this.installed.values()].sort((a, b) => b.modifiedAt - a.modifiedAt);
  }

  replaceInstalled(models: InstalledModel[]): void {
    this.installed.clear();
    for (const model of models) {
      this.installed.set(ModelName.parse(model.name).key(), model);
      this.addBlobsOf(model);
    }
  }

  /**
   * Writes the manifest of a pulled model. Returns true when layers of the manifest it replaced
   * are no longer used by it (Ollama then says "removing unused layers").
   */
  install(model: RegistryModel, now: number): boolean {
    const key = ModelName.parse(model.name).key();
    const previous = this.installed.get(key);
    const unused = (previous?.layers ?? [])
      .map((layer) => layer.digest)
      .filter((digest) => !model.layers.some((layer) => layer.digest === digest));
    const installed: InstalledModel = {
      name: model.name,
      layers: model.layers,
      details: model.details,
      capabilities: model.capabilities,
      modifiedAt: now,
      size: sumSizes(model.layers),
      digest: manifestDigest(model.layers),
      extra: {},
    };
    this.installed.set(key, installed);
    this.addBlobsOf(installed);
    for (const digest of unused) if (!this.isReferenced(digest)) this.blobs.delete(digest);
    return unused.length > 0;
  }

  /**
   * Ollama's CopyModel: a second manifest for the same blobs, modified now; a model already
   * called `to` is replaced silently. False when `from` is not installed.
   */
  copy(from: ModelName, to: ModelName, now: number): boolean {
    const source = this.installed.get(from.key());
    if (!source) return false;
    if (from.equals(to)) return true;
    // Ollama keeps the spelling of a name that exists in another case.
    const name = this.installed.get(to.key())?.name ?? to.displayShortest();
    this.installed.set(to.key(), { ...source, name, modifiedAt: now });
    return true;
  }

  /** Deletes a manifest and the blobs no other model uses; false when it was not installed. */
  remove(name: ModelName): boolean {
    const model = this.installed.get(name.key());
    if (!model) return false;
    this.installed.delete(name.key());
    for (const layer of model.layers) {
      if (!this.isReferenced(layer.digest)) this.blobs.delete(layer.digest);
    }
    return true;
  }

  hasBlob(digest: string): boolean {
    return this.blobs.has(digest);
  }

  completeBlob(digest: string, size: number): void {
    this.blobs.set(digest, size);
    this.partials.delete(digest);
  }

  partial(digest: string): number {
    return this.partials.get(digest) ?? 0;
  }

  setPartial(digest: string, bytes: number): void {
    if (bytes > 0) this.partials.set(digest, bytes);
    else this.partials.delete(digest);
  }

  /** What Ollama's PruneLayers does to unfinished downloads when it starts. */
  clearPartials(): void {
    this.partials.clear();
  }

  /** A digest mismatch: the downloaded bytes are worthless. */
  discardBlob(digest: string): void {
    this.partials.delete(digest);
    if (!this.isReferenced(digest)) this.blobs.delete(digest);
  }

  installedModels(): InstalledModel[] {
    return [...this.installed.values()];
  }

  blobSizes(): Record<string, number> {
    return Object.fromEntries(this.blobs);
  }

  partialSizes(): Record<string, number> {
    return Object.fromEntries(this.partials);
  }

  private addBlobsOf(model: InstalledModel): void {
    for (const layer of model.layers) this.completeBlob(layer.digest, layer.size);
  }

  private isReferenced(digest: string): boolean {
    for (const model of this.installed.values()) {
      if (model.layers.some((layer) => layer.digest === digest)) return true;
    }
    return false;
  }
}

function sumSizes(layers: Layer[]): number {
  return layers.reduce((sum, layer) => sum + layer.size, 0);
}

/** As Ollama: the sha256 of the manifest's bytes. */
function manifestDigest(layers: Layer[]): string {
  return sha256Hex(Registry.manifest(layers));
}
