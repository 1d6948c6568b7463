import type { ServerResponse } from 'node:http';
import { ChatStream, type ChatMessage } from './chat-stream.js';
import { FinalReply } from './final-reply.js';
import { GoJsonDecoder } from './go-json.js';
import { JsonReply } from './json-reply.js';
import { modelInfo } from './model-info.js';
import { ModelName } from './model-name.js';
import { ModelStore } from './model-store.js';
import { NdjsonStream } from './ndjson-stream.js';
import { PullStream } from './pull-stream.js';
import type { SimState } from './sim-state.js';
import type { Fault, InstalledModel } from './types.js';
import { goTime } from './wire.js';

const BLOBS_DIR = '/usr/share/ollama/.ollama/models/blobs';
const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;
/** What a token of context costs in memory (an 8B model's f16 KV cache), on top of the weights. */
const KV_BYTES_PER_TOKEN = 128 * 1024;
/** Length of the vectors /api/embed answers with (nomic-embed-text's). */
const EMBEDDING_LENGTH = 768;

const PULL = new GoJsonDecoder('PullRequest', {
  model: 'string',
  name: 'string',
  insecure: 'bool',
  stream: 'bool',
  username: 'string',
  password: 'string',
});
const DELETE = new GoJsonDecoder('DeleteRequest', { model: 'string', name: 'string' });
const SHOW = new GoJsonDecoder('ShowRequest', {
  model: 'string',
  name: 'string',
  system: 'string',
  template: 'string',
  verbose: 'bool',
  options: 'map[string]interface {}',
});
const COPY = new GoJsonDecoder('CopyRequest', { source: 'string', destination: 'string' });
const CHAT = new GoJsonDecoder('ChatRequest', {
  model: 'string',
  messages: '[]api.Message',
  stream: 'bool',
  format: 'any',
  keep_alive: 'any',
  options: 'map[string]interface {}',
  tools: 'any',
  think: 'any',
});
const GENERATE = new GoJsonDecoder('GenerateRequest', {
  model: 'string',
  prompt: 'string',
  suffix: 'string',
  system: 'string',
  template: 'string',
  context: 'any',
  stream: 'bool',
  raw: 'bool',
  format: 'any',
  keep_alive: 'any',
  images: 'any',
  options: 'map[string]interface {}',
  think: 'any',
});
const EMBED = new GoJsonDecoder('EmbedRequest', {
  model: 'string',
  input: 'any',
  truncate: 'bool',
  dimensions: 'int',
  keep_alive: 'any',
  options: 'map[string]interface {}',
});

export type Handler = (res: ServerResponse, body: string, fault: Fault | null) => Promise<void>;

/** The Ollama endpoints, answering as Ollama's routes.go does. */
export class OllamaApi {
  constructor(private readonly state: SimState) {}

  readonly root: Handler = async (res, _body, fault) => {
    await new JsonReply(res).text(200, 'Ollama is running', 'text/plain; charset=utf-8', fault);
  };

  readonly version: Handler = async (res, _body, fault) => {
    await new JsonReply(res).json(200, { version: this.state.config.version }, fault);
  };

  readonly tags: Handler = async (res, _body, fault) => {
    const models = this.state.store.list().map((model) => ModelStore.toWire(model));
    await new JsonReply(res).json(200, { models }, fault);
  };

  readonly ps: Handler = async (res, _body, fault) => {
    const now = Date.now();
    const models = [...this.state.loaded.entries()]
      .filter(([, loaded]) => loaded.expiresAt > now)
      .sort((a, b) => b[1].expiresAt - a[1].expiresAt)
      .flatMap(([key, loaded]) => {
        const model = this.state.store.list().find((m) => ModelName.parse(m.name).key() === key);
        if (!model) return [];
        const size = model.size + loaded.contextLength * KV_BYTES_PER_TOKEN;
        return [
          {
            name: model.name,
            model: model.name,
            size,
            digest: model.digest,
            details: model.details,
            // keep_alive -1: Go's now + the longest Duration, some 292 years on.
            expires_at: goTime(Math.min(loaded.expiresAt, Date.UTC(2318, 0, 1))),
            size_vram: Math.round(size * this.state.gpuShare),
            context_length: loaded.contextLength,
          },
        ];
      });
    await new JsonReply(res).json(200, { models }, fault);
  };

