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
      .filter(([, expiresAt]) => expiresAt > now)
      .sort((a, b) => b[1] - a[1])
      .flatMap(([key, expiresAt]) => {
        const model = this.state.store.list().find((m) => ModelName.parse(m.name).key() === key);
        if (!model) return [];
        return [
          {
            name: model.name,
            model: model.name,
            size: model.size,
            digest: model.digest,
            details: model.details,
            expires_at: goTime(Math.min(expiresAt, Date.UTC(2318, 0, 1))),
            size_vram: model.size,
            context_length: 4096,
          },
        ];
      });
    await new JsonReply(res).json(200, { models }, fault);
  };

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
    const now = Date.now();
    if (messages.length === 0) {
      // An empty chat only loads (or with keep_alive 0 unloads) the model.
      this.state.load(name, keepAlive, now);
      return reply.json(200, {
        model: given,
        created_at: goTime(now, true),
        message: { role: 'assistant', content: '' },
        done_reason: keepAlive === 0 ? 'unload' : 'load',
        done: true,
      });
    }
    this.state.load(name, keepAlive, now);
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

/** Ollama's keep_alive: seconds as a number, or a Go duration; negative keeps it forever. */
function keepAliveMs(value: unknown): number {
  if (typeof value === 'number') return value < 0 ? -1 : value * 1000;
  if (typeof value !== 'string' || value === '') return DEFAULT_KEEP_ALIVE_MS;
  if (/^-?\d+(\.\d+)?$/.test(value)) return keepAliveMs(Number(value));
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(-?\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * units[unit];
  }
  return value.startsWith('-') ? -1 : total;
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
