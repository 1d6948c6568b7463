import { isRepoId } from './repo-id.js';
import type { GatedState, HubFile, HubRepo } from './types.js';

/** What one tree listing holds: files, and the folders to list next. */
export interface TreePage {
  files: HubFile[];
  folders: string[];
}

const MAX_PATH = 1024;
const MAX_TIME = 64;
// eslint-disable-next-line no-control-regex -- a path with control characters is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/**
 * `false`, `"auto"` or `"manual"`; anything else that is not false (an older `true`, a
 * new mode) counts as manual, so no pull is offered that would fail.
 */
function gated(value: unknown): GatedState {
  if (value === undefined || value === null || value === false) return false;
  return value === 'auto' ? 'auto' : 'manual';
}

/** One repository of a search or a model page; null when its id is not a repository id. */
export function parseRepo(value: unknown): HubRepo | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entry = value as Record<string, unknown>;
  const id = entry.id ?? entry.modelId;
  if (typeof id !== 'string' || !isRepoId(id)) return null;
  const owner = id.slice(0, id.indexOf('/'));
  const time = entry.lastModified;
  return {
    id,
    // The id's first part is the author; the Hub sends `author` only on request.
    author: typeof entry.author === 'string' && entry.author === owner ? entry.author : owner,
    downloads: count(entry.downloads),
    likes: count(entry.likes),
    lastModified:
      typeof time === 'string' && time.length <= MAX_TIME && TIME.test(time) ? time : null,
    gated: gated(entry.gated),
    private: entry.private === true,
  };
}

/** A search reply: the repositories with a usable id, in the Hub's order; null when it is not a list. */
export function parseSearch(value: unknown): HubRepo[] | null {
  if (!Array.isArray(value)) return null;
  return value.map(parseRepo).filter((repo): repo is HubRepo => repo !== null);
}

/**
 * One page of `/tree/main[/PATH]`: its files (the LFS object's size where there is one)
 * and folders. Entries with a path that is too long, has control characters, `..` or
 * does not lie under `folder` are skipped; null when the reply is not a list.
 */
export function parseTree(value: unknown, folder: string): TreePage | null {
  if (!Array.isArray(value)) return null;
  const page: TreePage = { files: [], folders: [] };
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, path, size, lfs } = item as Record<string, unknown>;
    if (
      typeof path !== 'string' ||
      path.length === 0 ||
      path.length > MAX_PATH ||
      CONTROL.test(path) ||
      !path.startsWith(prefix) ||
      path.split('/').some((part) => part === '' || part === '.' || part === '..')
    )
      continue;
    if (type === 'directory') page.folders.push(path);
    else if (type === 'file') {
      const lfsSize =
        typeof lfs === 'object' && lfs !== null ? (lfs as Record<string, unknown>).size : undefined;
      page.files.push({ path, size: lfsSize === undefined ? count(size) : count(lfsSize) });
    }
  }
  return page;
}