  /**
   * HEAD /api/blobs/:digest, as Ollama's HeadBlobHandler: 200 when the blob file is there (a
   * partial download is not), 404 `blob "…" not found`, 400 `invalid digest format`.
   */
  headBlob(digest: string): Handler {
    return async (res, _body, fault) => {
      const reply = new JsonReply(res);
      if (!/^sha256[:-][0-9a-fA-F]{64}$/.test(digest)) {
        await reply.json(400, { error: 'invalid digest format' }, fault);
        return;
      }
      // Blob files are named sha256-<hex>: a digest in capitals names no file.
      if (!this.state.store.hasBlob(digest.replace('-', ':'))) {
        await reply.json(404, { error: `blob ${JSON.stringify(digest)} not found` }, fault);
        return;
      }
      reply.head(200, { 'Content-Length': 0 });
      reply.end();
    };
  }

  readonly show: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(SHOW, body, reply);
    if (!request) return;
    const given = stringField(request.model) || stringField(request.name);
    if (!given) return reply.json(400, { error: 'model is required' });
    const name = ModelName.parse(given);
    if (!name.isValid()) return reply.json(400, { error: 'invalid model name' });
    const model = this.state.store.find(name);
    if (!model) return reply.json(404, { error: `model '${name.displayShortest()}' not found` });
    await reply.json(200, showBody(model, request.verbose === true), fault);
  };

  readonly copy: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(COPY, body, reply);
    if (!request) return;
    // Go's %q, which JSON.stringify matches for names.
    const source = stringField(request.source);
    const destination = stringField(request.destination);
    const from = ModelName.parse(source);
    if (!from.isValid())
      return reply.json(400, { error: `source ${JSON.stringify(source)} is invalid` });
    const to = ModelName.parse(destination);
    if (!to.isValid())
      return reply.json(400, { error: `destination ${JSON.stringify(destination)} is invalid` });
    if (!this.state.store.copy(from, to, Date.now()))
      return reply.json(404, { error: `model ${JSON.stringify(source)} not found` });
    await reply.json(200, undefined, fault);
  };

  readonly delete: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(DELETE, body, reply);
    if (!request) return;
    const given = stringField(request.model) || stringField(request.name);
    const name = ModelName.parse(given);
    if (!name.isValid())
      return reply.json(400, { error: `name ${JSON.stringify(given)} is invalid` });
    if (!this.state.store.remove(name))
      return reply.json(404, { error: `model '${given}' not found` });
    this.state.loaded.delete(name.key());
    await reply.json(200, undefined, fault);
  };

  readonly chat: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(CHAT, body, reply);
    if (!request) return;
    const given = stringField(request.model);
    if (!given) return reply.json(400, { error: 'model is required' });
    const name = ModelName.parse(given);
    if (!name.isValid()) return reply.json(400, { error: 'invalid model name' });
    const model = this.state.store.find(name);
    if (!model) return reply.json(404, { error: `model '${given}' not found` });
    // Go leaves a null element as an empty message.
    const messages = ((request.messages ?? []) as (ChatMessage | null)[]).map((m) => m ?? {});
    const keepAlive = keepAliveMs(request.keep_alive);
    if (keepAlive === null) return reply.json(400, { error: badDuration(request.keep_alive) });
    const now = Date.now();
    const context = contextLength(request.options);
    if (messages.length === 0) {
      // An empty chat only loads (or with keep_alive 0 unloads) the model.
      this.state.load(name, keepAlive, now, context);
      return reply.json(200, {
        model: given,
        created_at: goTime(now, true),
        message: { role: 'assistant', content: '' },
        done_reason: keepAlive === 0 ? 'unload' : 'load',
        done: true,
      });
    }
    this.state.load(name, keepAlive, now, context);
    if (request.stream === false) {
      const text = ChatStream.replyText(model.name, messages);
      return reply.json(
        200,
        {
          model: given,
          created_at: goTime(now, true),
          message: { role: 'assistant', content: text },
          ...ChatStream.doneFields(messages, ChatStream.words(text).length),
        },
        fault,
      );
    }
    const stream = new NdjsonStream(res);
    await new ChatStream(
      model,
      given,
      messages,
      stream,
      fault,
      () => this.state.config.tickMs,
    ).run();
  };

  readonly generate: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(GENERATE, body, reply);
    if (!request) return;
    const given = stringField(request.model);
    if (!given) return reply.json(400, { error: 'model is required' });
    const name = ModelName.parse(given);
    if (!name.isValid()) return reply.json(400, { error: 'invalid model name' });
    const model = this.state.store.find(name);
    if (!model) return reply.json(404, { error: `model '${given}' not found` });
    const keepAlive = keepAliveMs(request.keep_alive);
    if (keepAlive === null) return reply.json(400, { error: badDuration(request.keep_alive) });
    const prompt = stringField(request.prompt);
    const now = Date.now();
    const loadReply = (reason: string) => ({
      model: given,
      created_at: goTime(now, true),
      response: '',
      done: true,
      done_reason: reason,
    });
    // Ollama unloads before it looks at what the model can do.
    if (prompt === '' && keepAlive === 0) {
      this.state.load(name, 0, now);
      return reply.json(200, loadReply('unload'));
    }
    if (!model.capabilities.includes('completion'))
      return reply.json(400, { error: `${JSON.stringify(given)} does not support generate` });
    this.state.load(name, keepAlive, now, contextLength(request.options));
    // Without a prompt it only loads: one reply, even when streaming was asked for.
    if (prompt === '') return reply.json(200, loadReply('load'));
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    if (request.stream === false) {
      const text = ChatStream.replyText(model.name, messages);
      return reply.json(
        200,
        {
          model: given,
          created_at: goTime(now, true),
          response: text,
          ...ChatStream.doneFields(messages, ChatStream.words(text).length),
          context: [1, 2, 3],
        },
        fault,
      );
    }
    const stream = new NdjsonStream(res);
    await new ChatStream(
      model,
      given,
      messages,
      stream,
      fault,
      () => this.state.config.tickMs,
      'generate',
    ).run();
  };

  readonly embed: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(EMBED, body, reply);
    if (!request) return;
    const given = stringField(request.model);
    if (!given) return reply.json(400, { error: 'model is required' });
    const inputs = embedInputs(request.input);
    if (inputs === null) return reply.json(400, { error: 'invalid input type' });
    const name = ModelName.parse(given);
    const model = name.isValid() ? this.state.store.find(name) : undefined;
    if (!model)
      return reply.json(404, { error: `model "${given}" not found, try pulling it first` });
    const keepAlive = keepAliveMs(request.keep_alive);
    if (keepAlive === null) return reply.json(400, { error: badDuration(request.keep_alive) });
    this.state.load(name, keepAlive, Date.now(), contextLength(request.options));
    const dimensions =
      typeof request.dimensions === 'number' && request.dimensions > 0
        ? Math.min(request.dimensions, EMBEDDING_LENGTH)
        : EMBEDDING_LENGTH;
    await reply.json(
      200,
      {
        model: given,
        embeddings: inputs.map((text) => embedding(text, dimensions)),
        total_duration: 14_143_917,
        load_duration: 1_019_500,
        prompt_eval_count: inputs.reduce((sum, text) => sum + Math.max(1, text.length >> 2), 0),
      },
      fault,
    );
  };

  readonly pull: Handler = async (res, body, fault) => {
    const reply = new JsonReply(res);
    const request = await this.decode(PULL, body, reply);
    if (!request) return;
    const name = ModelName.parse(stringField(request.model) || stringField(request.name));
    if (!name.isValid()) return reply.json(400, { error: 'invalid model name' });
    const sink = request.stream === false ? new FinalReply(res) : new NdjsonStream(res);
    await new PullStream(this.state, name, sink, fault).run();
  };

  /** gin's ShouldBindJSON: 400 with Go's words when the body does not decode. */
  private async decode(
    decoder: GoJsonDecoder,
    body: string,
    reply: JsonReply,
  ): Promise<Record<string, unknown> | null> {
    const result = decoder.decode(body);
    if (result.ok) return result.value;
    await reply.json(400, { error: result.empty ? 'missing request body' : result.message });
    return null;
  }
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Ollama's keep_alive: seconds as a number (or a string of one), or a Go duration
 * ("10m", "1h30m"); negative keeps the model forever, absent the default 5 min. Null
 * for text Go's time.ParseDuration refuses.
 */
