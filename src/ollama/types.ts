// Ollama's wire formats, as the client hands them out after validation (see replies.ts).

/** GET /api/version */
export interface VersionReply {
  version: string;
}

export interface ModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[] | null;
  parameter_size: string;
  quantization_level: string;
  context_length?: number;
}

/** One entry of GET /api/tags. */
export interface InstalledModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: ModelDetails;
  capabilities?: string[];
}

/**
 * The facts of `model_info` that Paddock shows, read from `general.architecture`,
 * `general.parameter_count` and `<architecture>.…`; everything else (the tokenizer's
 * arrays above all) is dropped.
 */
export interface ModelInfo {
  architecture?: string;
  parameter_count?: number;
  context_length?: number;
  embedding_length?: number;
  block_count?: number;
  head_count?: number;
  head_count_kv?: number;
}

/** POST /api/show; `verbose` only adds what Paddock drops (tokenizer arrays, tensors). */
export interface ShowReply {
  modelfile: string;
  parameters: string;
  template: string;
  system?: string;
  license?: string;
  details: ModelDetails;
  model_info: ModelInfo;
  capabilities: string[];
  modified_at?: string;
}

/** One line of POST /api/pull; digest, total and completed are left out when zero. */
export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** One entry of GET /api/ps. */
export interface RunningModel {
  name: string;
  model: string;
  /** Bytes in memory (weights and context), more than on disk. */
  size: number;
  digest: string;
  details: ModelDetails;
  /** RFC 3339, or '' when the server left it out; far in the future when kept loaded. */
  expires_at: string;
  /** The part of `size` on the GPU, never more than `size`. */
  size_vram: number;
  context_length?: number;
}

/** How long a model stays loaded: seconds, a Go duration ("10m"), 0 unloads, -1 forever. */
export type KeepAlive = string | number;

/** The nanosecond timings on the last line of a generate or chat reply. */
export interface ReplyTimings {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** One line of a streamed POST /api/generate; the last one has `done: true` and the timings. */
export interface GenerateChunk extends ReplyTimings {
  model: string;
  created_at: string;
  response: string;
  thinking?: string;
  done: boolean;
  /** "stop", "length"; "load" or "unload" for a request without a prompt. */
  done_reason?: string;
}

/** POST /api/embed, without the vectors: Paddock only shows how long they are. */
export interface EmbedReply {
  model: string;
  /** How many vectors came back (one per input). */
  count: number;
  /** The length of each vector. */
  dimensions: number;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
}

export interface ToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  thinking?: string;
  /** Base64-encoded images for vision models. */
  images?: string[];
  tool_calls?: ToolCall[];
  tool_name?: string;
}

/** POST /api/chat; the client always streams. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: unknown[];
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  think?: boolean | 'low' | 'medium' | 'high';
  keep_alive?: string | number;
}

/** One line of a streamed chat reply; the last one has `done: true` and the timings. */
export interface ChatChunk extends ReplyTimings {
  model: string;
  created_at: string;
  message: ChatMessage;
  done: boolean;
  done_reason?: string;
}
