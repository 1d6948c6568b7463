import type { IncomingMessage, ServerResponse } from 'node:http';
import { GgufWriter } from './gguf-writer.js';
import type { HubFileData, HubRepoData } from './hub-data.js';
import type { HubState } from './hub-state.js';
import { JsonReply } from './json-reply.js';
import type { Handler } from './ollama-api.js';
import type { Fault } from './types.js';
import { sha256Hex } from './wire.js';

/** Where the Hub lives on the simulator's port: PADDOCK_HF_URL=http://127.0.0.1:PORT/hf */
export const HUB_PREFIX = '/hf';
const CDN = '/__cdn/';
/** Files larger than this are stored in LFS on the Hub (and so redirected to its storage). */
const LFS_MIN = 10 * 1024 * 1024;
const ZEROS = Buffer.alloc(64 * 1024);
const MAX_LIMIT = 1000;

const NOT_FOUND_PAGE = "Sorry, we can't find the page you are looking for.";
const RATE_LIMITED =
  'We had to rate limit you. To continue using our service, create a HF account or login to your existing account.';

// Defaults of /api/models entries when the request names no `expand` field.
const LIST_FIELDS = ['likes', 'private', 'downloads', 'tags', 'library_name', 'createdAt'];
const EXPANDABLE = new Set([...LIST_FIELDS, 'author', 'lastModified', 'gated', 'gguf', 'sha']);

/** GGUF's general.file_type of the common quants (llama.cpp's llama_ftype). */
const FILE_TYPES: Record<string, number> = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q8_0: 7,
  Q5_0: 8,
  Q2_K: 10,
  Q3_K_S: 11,
  Q3_K_M: 12,
  Q3_K_L: 13,
  Q4_K_S: 14,
  Q4_K_M: 15,
  Q5_K_S: 16,
  Q5_K_M: 17,
  Q6_K: 18,
  IQ2_M: 29,
  IQ3_M: 27,
  IQ4_XS: 30,
  BF16: 32,
  MXFP4: 38,
};

/**
 * The Hugging Face Hub's endpoints Paddock uses, under /hf: model search, a model's page,
 * its file tree (folders, pages), and file bytes (`resolve`, redirected to a storage path
 * that honours Range; GGUF files start with a real GGUF header). Gated repositories list
 * their files but refuse downloads; private and unknown ones answer 401 RepoNotFound, as
 * the Hub does for a client that is not signed in.
 */
export class HubApi {
  constructor(private readonly hub: HubState) {}

  static owns(path: string): boolean {
    return path === HUB_PREFIX || path.startsWith(`${HUB_PREFIX}/`);
  }

  /** The handler for one request under /hf. */
  handler(req: IncomingMessage, url: URL): Handler {
    return (res, _body, fault) => this.handle(req, url, res, fault);
  }