function keepAliveMs(value: unknown): number | null {
  if (typeof value === 'number') return value < 0 ? -1 : value * 1000;
  if (typeof value !== 'string' || value === '') return DEFAULT_KEEP_ALIVE_MS;
  if (/^-?\d+(\.\d+)?$/.test(value)) return keepAliveMs(Number(value));
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(value);
  if (!match) return null;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * units[unit];
  }
  return match[1] === '-' ? -1 : total;
}

/** Go's error for a keep_alive it cannot parse. */
function badDuration(value: unknown): string {
  return `time: invalid duration ${JSON.stringify(value)}`;
}

/** options.num_ctx when it is a usable context length. */
function contextLength(options: unknown): number | undefined {
  const numCtx = (options as Record<string, unknown> | undefined)?.num_ctx;
  return typeof numCtx === 'number' && Number.isSafeInteger(numCtx) && numCtx > 0
    ? numCtx
    : undefined;
}

/** The texts to embed: one string, a list of them, or none; null for anything else. */
function embedInputs(input: unknown): string[] | null {
  if (input === undefined || input === '') return [];
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  return null;
}

/** A unit vector that depends only on the text, so tests can compare. */
function embedding(text: string, dimensions: number): number[] {
  let seed = [...text].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7);
  const values = Array.from({ length: dimensions }, () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return seed / 2 ** 31 - 1;
  });
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

