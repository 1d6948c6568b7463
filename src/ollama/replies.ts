import GLib from 'gi://GLib';

import { cutText } from '../util/text.js';
import { MalformedReplyError } from './errors.js';
import type {
  ChatChunk,
  ChatMessage,
  EmbedReply,
  GenerateChunk,
  InstalledModel,
  ModelDetails,
  ModelInfo,
  PullProgress,
  ReplyTimings,
  RunningModel,
  ShowReply,
  VersionReply,
} from './types.js';

type JsonObject = Record<string, unknown>;

const chatRoles: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'tool']);

/** Field checks bound to one reply, so every failure names the server and the field. */
function checks(host: string | null) {
  const fail = (path: string, problem: string): never => {
    throw new MalformedReplyError(`${path} ${problem}`, { host });
  };
  const describe = (value: unknown) =>
    value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

  const object = (value: unknown, path: string): JsonObject => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      // not translated: a detail of Ollama's JSON, for bug reports
      fail(path, `is ${describe(value)}, not an object`);
    return value as JsonObject;
  };
  const optionalString = (owner: JsonObject, key: string, path: string): string | undefined => {
    const value = owner[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') fail(`${path}.${key}`, `is ${describe(value)}, not a string`);
    return value as string;
  };
  const string = (owner: JsonObject, key: string, path: string): string => {
    const value = optionalString(owner, key, path);
    if (value === undefined) fail(`${path}.${key}`, 'is missing');
    return value as string;
  };
  const optionalCount = (owner: JsonObject, key: string, path: string): number | undefined => {
    const value = owner[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      fail(`${path}.${key}`, `is ${JSON.stringify(value)}, not a count`);
    return value as number;
  };
  const count = (owner: JsonObject, key: string, path: string): number => {
    const value = optionalCount(owner, key, path);
    if (value === undefined) fail(`${path}.${key}`, 'is missing');
    return value as number;
  };
  const boolean = (owner: JsonObject, key: string, path: string): boolean => {
    const value = owner[key];
    if (typeof value !== 'boolean')
      fail(
        `${path}.${key}`,
        // not translated: a detail of Ollama's JSON, for bug reports
        value === undefined ? 'is missing' : `is ${describe(value)}, not true or false`,
      );
    return value as boolean;
  };
  const optionalStrings = (owner: JsonObject, key: string, path: string): string[] | undefined => {
    const value = owner[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) fail(`${path}.${key}`, `is ${describe(value)}, not a list`);
    const list = value as unknown[];
    list.forEach((item, index) => {
      if (typeof item !== 'string')
        fail(`${path}.${key}[${index}]`, `is ${describe(item)}, not a string`);
    });
    return [...(list as string[])];
  };
  const list = (owner: JsonObject, key: string, path: string): unknown[] => {
    const value = owner[key];
    // Go encodes an empty slice as null.
    if (value === null) return [];
    if (!Array.isArray(value))
      fail(
        `${path}.${key}`,
        value === undefined ? 'is missing' : `is ${describe(value)}, not a list`,
      );
    return value as unknown[];
  };

  const details = (owner: JsonObject, path: string): ModelDetails => {
    const raw = owner.details;
    const where = `${path}.details`;
    if (raw === undefined || raw === null)
      return {
        parent_model: '',
        format: '',
        family: '',
        families: null,
        parameter_size: '',
        quantization_level: '',
      };
    const value = object(raw, where);
    const result: ModelDetails = {
      parent_model: optionalString(value, 'parent_model', where) ?? '',
      format: optionalString(value, 'format', where) ?? '',
      family: optionalString(value, 'family', where) ?? '',
      families: optionalStrings(value, 'families', where) ?? null,
      parameter_size: optionalString(value, 'parameter_size', where) ?? '',
      quantization_level: optionalString(value, 'quantization_level', where) ?? '',
    };
    const contextLength = optionalCount(value, 'context_length', where);
    if (contextLength !== undefined) result.context_length = contextLength;
    return result;
  };

  const message = (owner: JsonObject, path: string): ChatMessage => {
    const where = `${path}.message`;
    const value = object(owner.message, where);
    const role = string(value, 'role', where);
    // not translated: a detail of Ollama's JSON, for bug reports
    if (!chatRoles.has(role)) fail(`${where}.role`, `is “${role}”, not a chat role`);
    const result: ChatMessage = {
      role: role as ChatMessage['role'],
      content: optionalString(value, 'content', where) ?? '',
    };
    const thinking = optionalString(value, 'thinking', where);
    if (thinking !== undefined) result.thinking = thinking;
    const images = optionalStrings(value, 'images', where);
    if (images !== undefined) result.images = images;
    const toolName = optionalString(value, 'tool_name', where);
    if (toolName !== undefined) result.tool_name = toolName;
    if (value.tool_calls !== undefined && value.tool_calls !== null)
      result.tool_calls = list(value, 'tool_calls', where).map((item, index) => {
        const call = object(item, `${where}.tool_calls[${index}]`);
        const fn = object(call.function, `${where}.tool_calls[${index}].function`);
        return {
          function: {
            name: string(fn, 'name', `${where}.tool_calls[${index}].function`),
            arguments: object(
              fn.arguments ?? {},
              `${where}.tool_calls[${index}].function.arguments`,
            ),
          },
        };
      });
    return result;
  };

  return {
    fail,
    object,
    string,
    optionalString,
    count,
    optionalCount,
    boolean,
    optionalStrings,
    list,
    details,
    message,
  };
}

export function parseVersionReply(json: unknown, host: string | null = null): VersionReply {
  const check = checks(host);
  const reply = check.object(json, 'the reply');
  return { version: check.string(reply, 'version', 'the reply') };
}

/** The fields an entry of /api/tags and one of /api/ps have in common. */
function modelEntry(check: ReturnType<typeof checks>, item: unknown, path: string) {
  const entry = check.object(item, path);
  const name = check.string(entry, 'name', path);
  return {
    entry,
    common: {
      name,
      model: check.optionalString(entry, 'model', path) ?? name,
      size: check.count(entry, 'size', path),
      digest: check.optionalString(entry, 'digest', path) ?? '',
      details: check.details(entry, path),
    },
  };
}

export function parseTagsReply(json: unknown, host: string | null = null): InstalledModel[] {
  const check = checks(host);
  const reply = check.object(json, 'the reply');
  return check.list(reply, 'models', 'the reply').map((item, index) => {
    const path = `models[${index}]`;
    const { entry, common } = modelEntry(check, item, path);
    const model: InstalledModel = {
      ...common,
      modified_at: check.optionalString(entry, 'modified_at', path) ?? '',
    };
    const capabilities = check.optionalStrings(entry, 'capabilities', path);
    if (capabilities !== undefined) model.capabilities = capabilities;
    return model;
  });
}

/**
 * Far above any real licence (Gemma's is 8 KB), template or modelfile (some 30 KB), and still
 * small enough for a label: longer texts are cut.
 */
export const SHOW_TEXT_LIMIT = 256 * 1024;
/** Ollama knows half a dozen (completion, tools, thinking, vision, embedding, insert). */
const MAX_CAPABILITIES = 64;
type CountField = Exclude<keyof ModelInfo, 'architecture'>;
/** Real names are like "llama", "qwen3", "nomic-bert", "qwen25vl". */
const ARCHITECTURE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/**
 * The model_info facts Paddock shows. Only these keys are read, so the tokenizer's arrays
 * of a verbose reply (hundreds of thousands of entries) are never walked nor kept.
 */
function modelInfo(check: ReturnType<typeof checks>, raw: unknown, path: string): ModelInfo {
  if (raw === undefined || raw === null) return {};
  const where = `${path}.model_info`;
  const info = check.object(raw, where);
  const result: ModelInfo = {};
  const architecture = check.optionalString(info, 'general.architecture', where);
  if (architecture !== undefined) {
    if (!ARCHITECTURE.test(architecture))
      // not translated: a detail of Ollama's JSON, for bug reports
      check.fail(`${where}["general.architecture"]`, 'is not an architecture name');
    result.architecture = architecture;
  }
  const counts: [CountField, string][] = [['parameter_count', 'general.parameter_count']];
  if (architecture !== undefined)
    counts.push(
      ['context_length', `${architecture}.context_length`],
      ['embedding_length', `${architecture}.embedding_length`],
      ['block_count', `${architecture}.block_count`],
      ['head_count', `${architecture}.attention.head_count`],
      ['head_count_kv', `${architecture}.attention.head_count_kv`],
    );
  for (const [field, key] of counts) {
    const value = wholeCount(check, info[key], `${where}["${key}"]`);
    if (value !== undefined) result[field] = value;
  }
  return result;
}

/**
 * A whole number ≥ 0. Some architectures give the heads per layer, as a list: its largest
 * entry then (a plain reply empties lists longer than 5, which reads as absent).
 */
function wholeCount(
  check: ReturnType<typeof checks>,
  value: unknown,
  path: string,
): number | undefined {
  const isCount = (item: unknown) =>
    typeof item === 'number' && Number.isSafeInteger(item) && item >= 0;
  if (value === undefined || value === null) return undefined;
  if (isCount(value)) return value as number;
  if (Array.isArray(value) && value.length <= 4096 && value.every(isCount))
    return value.length === 0 ? undefined : Math.max(...(value as number[]));
  // not translated: a detail of Ollama's JSON, for bug reports
  return check.fail(path, `is ${cutText(JSON.stringify(value), 40)}, not a count`);
}

export function parseShowReply(json: unknown, host: string | null = null): ShowReply {
  const check = checks(host);
  const path = 'the reply';
  const reply = check.object(json, path);
  const text = (key: string) => {
    const value = check.optionalString(reply, key, path);
    return value === undefined ? undefined : cutText(value, SHOW_TEXT_LIMIT);
  };
  const result: ShowReply = {
    modelfile: text('modelfile') ?? '',
    parameters: text('parameters') ?? '',
    template: text('template') ?? '',
    details: check.details(reply, path),
    model_info: modelInfo(check, reply.model_info, path),
    capabilities: check.optionalStrings(reply, 'capabilities', path) ?? [],
  };
  if (result.capabilities.length > MAX_CAPABILITIES)
    // not translated: a detail of Ollama's JSON, for bug reports
    check.fail(`${path}.capabilities`, `has ${result.capabilities.length} entries`);
  for (const key of ['system', 'license', 'modified_at'] as const) {
    const value = text(key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export function parseRunningModels(json: unknown, host: string | null = null): RunningModel[] {
  const check = checks(host);
  const reply = check.object(json, 'the reply');
  return check.list(reply, 'models', 'the reply').map((item, index) => {
    const path = `models[${index}]`;
    const { entry, common } = modelEntry(check, item, path);
    const expiresAt = check.optionalString(entry, 'expires_at', path) ?? '';
    if (expiresAt !== '' && GLib.DateTime.new_from_iso8601(expiresAt, null) === null)
      // not translated: a detail of Ollama's JSON, for bug reports
      check.fail(`${path}.expires_at`, `is ${JSON.stringify(expiresAt.slice(0, 40))}, not a time`);
    const model: RunningModel = {
      ...common,
      expires_at: expiresAt,
      // A share above the whole would show as more than 100 % on the GPU.
      size_vram: Math.min(check.optionalCount(entry, 'size_vram', path) ?? 0, common.size),
    };
    const contextLength = check.optionalCount(entry, 'context_length', path);
    if (contextLength !== undefined) model.context_length = contextLength;
    return model;
  });
}

const isOptionalCount = (value: unknown) =>
  value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);

export function parsePullProgress(json: unknown, host: string | null = null): PullProgress {
  // The hot path of a pull (one call per line): plain checks first, and the field-by-field
  // walk only to say what is wrong.
  if (typeof json === 'object' && json !== null) {
    const { status, digest, total, completed } = json as JsonObject;
    if (
      typeof status === 'string' &&
      (digest === undefined || typeof digest === 'string') &&
      isOptionalCount(total) &&
      isOptionalCount(completed)
    ) {
      const progress: PullProgress = { status };
      if (digest !== undefined) progress.digest = digest;
      if (total !== undefined) progress.total = total as number;
      if (completed !== undefined) progress.completed = completed as number;
      return progress;
    }
  }
  const check = checks(host);
  const path = 'the progress line';
  const line = check.object(json, path);
  check.string(line, 'status', path);
  check.optionalString(line, 'digest', path);
  check.optionalCount(line, 'total', path);
  check.optionalCount(line, 'completed', path);
  // not translated: a detail of Ollama's JSON, for bug reports
  return check.fail(path, 'is not a progress line');
}

const TIMING_KEYS = [
  'total_duration',
  'load_duration',
  'prompt_eval_count',
  'prompt_eval_duration',
  'eval_count',
  'eval_duration',
] as const;

function timings(check: ReturnType<typeof checks>, line: JsonObject, path: string): ReplyTimings {
  const result: ReplyTimings = {};
  for (const key of TIMING_KEYS) {
    const value = check.optionalCount(line, key, path);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export function parseChatChunk(json: unknown, host: string | null = null): ChatChunk {
  const check = checks(host);
  const path = 'the chat line';
  const line = check.object(json, path);
  const chunk: ChatChunk = {
    model: check.optionalString(line, 'model', path) ?? '',
    created_at: check.optionalString(line, 'created_at', path) ?? '',
    message: check.message(line, path),
    done: check.boolean(line, 'done', path),
    ...timings(check, line, path),
  };
  const reason = check.optionalString(line, 'done_reason', path);
  if (reason !== undefined) chunk.done_reason = reason;
  return chunk;
}

export function parseGenerateChunk(json: unknown, host: string | null = null): GenerateChunk {
  const check = checks(host);
  const path = 'the generate line';
  const line = check.object(json, path);
  const chunk: GenerateChunk = {
    model: check.optionalString(line, 'model', path) ?? '',
    created_at: check.optionalString(line, 'created_at', path) ?? '',
    response: check.optionalString(line, 'response', path) ?? '',
    done: check.boolean(line, 'done', path),
    ...timings(check, line, path),
  };
  const thinking = check.optionalString(line, 'thinking', path);
  if (thinking !== undefined) chunk.thinking = thinking;
  const reason = check.optionalString(line, 'done_reason', path);
  if (reason !== undefined) chunk.done_reason = reason;
  return chunk;
}

/** Checks every vector (numbers, all of one length) and keeps only their count and length. */
export function parseEmbedReply(json: unknown, host: string | null = null): EmbedReply {
  const check = checks(host);
  const path = 'the reply';
  const reply = check.object(json, path);
  const vectors = check.list(reply, 'embeddings', path);
  let dimensions = 0;
  vectors.forEach((vector, index) => {
    const where = `${path}.embeddings[${index}]`;
    // not translated: a detail of Ollama's JSON, for bug reports
    if (!Array.isArray(vector)) check.fail(where, 'is not a list');
    const numbers = vector as unknown[];
    if (index === 0) dimensions = numbers.length;
    else if (numbers.length !== dimensions)
      // not translated: a detail of Ollama's JSON, for bug reports
      check.fail(where, `has ${numbers.length} numbers, not ${dimensions}`);
    if (!numbers.every((value) => typeof value === 'number' && Number.isFinite(value)))
      // not translated: a detail of Ollama's JSON, for bug reports
      check.fail(where, 'holds something other than numbers');
  });
  const result: EmbedReply = {
    model: check.optionalString(reply, 'model', path) ?? '',
    count: vectors.length,
    dimensions,
  };
  for (const key of ['total_duration', 'load_duration', 'prompt_eval_count'] as const) {
    const value = check.optionalCount(reply, key, path);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** The `{"error": "…"}` text of a reply or stream line, or null. */
export function serverErrorText(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const error = (json as JsonObject).error;
  return typeof error === 'string' ? error : null;
}