  private async handle(
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
    fault: Fault | null,
  ): Promise<void> {
    const reply = new JsonReply(res);
    const path = url.pathname.slice(HUB_PREFIX.length);
    if (this.hub.rateLimit) {
      const after = this.hub.rateLimit.retryAfter;
      if (after !== null) res.setHeader('Retry-After', String(after));
      return reply.json(429, { error: RATE_LIMITED }, fault);
    }
    if (path === '/api/models') return this.search(url, reply, fault);
    const model = /^\/api\/models\/([^/]+\/[^/]+)(?:\/tree\/([^/]+)(\/.*)?)?$/.exec(path);
    if (model) {
      const repo = this.visible(model[1]);
      if (!repo) return this.repoNotFound(reply, res, fault);
      if (model[2] === undefined) return reply.json(200, this.page(repo), fault);
      if (model[2] !== 'main')
        return this.error(
          reply,
          res,
          404,
          'RevisionNotFound',
          `Invalid rev id: ${model[2]}`,
          fault,
        );
      return this.tree(req, url, res, repo, decodePath(model[3] ?? ''), reply, fault);
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(path);
    if (resolve) {
      const repo = this.visible(resolve[1]);
      if (!repo) return this.repoNotFound(reply, res, fault);
      const file = repo.files.find((entry) => entry.path === decodePath(resolve[2]));
      if (!file) return this.error(reply, res, 404, 'EntryNotFound', 'Entry not found', fault);
      if (repo.gated !== false)
        return this.error(
          reply,
          res,
          401,
          'GatedRepo',
          `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
          fault,
        );
      if (file.size < LFS_MIN) return this.bytes(req, res, repo, file);
      res.setHeader('Location', `${HUB_PREFIX}${CDN}${repo.id}/${encodePath(file.path)}`);
      return reply.text(
        302,
        `Found. Redirecting to ${HUB_PREFIX}${CDN}…`,
        'text/plain; charset=utf-8',
      );
    }
    const stored = new RegExp(`^${CDN}([^/]+/[^/]+)/(.+)$`).exec(path);
    if (stored) {
      const repo = this.hub.find(stored[1]);
      const file = repo?.files.find((entry) => entry.path === decodePath(stored[2]));
      if (repo && file && !repo.private && repo.gated === false)
        return this.bytes(req, res, repo, file);
    }
    return reply.json(404, { error: NOT_FOUND_PAGE }, fault);
  }

  /** A repository anyone may see (not private), or undefined. */
  private visible(id: string): HubRepoData | undefined {
    const repo = this.hub.find(decodeURIComponent(id));
    return repo && !repo.private ? repo : undefined;
  }

  private repoNotFound(reply: JsonReply, res: ServerResponse, fault: Fault | null): Promise<void> {
    return this.error(reply, res, 401, 'RepoNotFound', 'Repository not found', fault);
  }

  private error(
    reply: JsonReply,
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    fault: Fault | null,
  ): Promise<void> {
    res.setHeader('X-Error-Code', code);
    res.setHeader('X-Error-Message', message);
    return reply.json(status, { error: message }, fault);
  }

  private search(url: URL, reply: JsonReply, fault: Fault | null): Promise<void> {
    const params = url.searchParams;
    const words = (params.get('search') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const filters = params.getAll('filter').flatMap((filter) => filter.split(','));
    const limit = Math.min(MAX_LIMIT, Number(params.get('limit') ?? MAX_LIMIT) || MAX_LIMIT);
    const expand = [...params.getAll('expand'), ...params.getAll('expand[]')];
    const unknown = expand.find((field) => !EXPANDABLE.has(field));
    if (unknown !== undefined)
      return reply.json(
        400,
        { error: `"expand" must be one of [${[...EXPANDABLE].join(', ')}]` },
        fault,
      );
    let repos = this.hub.repos.filter(
      (repo) =>
        !repo.private &&
        words.every((word) => repo.id.toLowerCase().includes(word)) &&
        filters.every((filter) => repo.tags.includes(filter)),
    );
    const sort = params.get('sort');
    if (sort === 'downloads' || sort === 'likes')
      repos = [...repos].sort((a, b) => b[sort] - a[sort]);
    else if (sort === 'lastModified')
      repos = [...repos].sort((a, b) => b.lastModified.localeCompare(a.lastModified));
    const fields = expand.length > 0 ? expand : LIST_FIELDS;
    return reply.json(
      200,
      repos.slice(0, limit).map((repo) => {
        const page = this.page(repo);
        const entry: Record<string, unknown> = { _id: page._id, id: repo.id };
        for (const field of fields) entry[field] = page[field];
        if (expand.length === 0) entry.modelId = repo.id;
        return entry;
      }),
      fault,
    );
  }

  /** `/api/models/ID`: the model's page, as the Hub's ModelInfo. */
  private page(repo: HubRepoData): Record<string, unknown> {
    return {
      _id: sha256Hex(repo.id).slice(0, 24),
      id: repo.id,
      modelId: repo.id,
      author: repo.id.slice(0, repo.id.indexOf('/')),
      sha: sha256Hex(`${repo.id}#main`).slice(0, 40),
      lastModified: repo.lastModified,
      private: repo.private,
      disabled: false,
      gated: repo.gated,
      downloads: repo.downloads,
      likes: repo.likes,
      tags: repo.tags,
      library_name: repo.tags.includes('transformers')
        ? 'transformers'
        : repo.tags.includes('gguf')
          ? 'gguf'
          : undefined,
      createdAt: repo.createdAt,
      ...(repo.arch
        ? {
            gguf: {
              total: repo.arch.parameters,
              architecture: repo.arch.name,
              context_length: repo.arch.context,
            },
          }
        : {}),
      siblings: repo.files.map((file) => ({ rfilename: file.path })),
    };
  }

  /** One folder of the tree, a page at a time (`?cursor=N`, announced by a Link header). */
  private tree(
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
    repo: HubRepoData,
    folder: string,
    reply: JsonReply,
    fault: Fault | null,
  ): Promise<void> {
    const prefix = folder === '' ? '' : `${folder}/`;
    const entries = new Map<string, Record<string, unknown>>();
    for (const file of repo.files) {
      if (!file.path.startsWith(prefix)) continue;
      const rest = file.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        const path = `${prefix}${rest.slice(0, slash)}`;
        entries.set(path, { type: 'directory', oid: sha256Hex(path).slice(0, 40), size: 0, path });
      } else entries.set(file.path, treeFile(file));
    }
    if (folder !== '' && entries.size === 0)
      return this.error(
        reply,
        res,
        404,
        'EntryNotFound',
        `${folder} does not exist on "main"`,
        fault,
      );
    const all = [...entries.values()];
    const start = Number(url.searchParams.get('cursor') ?? 0) || 0;
    const end = start + this.hub.pageSize;
    if (end < all.length)
      res.setHeader(
        'Link',
        `<http://${req.headers.host ?? '127.0.0.1'}${url.pathname}?cursor=${end}>; rel="next"`,
      );
    return reply.json(200, all.slice(start, end), fault);
  }

  /** A file's bytes, honouring one `Range: bytes=…`; GGUF files begin with their header. */
  private async bytes(
    req: IncomingMessage,
    res: ServerResponse,
    repo: HubRepoData,
    file: HubFileData,
  ): Promise<void> {
    const content = /\.gguf$/i.test(file.path)
      ? ggufBytes(repo, file)
      : Buffer.alloc(Math.min(file.size, LFS_MIN), 0x20);
    const total = file.size;
    let start = 0;
    let end = total - 1;
    let status = 200;
    const range = req.headers.range;
    if (range !== undefined) {
      const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      const from = match?.[1] ?? '';
      const to = match?.[2] ?? '';
      if (match && from !== '') {
        start = Number(from);
        end = to === '' ? total - 1 : Math.min(Number(to), total - 1);
      } else if (match && to !== '') {
        start = Math.max(0, total - Number(to));
      }
      if (!match || (from === '' && to === '') || start > end || start >= total) {
        res.writeHead(416, { 'Content-Range': `bytes */${total}`, 'Content-Length': 0 });
        res.end();
        return;
      }
      status = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${total}`);
    }
    res.writeHead(status, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': end - start + 1,
      'Accept-Ranges': 'bytes',
      ETag: `"${sha256Hex(`${repo.id}/${file.path}`)}"`,
    });
    for (let at = start; at <= end && !res.destroyed;) {
      const chunk =
        at < content.length
          ? content.subarray(at, Math.min(content.length, end + 1))
          : ZEROS.subarray(0, Math.min(ZEROS.length, end + 1 - at));
      at += chunk.length;
      if (!res.write(chunk))
        await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    res.end();
  }
}

function treeFile(file: HubFileData): Record<string, unknown> {
  const oid = sha256Hex(file.path).slice(0, 40);
  return file.size >= LFS_MIN
    ? {
        type: 'file',
        oid,
        size: file.size,
        lfs: { oid: sha256Hex(`${file.path}#lfs`), size: file.size, pointerSize: 135 },
        path: file.path,
      }
    : { type: 'file', oid, size: file.size, path: file.path };
}

function decodePath(path: string): string {
  return path.replace(/^\//, '').split('/').map(decodeURIComponent).join('/');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The header of a repository's GGUF file: its model's figures, the file's quant, its split. */
function ggufBytes(repo: HubRepoData, file: HubFileData): Buffer {
  const arch = repo.arch;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const writer = new GgufWriter()
    .string('general.architecture', arch?.name ?? 'llama')
    .string('general.name', repo.id.slice(repo.id.indexOf('/') + 1).replace(/-GGUF$/i, ''));
  const quant = /[-._]((?:UD-)?[\w]+?)(?:-\d{5}-of-\d{5})?\.gguf$/i
    .exec(name)?.[1]
    ?.replace(/^UD-/i, '')
    .toUpperCase();
  writer.u32('general.file_type', FILE_TYPES[quant ?? ''] ?? 15);
  if (arch)
    writer
      .u64('general.parameter_count', arch.parameters)
      .u32(`${arch.name}.context_length`, arch.context)
      .u32(`${arch.name}.embedding_length`, arch.embedding)
      .u32(`${arch.name}.block_count`, arch.blocks)
      .u32(`${arch.name}.attention.head_count`, arch.heads)
      .u32(`${arch.name}.attention.head_count_kv`, arch.kvHeads);
  const split = /-(\d{5})-of-(\d{5})\.gguf$/i.exec(name);
  if (split) writer.u32('split.no', Number(split[1]) - 1).u32('split.count', Number(split[2]));
  return writer.bytes();
}
