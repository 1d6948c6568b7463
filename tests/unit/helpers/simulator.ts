import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Soup from 'gi://Soup?version=3.0';

Gio._promisify(Gio.DataInputStream.prototype, 'read_line_async', 'read_line_finish');
Gio._promisify(Gio.OutputStream.prototype, 'close_async', 'close_finish');
Gio._promisify(Gio.Subprocess.prototype, 'wait_async', 'wait_finish');
Gio._promisify(Soup.Session.prototype, 'send_and_read_async', 'send_and_read_finish');

const SIGTERM = 15;

export interface SimulatorOptions {
  /** Bearer-protected mode: every /api request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Start with the demo models installed and the demo registry. */
  demo?: boolean;
  /** More command-line arguments for the simulator. */
  args?: string[];
}

export interface SimLayer {
  size: number;
  mediaType?: string;
  digest?: string;
}

export interface SimModel {
  name: string;
  layers: SimLayer[];
  details?: Record<string, unknown>;
  capabilities?: string[];
}

export interface SimConfig {
  tickMs: number;
  bytesPerTick: number;
  token: string | null;
  stepMs: number;
  version: string;
  registryLatencyMs: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
  time: number;
}

export interface SimStateInfo {
  installed: string[];
  partials: Record<string, number>;
  activePulls: number;
  peakPullsPerModel: Record<string, number>;
  downloads: Record<string, { completed: number; total: number; waiters: number }>;
  peakManifestRequests: number;
  blobRedirects: number;
  blobReads: number;
  blobBytes: number;
}

export interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (for malformed bodies). */
  raw?: string;
  headers?: Record<string, string>;
  /** Answer a redirect with the redirect itself instead of following it. */
  noRedirect?: boolean;
}

/** A whole response. */
export interface SimResponse {
  status: number;
  contentType: string | null;
  header(name: string): string | null;
  text: string;
  /** The body as sent. */
  bytes: Uint8Array;
  /** The body's non-empty lines, each parsed as JSON. */
  json(): unknown;
  lines(): unknown[];
}

/** A response read line by line, as it arrives. */
export interface SimLineStream {
  status: number;
  contentType: string | null;
  /** The next line without its newline, or null at the end of the body. */
  readLine(): Promise<string | null>;
  /** Gives up on the response, closing the connection (how Ollama clients cancel). */
  close(): Promise<void>;
}

/**
 * The Ollama simulator (tests/sim) in a child process, for specs: it listens on a free
 * loopback port and stops when stop() is called or this process dies (its stdin closes).
 */
export class Simulator {
  // Soup queues requests beyond its per-host connection limit (2 by default): control calls
  // get their own session so they never wait behind open streams.
  private readonly session = new Soup.Session({ max_conns: 64, max_conns_per_host: 32 });
  private readonly controlSession = new Soup.Session();
  private stopped = false;

