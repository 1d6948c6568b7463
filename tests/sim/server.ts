import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { BlobStore } from './blob-store.js';
import { ControlApi } from './control-api.js';
import { FaultQueue } from './faults.js';
import { HubApi } from './hub-api.js';
import { JsonReply } from './json-reply.js';
import { OllamaApi, type Handler } from './ollama-api.js';
import { RegistryApi } from './registry-api.js';
import type { SimState } from './sim-state.js';
import type { FaultTarget } from './types.js';

const MAX_BODY = 16 * 1024 * 1024;

interface Route {
  target: FaultTarget;
  methods: Record<string, Handler>;
}

/**
 * The HTTP side: the Ollama routes (with the loopback Host check and the optional Bearer
 * token of a reverse proxy in front), the queued faults, the request log, and /__sim/.
 */
/** `/api/blobs/:digest` (only HEAD is simulated: whether the server has a blob). */
const BLOB_PATH = /^\/api\/blobs\/([^/]+)$/;

export class SimServer {
  private readonly http: Server;
  private readonly routes: Map<string, Route>;
  private readonly control: ControlApi;
  private readonly registry: RegistryApi;
  private readonly blobs: BlobStore;
  private readonly hub: HubApi;
  private readonly api: OllamaApi;
  private readonly inflight = new Set<ServerResponse>();

  constructor(
    private readonly state: SimState,
    /** Log every Ollama request to stderr (errors are logged regardless). */
    private readonly verbose: boolean,
  ) {
    const api = new OllamaApi(state);
    this.api = api;
    this.routes = new Map<string, Route>([
      ['/', { target: 'root', methods: { GET: api.root, HEAD: api.root } }],
      ['/api/version', { target: 'version', methods: { GET: api.version, HEAD: api.version } }],
      ['/api/tags', { target: 'tags', methods: { GET: api.tags, HEAD: api.tags } }],
      ['/api/show', { target: 'show', methods: { POST: api.show } }],
      ['/api/copy', { target: 'copy', methods: { POST: api.copy } }],
      ['/api/delete', { target: 'delete', methods: { DELETE: api.delete } }],
      ['/api/ps', { target: 'ps', methods: { GET: api.ps } }],
      ['/api/chat', { target: 'chat', methods: { POST: api.chat } }],
      ['/api/generate', { target: 'generate', methods: { POST: api.generate } }],
      ['/api/embed', { target: 'embed', methods: { POST: api.embed } }],
      ['/api/pull', { target: 'pull', methods: { POST: api.pull } }],
    ]);
    this.registry = new RegistryApi(state);
    this.blobs = new BlobStore(state);
    this.hub = new HubApi(state.hub);
    this.control = new ControlApi(state, () => this.cutInflight());
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        process.stderr.write(
          `sim: ${req.method} ${req.url} failed: ${(error as Error).stack ?? error}\n`,
        );
        if (!res.headersSent) new JsonReply(res).json(500, { error: String(error) });
        else res.destroy();
      });
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    this.cutInflight();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private cutInflight(): void {
    for (const res of this.inflight) res.destroy();
    this.inflight.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413).end();
      return;
    }
    if (url.pathname.startsWith('/__sim/')) {
      await this.control.handle(method, url, body, res);
      return;
    }
    const started = Date.now();
    res.once('close', () => {
      this.inflight.delete(res);
      if (!this.verbose) return;
      const status = res.headersSent ? res.statusCode : 'dropped';
      process.stderr.write(`sim: ${method} ${url.pathname} ${status} ${Date.now() - started} ms\n`);
    });
    this.inflight.add(res);
    const isHub = HubApi.owns(url.pathname);
    this.state.requests.push({
      method,
      // Hub requests keep their query: what was searched for matters.
      path: isHub ? `${url.pathname}${url.search}` : url.pathname,
      body: parseJson(body),
      authorization: req.headers.authorization ?? null,
      time: started,
    });
    const reply = new JsonReply(res);
    // Ollama bound to loopback refuses foreign Host headers (DNS rebinding).
    if (!allowedHost(req.headers.host ?? '')) {
      res.writeHead(403).end();
      return;
    }
    const token = this.state.config.token;
    if (token !== null && url.pathname.startsWith('/api/') && !hasBearer(req, token)) {
      await reply.json(401, { error: 'unauthorized' });
      return;
    }
    const registryBlob = BlobStore.registryDigest(url.pathname);
    const storedBlob = BlobStore.storeDigest(url.pathname);
    if ((registryBlob ?? storedBlob) !== null) {
      if (method !== 'GET' && method !== 'HEAD') {
        await reply.text(405, '405 method not allowed', 'text/plain');
        return;
      }
      if (registryBlob) await this.blobs.redirect(req, res, registryBlob);
      else if (storedBlob) await this.blobs.serve(req, res, storedBlob);
      return;
    }
    const manifest = RegistryApi.parsePath(url.pathname);
    const blob = BLOB_PATH.exec(url.pathname)?.[1];
    let route: Route | undefined = manifest
      ? { target: 'manifest', methods: { GET: this.registry.handler(manifest) } }
      : blob !== undefined
        ? { target: 'blobs', methods: { HEAD: this.api.headBlob(decodeURIComponent(blob)) } }
        : this.routes.get(url.pathname);
    if (isHub) {
      const hub = this.hub.handler(req, url);
      route = { target: 'hub', methods: { GET: hub, HEAD: hub } };
    }
    if (!route) {
      await reply.text(404, '404 page not found', 'text/plain');
      return;
    }
    const handler = route.methods[method];
    if (!handler) {
      await reply.text(405, '405 method not allowed', 'text/plain');
      return;
    }
    let fault = this.state.faults.take(route.target, manifest?.name ?? modelOf(body));
    if (fault?.kind === 'delay') {
      await reply.stall(fault.ms ?? 1000);
      if (reply.gone) return;
      fault = null;
    }
    switch (fault?.kind) {
      case 'http-500':
        return reply.json(500, { error: FaultQueue.errorMessage(fault, '') });
      case 'http-status': {
        const text =
          fault.body ?? JSON.stringify({ error: fault.message ?? `HTTP ${fault.status}` });
        return reply.text(
          fault.status ?? 500,
          text,
          parseJson(text) === null ? 'text/plain; charset=utf-8' : 'application/json',
        );
      }
      case 'redirect':
        reply.head(fault.status ?? 307, { Location: fault.location, 'Content-Length': 0 });
        return reply.end();
      case 'not-ollama':
        return reply.text(
          200,
          '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n',
          'text/html; charset=utf-8',
        );
      default:
        return handler(res, body, fault);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The model a request is about, for matching faults. */
function modelOf(body: string): string | null {
  const parsed = parseJson(body);
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { model, name, source } = parsed as Record<string, unknown>;
  for (const value of [model, name, source])
    if (typeof value === 'string' && value !== '') return value;
  return null;
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match !== null && match[1] === token;
}

/** Ollama's allowedHostsMiddleware for a server listening on loopback. */
function allowedHost(header: string): boolean {
  let host = header.toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) host = bracketed[1];
  else if (host.split(':').length === 2) host = host.split(':')[0];
  if (isIP(host)) return isLocalAddress(host);
  if (host === '' || host === 'localhost' || host === hostname().toLowerCase()) return true;
  return ['.localhost', '.local', '.internal'].some((tld) => host.endsWith(tld));
}

function isLocalAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  return ip === '::1' || ip === '::' || /^f[cd]/.test(ip) || /^::ffff:(127|10|192\.168)\./.test(ip);
}
