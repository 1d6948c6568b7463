import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Soup from 'gi://Soup?version=3.0';
import { gettext as _ } from 'gettext';

import { systemClock, type Clock } from '../util/clock.js';
import { fillTemplate } from '../util/text.js';
import { readBounded } from '../util/read-bounded.js';
import {
  HttpError,
  MalformedReplyError,
  NetworkError,
  NotOllamaError,
  RedirectError,
  StreamError,
} from './errors.js';
import { ModelName } from './model-name.js';
import { NdjsonReader } from './ndjson-reader.js';
import {
  serverErrorText,
  parseChatChunk,
  parseEmbedReply,
  parseGenerateChunk,
  parsePullProgress,
  parseRunningModels,
  parseShowReply,
  parseTagsReply,
  parseVersionReply,
} from './replies.js';
import { hostLabel, sendsKeyInClear, urlOrigin } from './ollama-host.js';
import { RequestGuard } from './request-guard.js';
import type {
  ChatChunk,
  ChatRequest,
  EmbedReply,
  GenerateChunk,
  InstalledModel,
  KeepAlive,
  PullProgress,
  RunningModel,
  ShowReply,
} from './types.js';

export interface OllamaClientOptions {
  /** e.g. "http://127.0.0.1:11434" or "https://example.com/ollama/". */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` (reverse proxies, ollama.com). */
  apiKey?: string | null;
  /** How long a short call may take, and a stream to start (default 30; 0 means no limit). */
  timeoutSeconds?: number;
  /** Default "Paddock". */
  userAgent?: string;
  clock?: Clock;
}

export interface ShowOptions {
  /** Ask for everything, the tokenizer's arrays included (see show). */
  verbose?: boolean;
}

interface Reply {
  status: number;
  contentType: string;
  body: Uint8Array;
}

/** How long the deadline of a stream runs: pull answers at once, chat after loading the model. */
type StreamDeadline = 'until-headers' | 'until-sent';

const MIB = 1024 * 1024;
/**
 * Far above any real reply: a /api/show with a long licence is some 100 KiB, a verbose one
 * with a 262,144-token vocabulary (Gemma 3) well over 10 MiB.
 */
const REPLY_LIMIT = 32 * MIB;
/** Only the `{"error"}` text of an error reply matters. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** Redirects within the server's own origin that are followed before giving up. */
const MAX_REDIRECTS = 5;
/** The redirects that keep the method and body (301 and 302 may, RFC 9110); 303 means another request. */
const FOLLOWED_REDIRECTS = [301, 302, 307, 308];
const BLOB_DIGEST = /^sha256:[0-9a-f]{64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Talks to one Ollama server. Every method takes an optional Gio.Cancellable and rejects
 * with an OllamaError (see errors/); an exception thrown by a caller's callback aborts
 * the stream and comes out unchanged.
 *
 * Timeouts run on the injected clock, not in Soup: Soup's `timeout` applies to every
 * socket read, streams included, and Ollama is silent while it verifies a big model's
 * digest (a minute or more), so a socket timeout would kill healthy pulls. Short calls
 * get a deadline for the whole exchange; a stream only until it has started, after
 * which stalls are the caller's watchdog's business.
 */
export class OllamaClient {
  /** The base URL without trailing slashes. */
  readonly baseUrl: string;
  /** The server as people know it: "192.168.1.5:11434", "ollama.example.com". */
  readonly host: string;
  readonly timeoutSeconds: number;
  private readonly apiKey: string | null;
  private readonly clock: Clock;
  private readonly session: Soup.Session;

  constructor(options: OllamaClientOptions) {
    this.baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
    const uri = OllamaClient.parseBaseUrl(this.baseUrl);
    this.host = hostLabel(uri);
    this.timeoutSeconds = options.timeoutSeconds ?? 30;
    this.apiKey = options.apiKey?.trim() || null;
    this.clock = options.clock ?? systemClock;
    this.session = new Soup.Session({
      timeout: 0,
      // Below the keep-alive limit of common reverse proxies (nginx: 75 s).
      idle_timeout: 30,
      // Every running stream holds a connection; Soup's default of 2 would queue a third pull.
      max_conns_per_host: 16,
      max_conns: 32,
      user_agent: options.userAgent ?? 'Paddock',
    });
  }

  /** Whether the API key goes unencrypted to another machine (see sendsKeyInClear). */
  get sendsKeyInClear(): boolean {
    return this.apiKey !== null && sendsKeyInClear(this.baseUrl);
  }

  /** The server's version, e.g. "0.12.3"; NotOllamaError when something else answers. */
  async version(cancellable: Gio.Cancellable | null = null): Promise<string> {
    try {
      const json = await this.fetchJson('GET', '/api/version', undefined, cancellable);
      return parseVersionReply(json, this.host).version;
    } catch (error) {
      const notOllama =
        error instanceof MalformedReplyError ||
        (error instanceof HttpError && error.status === 404 && error.serverText === null);
      if (notOllama) throw new NotOllamaError({ host: this.host, cause: error });
      throw error;
    }
  }

  /**
   * Installed models, newest first. `priority` is that of the request's I/O on the main
   * loop: below GDK's redraw, frames go on while big lists come in.
   */
  async tags(
    cancellable: Gio.Cancellable | null = null,
    priority = GLib.PRIORITY_DEFAULT,
  ): Promise<InstalledModel[]> {
    const json = await this.fetchJson('GET', '/api/tags', undefined, cancellable, priority);
    return parseTagsReply(json, this.host);
  }

  /**
   * What Ollama knows of an installed model. A plain reply already carries every fact Paddock
   * shows; `verbose` adds the tokenizer's arrays and the tensors (10 MB and more for a large
   * vocabulary), which are read within REPLY_LIMIT and dropped.
   */
  async show(
    name: string,
    options: ShowOptions = {},
    cancellable: Gio.Cancellable | null = null,
  ): Promise<ShowReply> {
    const body = options.verbose ? { model: name, verbose: true } : { model: name };
    const json = await this.fetchJson('POST', '/api/show', body, cancellable);
    return parseShowReply(json, this.host);
  }

  /**
   * Copies an installed model to a new name (Ollama writes a second manifest; no blob is
   * copied). A model already called `destination` is replaced without a word, as Ollama does.
   */
  async copy(
    source: string,
    destination: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    ModelName.parse(source);
    ModelName.parse(destination);
    const reply = await this.exchange('POST', '/api/copy', { source, destination }, cancellable);
    this.checkStatus(reply);
  }

  async delete(name: string, cancellable: Gio.Cancellable | null = null): Promise<void> {
    const reply = await this.exchange('DELETE', '/api/delete', { model: name }, cancellable);
    this.checkStatus(reply);
  }

  /**
   * Whether the server has a blob (`HEAD /api/blobs/sha256:…`): 200 yes, 404 no; a partial
   * download is not the blob. `digest` is "sha256:" and 64 hex digits.
   */
  async hasBlob(digest: string, cancellable: Gio.Cancellable | null = null): Promise<boolean> {
    if (!BLOB_DIGEST.test(digest))
      // not translated: a programming error, digests come from a checked manifest
      throw new TypeError(`“${digest}” is not a sha256 digest`);
    const reply = await this.exchange('HEAD', `/api/blobs/${digest}`, undefined, cancellable);
    if (reply.status === 404) return false;
    this.checkStatus(reply);
    return true;
  }

  /** Models loaded in memory right now. */
  async ps(cancellable: Gio.Cancellable | null = null): Promise<RunningModel[]> {
    const json = await this.fetchJson('GET', '/api/ps', undefined, cancellable);
    return parseRunningModels(json, this.host);
  }

  /**
   * Pulls a model, handing every progress line to `onProgress` (the `success` line
   * included), and resolves only after `success`. Cancelling closes the connection,
   * which is how Ollama learns to stop.
   */
  async pull(
    name: string,
    onProgress: (progress: PullProgress) => void,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    ModelName.parse(name);
    const finished = await this.stream(
      '/api/pull',
      { model: name, stream: true },
      'until-headers',
      cancellable,
      (json) => {
        const progress = parsePullProgress(json, this.host);
        onProgress(progress);
        return progress.status === 'success';
      },
    );
    if (!finished)
      throw new NetworkError('reset', {
        host: this.host,
        message: fillTemplate(
          _(
            'The download from Ollama at {host} stopped before it finished. Try again; it resumes where it stopped.',
          ),
          { host: this.host },
        ),
      });
  }

  /** Streams a chat answer chunk by chunk; resolves with the last chunk (`done: true`). */
  async chat(
    request: ChatRequest,
    onChunk: (chunk: ChatChunk) => void,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<ChatChunk> {
    let last = null as ChatChunk | null;
    await this.stream(
      '/api/chat',
      { ...request, stream: true },
      'until-sent',
      cancellable,
      (json) => {
        const chunk = parseChatChunk(json, this.host);
        onChunk(chunk);
        if (chunk.done) last = chunk;
        return chunk.done;
      },
    );
    return last ?? this.stoppedEarly();
  }

  /**
   * Loads the model into memory (a generate without a prompt), for `keepAlive` or the
   * server's default (5 min). Waits as long as loading takes: a large model needs minutes.
   */
  async load(
    name: string,
    keepAlive: KeepAlive | null = null,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<void> {
    await this.emptyGenerate(name, keepAlive, cancellable);
  }

  /** Loads the model and keeps it loaded until it is unloaded. */
  async keepLoaded(name: string, cancellable: Gio.Cancellable | null = null): Promise<void> {
    await this.emptyGenerate(name, -1, cancellable);
  }

  /** Frees the memory the model holds (nothing happens when it is not loaded). */
  async unload(name: string, cancellable: Gio.Cancellable | null = null): Promise<void> {
    await this.emptyGenerate(name, 0, cancellable);
  }

  /**
   * Streams the model's answer to `prompt` chunk by chunk; resolves with the last chunk
   * (`done: true`), which carries the timings (see GenerationStats).
   */
  async generate(
    name: string,
    prompt: string,
    onChunk: (chunk: GenerateChunk) => void,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<GenerateChunk> {
    ModelName.parse(name);
    let last = null as GenerateChunk | null;
    await this.stream(
      '/api/generate',
      { model: name, prompt, stream: true },
      'until-sent',
      cancellable,
      (json) => {
        const chunk = parseGenerateChunk(json, this.host);
        onChunk(chunk);
        if (chunk.done) last = chunk;
        return chunk.done;
      },
    );
    return last ?? this.stoppedEarly();
  }

  /** The embedding of `input`: how many numbers the model answers with, not the numbers. */
  async embed(
    name: string,
    input: string,
    cancellable: Gio.Cancellable | null = null,
  ): Promise<EmbedReply> {
    ModelName.parse(name);
    let reply = null as EmbedReply | null;
    // A stream of one line: waiting for the model to load has no deadline, as for generate.
    await this.stream('/api/embed', { model: name, input }, 'until-sent', cancellable, (json) => {
      reply = parseEmbedReply(json, this.host);
      return true;
    });
    return reply ?? this.stoppedEarly();
  }

  /** Cancels everything in flight and drops the connections. */
  close(): void {
    this.session.abort();
  }

  private stoppedEarly(): never {
    throw new NetworkError('reset', {
      host: this.host,
      message: fillTemplate(
        _('The answer from Ollama at {host} stopped before it finished. Try again.'),
        { host: this.host },
      ),
    });
  }

  /** Ollama's way to load and unload: a generate without a prompt, answered at once with one line. */
  private async emptyGenerate(
    name: string,
    keepAlive: KeepAlive | null,
    cancellable: Gio.Cancellable | null,
  ): Promise<void> {
    ModelName.parse(name);
    const body = keepAlive === null ? { model: name } : { model: name, keep_alive: keepAlive };
    let answered = false;
    await this.stream('/api/generate', body, 'until-sent', cancellable, (json) => {
      answered = parseGenerateChunk(json, this.host).done;
      return answered;
    });
    if (!answered) this.stoppedEarly();
  }

  private async fetchJson(
    method: string,
    path: string,
    body: unknown,
    cancellable: Gio.Cancellable | null,
    priority = GLib.PRIORITY_DEFAULT,
  ): Promise<unknown> {
    const reply = await this.exchange(method, path, body, cancellable, priority);
    this.checkStatus(reply);
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(reply.body));
    } catch {
      if (!OllamaClient.isJson(reply.contentType)) throw new NotOllamaError({ host: this.host });
      throw new MalformedReplyError(_('the reply is not JSON'), { host: this.host });
    }
    return json;
  }

  /**
   * One short request: send, read the whole reply, all under one deadline. The body is read
   * with a size limit (send_and_read_async has none), so a runaway server cannot fill memory.
   */
  private async exchange(
    method: string,
    path: string,
    body: unknown,
    cancellable: Gio.Cancellable | null,
    priority = GLib.PRIORITY_DEFAULT,
  ): Promise<Reply> {
    const guard = new RequestGuard(this.clock, this.timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const sent = await this.send(method, path, body, guard, priority);
      input = sent.input;
      const { message } = sent;
      const status = message.status_code;
      const limit = status >= 300 ? ERROR_BODY_LIMIT : REPLY_LIMIT;
      const replyBody = await readBounded(input, limit, guard.cancellable, priority);
      if (replyBody === null && status < 300)
        throw new MalformedReplyError(
          fillTemplate(_('the reply is larger than {limit} MiB'), { limit: REPLY_LIMIT / MIB }),
          { host: this.host },
        );
      return {
        status,
        contentType: OllamaClient.contentType(message),
        body: replyBody ?? new Uint8Array(0),
      };
    } catch (error) {
      throw guard.explain(error, this.host);
    } finally {
      guard.release();
      if (input) await OllamaClient.close(input, priority);
    }
  }

  /**
   * POSTs `body` and feeds the NDJSON reply, line by line, to `onLine` until it returns
   * true (then resolves true) or the stream ends (resolves false). `{"error"}` lines
   * become StreamError. The stream is closed on every way out.
   */
  private async stream(
    path: string,
    body: unknown,
    deadline: StreamDeadline,
    cancellable: Gio.Cancellable | null,
    onLine: (json: unknown) => boolean,
  ): Promise<boolean> {
    const guard = new RequestGuard(this.clock, this.timeoutSeconds, cancellable);
    let input: Gio.InputStream | null = null;
    try {
      const sent = await this.send('POST', path, body, guard, GLib.PRIORITY_DEFAULT, (message) => {
        if (deadline === 'until-sent') message.connect('wrote-body', () => guard.stopDeadline());
      });
      input = sent.input;
      const { message } = sent;
      guard.stopDeadline();
      const status = message.status_code;
      if (status >= 300) {
        const errorBody = await readBounded(input, ERROR_BODY_LIMIT, guard.cancellable);
        this.checkStatus({ status, contentType: '', body: errorBody ?? new Uint8Array(0) });
      }
      const contentType = OllamaClient.contentType(message);
      if (contentType !== '' && !OllamaClient.isJson(contentType))
        throw new NotOllamaError({ host: this.host });
      const reader = new NdjsonReader(input, { host: this.host });
      for (;;) {
        const lines = await reader.readLines(guard.cancellable);
        if (lines === null) return false;
        for (const line of lines) {
          let json: unknown;
          try {
            json = JSON.parse(line);
          } catch {
            throw new MalformedReplyError(
              fillTemplate(_('a line is not JSON: {line}'), { line: OllamaClient.excerpt(line) }),
              { host: this.host },
            );
          }
          const error = serverErrorText(json);
          if (error !== null) throw new StreamError(error, { host: this.host });
          if (onLine(json)) return true;
        }
      }
    } catch (error) {
      throw guard.explain(error, this.host);
    } finally {
      guard.release();
      if (input) await OllamaClient.close(input);
    }
  }

  /**
   * Sends a request and follows the redirects that stay on the server's own origin (scheme,
   * host and port). Soup is told to follow none itself: some versions of libsoup send the
   * Authorization header on to wherever a redirect points, and the key must never reach
   * another server. A redirect elsewhere, or one too many, is a RedirectError; any other
   * 3xx is left to checkStatus.
   */
  private async send(
    method: string,
    path: string,
    body: unknown,
    guard: RequestGuard,
    priority = GLib.PRIORITY_DEFAULT,
    prepare: (message: Soup.Message) => void = () => {},
  ): Promise<{ message: Soup.Message; input: Gio.InputStream }> {
    let uri = GLib.Uri.parse(this.baseUrl + path, GLib.UriFlags.NONE);
    for (let hops = 0; ; hops++) {
      const message = this.message(method, uri, body);
      prepare(message);
      const input = await this.session.send_async(message, priority, guard.cancellable);
      const status = message.status_code;
      const location = message.get_response_headers().get_one('Location');
      if (status < 300 || status >= 400 || location === null) return { message, input };
      await OllamaClient.close(input, priority);
      const target = OllamaClient.resolve(uri, location);
      if (
        target === null ||
        !OllamaClient.sameOrigin(uri, target) ||
        !FOLLOWED_REDIRECTS.includes(status)
      )
        throw new RedirectError({
          host: this.host,
          location: target === null ? location : OllamaClient.addressOf(target, path),
        });
      if (hops === MAX_REDIRECTS)
        throw new RedirectError({ host: this.host, location: null, hops: MAX_REDIRECTS });
      uri = target;
    }
  }

  /** A Location header against the address it answered, or null when it is no URL. */
  private static resolve(base: GLib.Uri, location: string): GLib.Uri | null {
    try {
      return base.parse_relative(location.trim(), GLib.UriFlags.NONE);
    } catch {
      return null;
    }
  }

  private static sameOrigin(a: GLib.Uri, b: GLib.Uri): boolean {
    const origin = urlOrigin(a.to_string());
    return origin !== null && origin === urlOrigin(b.to_string());
  }

  /** Where a redirect points, as the base address to use: without the API path asked for. */
  private static addressOf(target: GLib.Uri, path: string): string {
    const text = target.to_string();
    return target.get_query() === null && text.endsWith(path)
      ? text.slice(0, -path.length) || text
      : text;
  }

  /** Closing mid-body drops the connection, which is what ends a request on the server. */
  private static async close(
    input: Gio.InputStream,
    priority = GLib.PRIORITY_DEFAULT,
  ): Promise<void> {
    try {
      await input.close_async(priority, null);
    } catch {
      // Already closed or broken: either way it is closed now.
    }
  }

  /** Errors for 4xx and 5xx, and for a 3xx that was not followed (it is no answer). */
  private checkStatus(reply: Reply): void {
    if (reply.status < 300) return;
    let serverText: string | null = null;
    try {
      serverText = serverErrorText(JSON.parse(decoder.decode(reply.body)));
    } catch {
      // Not JSON (a proxy's HTML page): the status says enough.
    }
    throw new HttpError(reply.status, serverText, {
      host: this.host,
      apiKeySent: this.apiKey !== null,
    });
  }

  private message(method: string, uri: GLib.Uri, body: unknown): Soup.Message {
    const message = Soup.Message.new_from_uri(method, uri);
    message.add_flags(Soup.MessageFlags.NO_REDIRECT);
    const headers = message.get_request_headers();
    headers.replace('Accept', 'application/json, application/x-ndjson');
    if (this.apiKey !== null) headers.replace('Authorization', `Bearer ${this.apiKey}`);
    if (body !== undefined)
      message.set_request_body_from_bytes(
        'application/json',
        new GLib.Bytes(encoder.encode(JSON.stringify(body))),
      );
    return message;
  }

  private static parseBaseUrl(baseUrl: string): GLib.Uri {
    let uri: GLib.Uri;
    try {
      uri = GLib.Uri.parse(baseUrl, GLib.UriFlags.NONE);
    } catch {
      // not translated: a programming error, connections check their address first
      throw new TypeError(`“${baseUrl}” is not a URL`);
    }
    const scheme = uri.get_scheme().toLowerCase();
    if ((scheme !== 'http' && scheme !== 'https') || !uri.get_host())
      // not translated: a programming error, connections check their address first
      throw new TypeError(`“${baseUrl}” is not an http:// or https:// URL`);
    return uri;
  }

  private static contentType(message: Soup.Message): string {
    return (message.get_response_headers().get_one('Content-Type') ?? '').toLowerCase();
  }

  private static isJson(contentType: string): boolean {
    return contentType.includes('json');
  }

  private static excerpt(line: string): string {
    return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
  }
}
