import { ModelName } from './model-name.js';
import {
  MEDIA_CONFIG,
  MEDIA_MANIFEST,
  MEDIA_MODEL,
  type Layer,
  type ModelDetails,
  type RegistryModel,
} from './types.js';
import { sha256Hex } from './wire.js';

/** What the control API (and the demo data) give to describe a pullable model. */
interface ModelInput {
  name: string;
  layers: { size: number; mediaType?: string; digest?: string }[];
  details?: Partial<ModelDetails>;
  capabilities?: string[];
}

/** The models a pull can fetch, keyed by full model name. */
export class Registry {
  private readonly models = new Map<string, RegistryModel>();

  constructor(models: RegistryModel[] = []) {
    for (const model of models) this.add(model);
  }

  /** Checks control-API input and turns it into a manifest; throws with a message for the caller. */
  static fromInput(input: unknown, where: string): RegistryModel {
    if (typeof input !== 'object' || input === null) throw new Error(`${where}: not an object`);
    const spec = input as Partial<ModelInput>;
    if (typeof spec.name !== 'string') throw new Error(`${where}.name: must be a string`);
    const name = ModelName.parse(spec.name);
    if (!name.isValid())
      throw new Error(`${where}.name: invalid model name ${JSON.stringify(spec.name)}`);
    if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
      throw new Error(`${where}.layers: must be a non-empty array`);
    }
    const layers = spec.layers.map((raw, index) => {
      const at = `${where}.layers[${index}]`;
      if (typeof raw !== 'object' || raw === null) throw new Error(`${at}: not an object`);
      const { size, mediaType, digest } = raw as Record<string, unknown>;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw new Error(`${at}.size: must be a whole number of bytes`);
      }
      if (mediaType !== undefined && typeof mediaType !== 'string') {
        throw new Error(`${at}.mediaType: must be a string`);
      }
      if (
        digest !== undefined &&
        (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest))
      ) {
        throw new Error(`${at}.digest: must be sha256: and 64 lowercase hex digits`);
      }
      const type = mediaType ?? MEDIA_MODEL;
      return {
        digest: digest ?? `sha256:${sha256Hex(`${name.key()}#${index}#${size}#${type}`)}`,
        size,
        mediaType: type,
      };
    });
    if (spec.capabilities !== undefined && !isStringArray(spec.capabilities)) {
      throw new Error(`${where}.capabilities: must be an array of strings`);
    }
    if (spec.details !== undefined && (typeof spec.details !== 'object' || spec.details === null)) {
      throw new Error(`${where}.details: must be an object`);
    }
    return {
      name: name.displayShortest(),
      layers: configLast(layers),
      details: { ...Registry.defaultDetails(name, layers), ...spec.details },
      capabilities: spec.capabilities ?? ['completion'],
    };
  }

  /** Plausible details when none are given: family from the name, size from the tag or the weights. */
  static defaultDetails(name: ModelName, layers: Layer[]): ModelDetails {
    const family = name.model.match(/^[A-Za-z]+/)?.[0]?.toLowerCase() ?? 'llama';
    const sizeTag = name.tag.match(/^(\d+(?:\.\d+)?)([bmk])$/i);
    const weights = layers.find((layer) => layer.mediaType === MEDIA_MODEL)?.size ?? 0;
    // About 0.6 bytes a parameter at Q4_K_M.
    const parameterSize = sizeTag
      ? `${sizeTag[1]}${sizeTag[2].toUpperCase()}`
      : `${(weights / 0.6 / 1e9).toFixed(1)}B`;
    const quant = name.tag.match(/(?:^|[-_])((?:i?q\d[\w]*)|f16|f32|bf16)$/i)?.[1]?.toUpperCase();
    return {
      parent_model: '',
      format: 'gguf',
      family,
      families: [family],
      parameter_size: parameterSize,
      quantization_level: quant ?? 'Q4_K_M',
    };
  }

  add(model: RegistryModel): void {
    this.models.set(ModelName.parse(model.name).key(), model);
  }

  lookup(name: ModelName): RegistryModel | undefined {
    return this.models.get(name.key());
  }

  /**
   * The model a manifest path names (`/v2/NS/MODEL/manifests/TAG`). The path has no host:
   * the simulator stands in for every registry, so any host's model of that name will do.
   */
  lookupPath(namespace: string, model: string, tag: string): RegistryModel | undefined {
    const wanted = `${namespace}/${model}:${tag}`.toLowerCase();
    return this.list().find((entry) => {
      const name = ModelName.parse(entry.name);
      return `${name.namespace}/${name.model}:${name.tag}`.toLowerCase() === wanted;
    });
  }

  /**
   * A new version of a model: new weights (a new digest, the same size), so its manifest
   * and digest change. Installed copies keep the old manifest until pulled again.
   */
  publish(name: ModelName): RegistryModel | undefined {
    const current = this.lookup(name);
    if (!current) return undefined;
    const layers = current.layers.map((layer) =>
      layer.mediaType === MEDIA_MODEL
        ? { ...layer, digest: `sha256:${sha256Hex(`${layer.digest}#next`)}` }
        : layer,
    );
    const next = { ...current, layers };
    this.add(next);
    return next;
  }

  /**
   * The manifest document as a registry serves it; its sha256 is the digest /api/tags
   * shows for a model pulled from it.
   */
  static manifest(layers: Layer[]): string {
    const entry = ({ mediaType, digest, size }: Layer) => ({ mediaType, digest, size });
    const config = layers.find((layer) => layer.mediaType === MEDIA_CONFIG);
    return JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_MANIFEST,
      ...(config ? { config: entry(config) } : {}),
      layers: layers.filter((layer) => layer !== config).map(entry),
    });
  }

  list(): RegistryModel[] {
    return [...this.models.values()];
  }

  clear(): void {
    this.models.clear();
  }
}

function configLast(layers: Layer[]): Layer[] {
  return [
    ...layers.filter((layer) => layer.mediaType !== MEDIA_CONFIG),
    ...layers.filter((layer) => layer.mediaType === MEDIA_CONFIG),
  ];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
