import { hubRepos, type HubFileData, type HubRepoData } from './hub-data.js';
import type { ModelName } from './model-name.js';
import { Registry } from './registry.js';
import { MEDIA_CONFIG, type RegistryModel } from './types.js';

/** Hosts whose `hf.co/ID:QUANT` names the Hub's Ollama endpoint serves. */
const HUB_HOSTS = new Set(['hf.co', 'huggingface.co']);
const SPLIT = /-\d{5}-of-(\d{5})\.gguf$/i;

// What Ollama reports when the Hub refuses a manifest (`pull model manifest: STATUS: BODY`).
const REFUSED = 'pull model manifest: 401: {"error":"Invalid username or password."}';
const NO_TAG =
  'pull model manifest: 400: {"error":"The specified tag is not available in the repository. Please use another tag or \\"latest\\""}';
const SHARDED =
  'pull model manifest: 400: {"error":"The specified tag is a sharded GGUF. Ollama does not support this yet. Please use another tag or \\"latest\\". Follow this issue for more info: https://github.com/ollama/ollama/issues/5245"}';
const RATE_LIMITED =
  'pull model manifest: 429: {"error":"We had to rate limit you. To continue using our service, create a HF account or login to your existing account."}';

/** The simulated Hugging Face Hub: its repositories, and a rate limit to switch on. */
export class HubState {
  repos: HubRepoData[] = hubRepos();
  /** While set, every Hub request (and hf.co pull) is answered 429, with Retry-After unless null. */
  rateLimit: { retryAfter: number | string | null } | null = null;
  /** Entries a tree listing sends before a `Link: …; rel="next"` page (the Hub: 1000). */
  pageSize = 1000;

  reset(): void {
    this.repos = hubRepos();
    this.rateLimit = null;
    this.pageSize = 1000;
  }

  /** A repository by id, case-insensitively as the Hub does. */
  find(id: string): HubRepoData | undefined {
    const wanted = id.toLowerCase();
    return this.repos.find((repo) => repo.id.toLowerCase() === wanted);
  }

  /** Adds or replaces repositories (by id). */
  add(repos: HubRepoData[]): void {
    for (const repo of repos) {
      const index = this.repos.findIndex(
        (known) => known.id.toLowerCase() === repo.id.toLowerCase(),
      );
      if (index >= 0) this.repos[index] = repo;
      else this.repos.push(repo);
    }
  }

  static isHubName(name: ModelName): boolean {
    return HUB_HOSTS.has(name.host.toLowerCase());
  }

  /**
   * What the Hub's Ollama endpoint gives for `hf.co/ID:TAG`: a manifest (the quant's file
   * as the weights, and a config blob), or the error Ollama then reports. The tag is the
   * quant as the file names spell it, any case; `latest` is Q4_K_M, else the first GGUF.
   */
  pull(name: ModelName): RegistryModel | string {
    if (this.rateLimit) return RATE_LIMITED;
    const repo = this.find(`${name.namespace}/${name.model}`);
    // Signed out, the Hub tells private, gated and missing repositories apart from none.
    if (!repo || repo.private || repo.gated !== false) return REFUSED;
    const file = HubState.fileForTag(repo.files, name.tag);
    if (file === null) return NO_TAG;
    if (SPLIT.test(file.path)) return SHARDED;
    return Registry.fromInput(
      {
        name: `${name.host}/${repo.id}:${name.tag}`,
        layers: [{ size: file.size }, { size: 561, mediaType: MEDIA_CONFIG }],
        details: {
          family: repo.arch?.name ?? 'llama',
          families: [repo.arch?.name ?? 'llama'],
          parameter_size: repo.arch ? `${(repo.arch.parameters / 1e9).toFixed(1)}B` : '',
          quantization_level: HubState.quantOf(file.path) ?? name.tag.toUpperCase(),
        },
      },
      'hub',
    );
  }

  /** The GGUF weights file a tag names, or null. */
  static fileForTag(files: HubFileData[], tag: string): HubFileData | null {
    const weights = files.filter(
      (file) => /\.gguf$/i.test(file.path) && !/mmproj|imatrix/i.test(file.path),
    );
    const matching = (quant: string) =>
      weights.filter((file) => HubState.quantOf(file.path)?.toUpperCase() === quant.toUpperCase());
    const found =
      tag.toLowerCase() === 'latest'
        ? (matching('Q4_K_M')[0] ?? weights[0])
        : (matching(tag).find((file) => !SPLIT.test(file.path)) ?? matching(tag)[0]);
    return found ?? null;
  }

  /** The quant at the end of a GGUF file's name, as written. */
  static quantOf(path: string): string | null {
    const stem = path
      .slice(path.lastIndexOf('/') + 1)
      .replace(SPLIT, '')
      .replace(/\.gguf$/i, '');
    return (
      /[-._]((?:UD-)?(?:[IT]?Q\d(?:_[A-Za-z0-9]+)*|B?FP?(?:16|32)|MXFP4))$/i.exec(stem)?.[1] ?? null
    );
  }

  /** Checks control-API input; throws with a message for the caller. */
  static fromInput(input: unknown, where: string): HubRepoData {
    if (typeof input !== 'object' || input === null) throw new Error(`${where}: not an object`);
    const spec = input as Record<string, unknown>;
    if (typeof spec.id !== 'string' || spec.id === '')
      throw new Error(`${where}.id: must be a string`);
    const whole = (key: string, fallback: number) => {
      const value = spec[key] ?? fallback;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
        throw new Error(`${where}.${key}: must be a whole number`);
      return value;
    };
    if (!Array.isArray(spec.files)) throw new Error(`${where}.files: must be an array`);
    const files = spec.files.map((raw, index) => {
      const file = raw as Record<string, unknown> | null;
      if (typeof file?.path !== 'string' || typeof file.size !== 'number')
        throw new Error(`${where}.files[${index}]: needs a path and a size`);
      return { path: file.path, size: file.size };
    });
    const gated = spec.gated ?? false;
    if (gated !== false && gated !== 'auto' && gated !== 'manual')
      throw new Error(`${where}.gated: must be false, "auto" or "manual"`);
    return {
      id: spec.id,
      downloads: whole('downloads', 0),
      likes: whole('likes', 0),
      lastModified:
        typeof spec.lastModified === 'string' ? spec.lastModified : '2025-01-01T00:00:00.000Z',
      createdAt: typeof spec.createdAt === 'string' ? spec.createdAt : '2025-01-01T00:00:00.000Z',
      gated,
      private: spec.private === true,
      tags: Array.isArray(spec.tags)
        ? spec.tags.filter((tag) => typeof tag === 'string')
        : ['gguf'],
      arch: null,
      files,
    };
  }
}
