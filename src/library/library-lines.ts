import type { InstalledModel } from '../ollama/types.js';
import type { ServerState } from './model-library.js';
import { searchKey } from '../util/search-rank.js';
import { modelKeys, searchModels, type LastUsed, type ModelSort } from './model-search.js';

/**
 * What a server's heading says below its name: its models are being listed, could not be
 * listed, are none, are all hidden by the search, or follow.
 */
export type ServerStatus = 'loading' | 'error' | 'empty' | 'no-match' | 'models';

/** A server's heading in the library. */
export interface ServerLine {
  readonly kind: 'server';
  readonly connectionId: string;
  readonly status: ServerStatus;
  /** The reason, when the status is 'error'. */
  readonly error: string | null;
  /** The server's models: a new list is a new line (its totals changed). */
  readonly models: readonly InstalledModel[];
}

/** One installed model, under its server's heading. */
export interface ModelLine {
  readonly kind: 'model';
  readonly connectionId: string;
  readonly model: InstalledModel;
}

export type LibraryLine = ServerLine | ModelLine;

/** One server's models in the view's order, and a line for each. */
interface Ordered {
  models: readonly InstalledModel[];
  sort: ModelSort;
  /** The lastUsed version the 'used' order was worked out with. */
  usedVersion: number;
  lines: ModelLine[];
  /** Each line's search keys: name, then family, size and quantisation (one string). */
  names: string[];
  details: string[];
}

/** One server's models that matched the last search. */
interface Matched {
  /** The search's key (searchKey()). */
  key: string;
  order: Ordered;
  /** Where the matches are in the order. */
  indices: number[];
}

/**
 * The library as one list of lines, each server's heading followed by its models that
 * match the search, in the view's order. Lines keep their identity while their content
 * does (the same model, the same heading), so that a view can tell by identity which
 * lines it draws already; a keystroke only filters the orders worked out before.
 */
export class LibraryLines {
  #query = '';
  #sort: ModelSort = 'name';
  #usedVersion = 0;
  readonly #ordered = new Map<string, Ordered>();
  readonly #headings = new Map<string, ServerLine>();
  readonly #matched = new Map<string, Matched>();

  constructor(private readonly lastUsed: LastUsed = () => null) {}

  get query(): string {
    return this.#query;
  }

  get sort(): ModelSort {
    return this.#sort;
  }

  setQuery(query: string): void {
    this.#query = query;
  }

  setSort(sort: ModelSort): void {
    this.#sort = sort;
  }

  /** When models were last used changed: the 'used' order is worked out again. */
  usageChanged(): void {
    this.#usedVersion++;
  }

  /** The lines of these servers (in their order), as the search and order say now. */
  lines(servers: readonly ServerState[]): LibraryLine[] {
    const key = searchKey(this.#query);
    const lines: LibraryLine[] = [];
    for (const server of servers) {
      const status = serverStatus(server);
      const heading = lines.push(this.#heading(server, status)) - 1;
      if (status !== 'models') continue;
      const order = this.#order(server);
      if (key === '') {
        for (const line of order.lines) lines.push(line);
        this.#matched.delete(server.connectionId);
        continue;
      }
      // A search that holds the last one can only narrow it: its matches are looked at.
      // A name, family, size or quantisation holding the query matches (as modelMatcher()).
      const last = this.#matched.get(server.connectionId);
      const narrowing = last?.order === order && key.includes(last.key);
      const { names, details } = order;
      const indices: number[] = [];
      const consider = (index: number) => {
        if (names[index].includes(key) || details[index].includes(key)) {
          indices.push(index);
          lines.push(order.lines[index]);
        }
      };
      if (narrowing) for (const index of last.indices) consider(index);
      else for (let index = 0; index < names.length; index++) consider(index);
      this.#matched.set(server.connectionId, { key, order, indices });
      if (indices.length === 0) lines[heading] = this.#heading(server, 'no-match');
    }
    this.#forgetOthers(servers);
    return lines;
  }

  #heading(server: ServerState, status: ServerStatus): ServerLine {
    const error = status === 'error' ? server.error : null;
    const known = this.#headings.get(server.connectionId);
    if (known?.status === status && known.error === error && known.models === server.models)
      return known;
    const line: ServerLine = {
      kind: 'server',
      connectionId: server.connectionId,
      status,
      error,
      models: server.models,
    };
    this.#headings.set(server.connectionId, line);
    return line;
  }

  #order(server: ServerState): Ordered {
    const known = this.#ordered.get(server.connectionId);
    if (
      known?.models === server.models &&
      known.sort === this.#sort &&
      (this.#sort !== 'used' || known.usedVersion === this.#usedVersion)
    )
      return known;
    // Lines of models still listed are kept: a view keeps drawing them as they are.
    const before = new Map(known?.lines.map((line) => [line.model, line]));
    const connectionId = server.connectionId;
    const ordered = searchModels(
      server.models.map((model) => ({ connectionId, model })),
      '',
      this.#sort,
      this.lastUsed,
    );
    const order: Ordered = {
      models: server.models,
      sort: this.#sort,
      usedVersion: this.#usedVersion,
      lines: ordered.map(
        ({ model }) => before.get(model) ?? { kind: 'model', connectionId, model },
      ),
      names: ordered.map(({ model }) => modelKeys(model).name),
      details: ordered.map(({ model }) => modelKeys(model).details),
    };
    this.#ordered.set(connectionId, order);
    return order;
  }

  #forgetOthers(servers: readonly ServerState[]): void {
    if (this.#headings.size <= servers.length) return;
    const ids = new Set(servers.map((server) => server.connectionId));
    for (const map of [this.#ordered, this.#headings, this.#matched])
      for (const id of map.keys()) if (!ids.has(id)) map.delete(id);
  }
}

/** What a view says of a server in this state, before any search. */
export function serverStatus(server: ServerState): Exclude<ServerStatus, 'no-match'> {
  if (server.error !== null && !server.loading) return 'error';
  // A list saved last time shows until the server answers.
  if (server.refreshedAt === null && server.restoredAt === null) return 'loading';
  if (server.loading && server.error !== null) return 'loading';
  return server.models.length === 0 ? 'empty' : 'models';
}
