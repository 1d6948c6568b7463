import type { ServerResponse } from 'node:http';
import { JsonReply } from './json-reply.js';
import { ModelName } from './model-name.js';
import type { Handler } from './ollama-api.js';
import { Registry } from './registry.js';
import type { SimState } from './sim-state.js';
import { MEDIA_MANIFEST, type Fault } from './types.js';
import { sha256Hex } from './wire.js';

const MANIFEST_PATH = /^\/v2\/([^/]+)\/([^/]+)\/manifests\/([^/]+)$/;

/** The parts of a manifest path, and the model name it stands for (for faults). */
export interface ManifestPath {
  namespace: string;
  model: string;
  tag: string;
  name: string;
}

/**
 * The registry's manifest endpoint (`GET /v2/NS/MODEL/manifests/TAG`), on the simulator's
 * own port: it stands in for registry.ollama.ai, hf.co and any other host alike.
 */
export class RegistryApi {
  constructor(private readonly state: SimState) {}

  static parsePath(path: string): ManifestPath | null {
    const match = MANIFEST_PATH.exec(path);
    if (!match) return null;
    const [namespace, model, tag] = match.slice(1).map((part) => decodeURIComponent(part));
    return { namespace, model, tag, name: `${namespace}/${model}:${tag}` };
  }

  /** The handler for one manifest path. */
  handler(path: ManifestPath): Handler {
    return (res, _body, fault) => this.manifest(res, path, fault);
  }

  private async manifest(
    res: ServerResponse,
    path: ManifestPath,
    fault: Fault | null,
  ): Promise<void> {
    const reply = new JsonReply(res);
    this.state.manifestStarted();
    try {
      const latency = this.state.config.registryLatencyMs;
      if (latency > 0) await reply.stall(latency);
      if (reply.gone) return;
      const name = ModelName.parse(path.name);
      let model = name.isValid()
        ? this.state.registry.lookupPath(path.namespace, path.model, path.tag)
        : undefined;
      // hf.co's manifests come from the Hub's repositories.
      if (!model && name.isValid()) {
        const quant = this.state.hub.pull(ModelName.parse(`hf.co/${path.name}`));
        if (typeof quant !== 'string') model = quant;
      }
      if (!model) {
        await reply.json(
          404,
          { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] },
          fault,
        );
        return;
      }
      const body = Registry.manifest(model.layers);
      res.setHeader('Docker-Content-Digest', `sha256:${sha256Hex(body)}`);
      await reply.text(200, body, MEDIA_MANIFEST, fault);
    } finally {
      this.state.manifestEnded();
    }
  }
}
