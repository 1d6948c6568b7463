// Shapes shared by the simulator's parts. Wire field names follow Ollama's JSON.

export const MEDIA_MODEL = 'application/vnd.ollama.image.model';
export const MEDIA_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const MEDIA_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** One blob of a manifest. */
export interface Layer {
  digest: string;
  size: number;
  mediaType: string;
}

/** `details` of /api/tags and /api/show, in Ollama's field order. */
export interface ModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[] | null;
  parameter_size: string;
  quantization_level: string;
  [extra: string]: unknown;
}

/** A model the simulated registry can serve. */
export interface RegistryModel {
  /** Display name with tag, e.g. `llama3.2:3b`. */
  name: string;
  /** Layers in manifest order, the config blob last. */
  layers: Layer[];
  details: ModelDetails;
  capabilities: string[];
}

/** A model installed on the simulated server. */
export interface InstalledModel {
  name: string;
  layers: Layer[];
  details: ModelDetails;
  capabilities: string[];
  /** Wall-clock milliseconds of the last pull. */
  modifiedAt: number;
  size: number;
  /** Manifest digest, 64 hex digits (no `sha256:` prefix, as /api/tags shows it). */
  digest: string;
  /** Extra wire fields given through the control API, echoed by /api/tags. */
  extra: Record<string, unknown>;
  /** /api/show fields given through the control API, in place of the computed ones. */
  show?: Record<string, unknown>;
}

/** Live settings, changed through `POST /__sim/config`. */
export interface SimConfig {
  /** Period of the per-blob progress ticker (Ollama: 60 ms). */
  tickMs: number;
  /** Bytes a blob download advances per tick. */
  bytesPerTick: number;
  /** Bearer token every /api request must carry, or null for none. */
  token: string | null;
  /** Pause before the manifest lookup and around verifying/writing. */
  stepMs: number;
  /** What /api/version reports. */
  version: string;
  /** Wait before each registry manifest reply, like a registry far away. */
  registryLatencyMs: number;
}

/** Everything that survives a restart when `--state FILE` is given, and what reset returns to. */
export interface Snapshot {
  config: SimConfig;
  registry: RegistryModel[];
  installed: InstalledModel[];
  /** Complete blobs on disk: digest → size. */
  blobs: Record<string, number>;
  /** Partially downloaded blobs: digest → bytes. */
  partials: Record<string, number>;
}

export type FaultTarget =
  | 'pull'
  | 'tags'
  | 'version'
  | 'show'
  | 'copy'
  | 'delete'
  | 'chat'
  | 'generate'
  | 'embed'
  | 'ps'
  | 'root'
  | 'manifest'
  | 'hub'
  | 'blobs'
  | 'any';

export type FaultKind =
  | 'http-500'
  | 'http-status'
  | 'mid-stream-error'
  | 'disk-full'
  | 'digest-mismatch'
  | 'reset'
  | 'truncate'
  | 'stall'
  | 'garbage-line'
  | 'huge-line'
  | 'endless-layers'
  | 'delay'
  | 'not-ollama'
  | 'redirect';

export interface Fault {
  on: FaultTarget;
  model?: string;
  kind: FaultKind;
  afterBytes?: number;
  message?: string;
  status?: number;
  body?: string;
  ms?: number;
  bytes?: number;
  line?: string;
  location?: string;
}

/** One /api (or `/`) request as the control API reports it. */
export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
  time: number;
}

/**
 * Where pull progress goes: an NDJSON stream, or the single reply of `stream:false`.
 * Every method is a no-op once the client is gone.
 */
export interface ProgressSink {
  readonly gone: boolean;
  whenGone(): Promise<void>;
  send(line: Record<string, unknown>): Promise<void>;
  /** An error after the work started; ends the reply. */
  fail(message: string): Promise<void>;
  /** Ends the reply after the last line. */
  finish(): Promise<void>;
  /** Applies a transport fault; false when the reply is over. */
  disrupt(fault: Fault): Promise<boolean>;
}