  private constructor(
    private readonly process: Gio.Subprocess,
    private readonly stdout: Gio.DataInputStream,
    readonly url: string,
  ) {}

  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const script = GLib.getenv('PADDOCK_SIMULATOR');
    if (!script)
      throw new Error('PADDOCK_SIMULATOR is not set: run the specs with tests/run-all.sh');
    const argv = ['node', script, '--port', '0', '--quiet'];
    if (options.token !== undefined) argv.push('--token', options.token);
    if (options.demo) argv.push('--demo');
    argv.push(...(options.args ?? []));
    // Our end of its stdin stays open for its whole life: when we die, it follows.
    const process = Gio.Subprocess.new(
      argv,
      Gio.SubprocessFlags.STDIN_PIPE |
        Gio.SubprocessFlags.STDOUT_PIPE |
        Gio.SubprocessFlags.STDERR_PIPE,
    );
    const stdout = new Gio.DataInputStream({
      base_stream: process.get_stdout_pipe() as Gio.InputStream,
      close_base_stream: true,
    });
    const stderr = new Gio.DataInputStream({
      base_stream: process.get_stderr_pipe() as Gio.InputStream,
      close_base_stream: true,
    });
    const [bytes] = await stdout.read_line_async(GLib.PRIORITY_DEFAULT, null);
    const line = bytes ? new TextDecoder().decode(bytes) : '';
    const match = /^listening on (http:\/\/\S+)$/.exec(line);
    if (!match) {
      process.force_exit();
      await process.wait_async(null);
      const why = (await Simulator.readLines(stderr)).join('\n');
      throw new Error(`the simulator did not start (first line: ${JSON.stringify(line)}): ${why}`);
    }
    // Its complaints (errors only, with --quiet) still reach the test output.
    void Simulator.readLines(stderr, (text) => printerr(`simulator: ${text}`));
    return new Simulator(process, stdout, match[1]);
  }

  /** Reads a pipe to its end, handing each line on (or collecting them). */
  private static async readLines(
    stream: Gio.DataInputStream,
    each?: (line: string) => void,
  ): Promise<string[]> {
    const lines: string[] = [];
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const [bytes] = await stream.read_line_async(GLib.PRIORITY_DEFAULT, null);
        if (bytes === null) break;
        const text = decoder.decode(bytes);
        if (each) each(text);
        else lines.push(text);
      }
    } finally {
      await stream.close_async(GLib.PRIORITY_DEFAULT, null);
    }
    return lines;
  }

  /** A control call to /__sim/<path>; throws on an HTTP error. */
  async control<T = unknown>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const endpoint = path.startsWith('/__sim/') ? path : `/__sim/${path.replace(/^\/+/, '')}`;
    const options = body === undefined ? {} : { json: body };
    const response = await this.send(this.controlSession, method, endpoint, options);
    if (response.status !== 200) {
      throw new Error(`simulator ${method} ${endpoint}: HTTP ${response.status} ${response.text}`);
    }
    return response.json() as T;
  }

  async reset(): Promise<void> {
    await this.control('POST', 'reset');
  }

  /** Merges into the live config, e.g. `{tickMs: 2, bytesPerTick: 1e9}` for fast pulls. */
  async configure(config: Partial<SimConfig>): Promise<SimConfig> {
    return this.control<SimConfig>('POST', 'config', config);
  }

  /** Adds (or replaces) models the registry can serve. */
  async addModels(models: SimModel[]): Promise<void> {
    await this.control('POST', 'registry', { models });
  }

  /** A new version of a registry model; returns the digest its manifest now has. */
  async publish(name: string): Promise<string> {
    const { digest } = await this.control<{ digest: string }>('POST', 'publish', { name });
    return digest;
  }

  /** Replaces the installed models: /api/tags entries, or just `{name, size}`. */
  async setInstalled(models: Record<string, unknown>[]): Promise<void> {
    await this.control('POST', 'installed', { models });
  }

  /** The part (0–1) of every loaded model's memory that /api/ps puts on the GPU. */
  async setGpuShare(share: number): Promise<void> {
    await this.control('POST', 'gpu', { share });
  }

  async setFaults(faults: object[]): Promise<void> {
    await this.control('POST', 'faults', { faults });
  }

  async requests(): Promise<LoggedRequest[]> {
    const { requests } = await this.control<{ requests: LoggedRequest[] }>('GET', 'requests');
    return requests;
  }

  /** The server's state; with `activePulls`, waits (up to 5 s) until that many pulls run. */
  async state(activePulls?: number): Promise<SimStateInfo> {
    const query = activePulls === undefined ? '' : `?activePulls=${activePulls}`;
    return this.control<SimStateInfo>('GET', `state${query}`);
  }

  /** Any request to the simulator, read to the end. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<SimResponse> {
    return this.send(this.session, method, path, options);
  }

  /** A request whose response is read line by line and can be abandoned midway. */
  async openStream(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<SimLineStream> {
    const message = this.message(method, path, options);
    const cancellable = new Gio.Cancellable();
    const body = await this.session.send_async(message, GLib.PRIORITY_DEFAULT, cancellable);
    const lines = new Gio.DataInputStream({ base_stream: body, close_base_stream: true });
    const decoder = new TextDecoder();
    let reading: Promise<unknown> = Promise.resolve();
    return {
      status: message.status_code as number,
      contentType: message.get_response_headers().get_one('Content-Type'),
      async readLine() {
        const read = lines.read_line_async(GLib.PRIORITY_DEFAULT, cancellable);
        reading = read.catch(() => null);
        const [bytes] = await read;
        return bytes === null ? null : decoder.decode(bytes);
      },
      async close() {
        cancellable.cancel();
        // A stream with a read in flight refuses to close: let the cancelled read end first.
        await reading;
        try {
          await lines.close_async(GLib.PRIORITY_DEFAULT, null);
        } catch {
          // Already broken or closed: either way the connection is gone.
        }
      },
    };
  }

  /** SIGTERM, then waits for the process to end. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.session.abort();
    this.controlSession.abort();
    this.process.send_signal(SIGTERM);
    await this.process.wait_async(null);
    await this.stdout.close_async(GLib.PRIORITY_DEFAULT, null);
    await this.process.get_stdin_pipe()?.close_async(GLib.PRIORITY_DEFAULT, null);
  }

  private message(method: string, path: string, options: RequestOptions): Soup.Message {
    // A full address (the blob store a redirect names) or a path on the simulator.
    const message = Soup.Message.new(method, /^https?:/.test(path) ? path : `${this.url}${path}`);
    if (!message) throw new Error(`bad simulator path ${path}`);
    if (options.noRedirect) message.add_flags(Soup.MessageFlags.NO_REDIRECT);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      message.get_request_headers().replace(name, value);
    }
    const body =
      options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
    if (body !== undefined) {
      const bytes = new GLib.Bytes(new TextEncoder().encode(body));
      message.set_request_body_from_bytes('application/json', bytes);
    }
    return message;
  }

  private async send(
    session: Soup.Session,
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<SimResponse> {
    const message = this.message(method, path, options);
    const bytes = await session.send_and_read_async(message, GLib.PRIORITY_DEFAULT, null);
    const data = bytes.get_data() ?? new Uint8Array();
    const text = new TextDecoder().decode(data);
    const headers = message.get_response_headers();
    const lines = (): unknown[] =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown);
    return {
      status: message.status_code as number,
      contentType: headers.get_one('Content-Type'),
      header: (name) => headers.get_one(name),
      text,
      bytes: data,
      json: () => JSON.parse(text) as unknown,
      lines,
    };
  }
}

/**
 * One simulator for the surrounding describe block: started before its first spec,
 * stopped after its last. Call the returned function for it.
 */
export function useSimulator(options?: SimulatorOptions): () => Simulator {
  let sim: Simulator | null = null;
  beforeAll(async () => {
    sim = await Simulator.start(options);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  return () => sim!;
}