/**
 * A plausible ShowResponse, in Ollama's field order; what a test gave as `show` when it
 * installed the model replaces the computed fields.
 */
function showBody(model: InstalledModel, verbose: boolean): Record<string, unknown> {
  const family = model.details.family || 'llama';
  const weights = model.layers[0];
  const template =
    '{{- if .System }}<|system|>\n{{ .System }}\n{{- end }}\n<|user|>\n{{ .Prompt }}\n<|assistant|>\n';
  const stop = '"<|user|>"';
  const license =
    `${family.toUpperCase()} MODEL LICENCE (simulated)\n\n` +
    'This text stands in for the licence of a real model, for testing Paddock only.\n' +
    'It grants nothing and asks nothing.\n';
  return {
    license,
    modelfile:
      '# Modelfile generated by "ollama show"\n' +
      '# To build a new Modelfile based on this, replace FROM with:\n' +
      `# FROM ${model.name}\n\n` +
      `FROM ${BLOBS_DIR}/${weights.digest.replace(':', '-')}\n` +
      `TEMPLATE """${template}"""\n` +
      `PARAMETER stop ${stop}\n` +
      `LICENSE """${license}"""\n`,
    parameters: `${'stop'.padEnd(30)} ${stop}`,
    template,
    details: model.details,
    model_info: modelInfo(model, verbose),
    capabilities: model.capabilities,
    modified_at: goTime(model.modifiedAt),
    ...model.show,
  };
}
