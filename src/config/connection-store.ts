import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import { gettext as _ } from 'gettext';

import {
  DEFAULT_OLLAMA_URL,
  isLoopbackUrl,
  parseOllamaHost,
  urlHost,
  validateServerUrl,
} from '../ollama/ollama-host.js';
import { systemClock, type Clock } from '../util/clock.js';
import { errorText, JsonFileError } from '../util/errors.js';
import { JsonFile } from '../util/json-file.js';
import { fillTemplate } from '../util/text.js';
import {
  cleanConnectionName,
  isContextLength,
  isMemorySize,
  MAX_CONTEXT_LENGTH,
  parseConnections,
  toConnectionsFile,
  type Connection,
  type ConnectionsFileCheck,
} from './connection.js';
import { ConnectionItem } from './connection-item.js';
import { ConnectionStoreError, KeyringError } from './errors.js';
import type { SecretStore } from './secret-store.js';

const FILE_NAME = 'connections.json';
/** Thousands of connections fit; a larger file is not one Paddock wrote. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface ConnectionStoreOptions {
  /** The folder of connections.json, e.g. ~/.config/paddock. */
  configDir: Gio.File;
  secrets: SecretStore;
  /** Reads an environment variable (OLLAMA_HOST); GLib.getenv unless a test passes its own. */
  environment?: (name: string) => string | null;
  /** For the name of a file set aside. */
  clock?: Clock;
}

export interface NewConnection {
  name: string;
  url: string;
  /** Empty or null: no key. */
  apiKey?: string | null;
  /** The server's system memory in bytes, as the user knows it; null or absent: not entered. */
  ramBytes?: number | null;
  /** The server's GPU memory in bytes. */
  gpuBytes?: number | null;
  /** The context length its models run with, in tokens; null or absent: the server's default. */
  contextLength?: number | null;
}

export interface ConnectionChanges {
  name?: string;
  url?: string;
  /** Undefined keeps the key; empty or null removes it; text replaces it. */
  apiKey?: string | null;
  /** Undefined keeps the figure; null removes it; bytes replace it. */
  ramBytes?: number | null;
  gpuBytes?: number | null;
  contextLength?: number | null;
}

export interface LoadResult {
  /** What went wrong with the saved connections and what Paddock did about it, for the user. */
  problem: string | null;
}

function keyLabel(name: string): string {
  return fillTemplate(_('Paddock API key for {name}'), { name });
}

function cleanKey(key: string | null | undefined): string | null {
  const trimmed = key?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Undefined for no figure; a ConnectionStoreError for one that is no size. */
function checkMemory(bytes: number | null | undefined): number | undefined {
  if (bytes === null || bytes === undefined) return undefined;
  if (!isMemorySize(bytes))
    throw new ConnectionStoreError(_('A memory size must be a number of bytes above zero.'));
  return bytes;
}

/** Undefined for no context length; a ConnectionStoreError for one that is no count of tokens. */
function checkContextLength(tokens: number | null | undefined): number | undefined {
  if (tokens === null || tokens === undefined) return undefined;
  if (!isContextLength(tokens))
    throw new ConnectionStoreError(
      fillTemplate(_('A context length must be a whole number of tokens from 1 to {max}.'), {
        max: MAX_CONTEXT_LENGTH,
      }),
    );
  return tokens;
}

/**
 * A connection with the memory figures and context length of `changes` (each kept when
 * undefined there).
 */
function withMemory(
  connection: Connection,
  changes: { ramBytes?: number | null; gpuBytes?: number | null; contextLength?: number | null },
): Connection {
  const { ramBytes: oldRam, gpuBytes: oldGpu, contextLength: oldContext, ...rest } = connection;
  const ramBytes = changes.ramBytes === undefined ? oldRam : checkMemory(changes.ramBytes);
  const gpuBytes = changes.gpuBytes === undefined ? oldGpu : checkMemory(changes.gpuBytes);
  const contextLength =
    changes.contextLength === undefined ? oldContext : checkContextLength(changes.contextLength);
  return {
    ...rest,
    ...(ramBytes === undefined ? {} : { ramBytes }),
    ...(gpuBytes === undefined ? {} : { gpuBytes }),
    ...(contextLength === undefined ? {} : { contextLength }),
  };
}

function checkUrl(url: string): string {
  const check = validateServerUrl(url);
  if ('error' in check) throw new ConnectionStoreError(check.error);
  return check.url;
}

/**
 * The Ollama servers Paddock knows, kept in `<configDir>/connections.json` with their API
 * keys in a SecretStore (the file only says which have one, so that the others never need
 * the keyring). `model` lists a ConnectionItem per server for
 * widgets to bind to; `changed` is emitted after every change, a change of key included.
 *
 * Rules: when there are connections, exactly one is the default. Names are trimmed, not
 * empty, and unique ignoring case: add() and update() refuse a name that is taken (the UI
 * can ask validateName() first); only duplicates found in the file are renamed "Name (2)".
 * Every change is saved atomically before the model changes, and changes run one at a time
 * in the order they were asked for; a change that cannot be saved rejects with a
 * ConnectionStoreError and leaves both the file and the model as they were.
 */
export class ConnectionStore extends GObject.Object {
  static {
    GObject.registerClass({ GTypeName: 'PaddockConnectionStore', Signals: { changed: {} } }, this);
  }

  readonly model: Gio.ListStore<ConnectionItem>;
  readonly #json: JsonFile;
  readonly #secrets: SecretStore;
  readonly #environment: (name: string) => string | null;
  #loaded = false;
  /** Why the file must not be written (it could not be read, or not backed up). */
  #doNotWrite: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #items: ConnectionItem[] | null = null;

  constructor(options: ConnectionStoreOptions) {
    super();
    this.#json = new JsonFile(options.configDir.get_child(FILE_NAME), {
      maxBytes: MAX_FILE_BYTES,
      clock: options.clock ?? systemClock,
    });
    this.#secrets = options.secrets;
    this.#environment = options.environment ?? ((name) => GLib.getenv(name));
    this.model = new Gio.ListStore({ item_type: ConnectionItem.$gtype });
    this.model.connect('items-changed', () => (this.#items = null));
  }

  /**
   * Reads the saved connections. Never rejects: whatever is wrong with the file, Paddock
   * starts with usable connections, loses nothing (a file it has to change or give up is
   * first set aside as connections.json.corrupt-<time>) and says what happened.
   * Without a file (first start) there is one connection: OLLAMA_HOST's server if set,
   * else http://127.0.0.1:11434.
   */
  load(): Promise<LoadResult> {
    return this.#exclusive(async () => {
      const problems: string[] = [];
      const connections = await this.#read(problems);
      this.model.splice(
        0,
        this.model.get_n_items(),
        connections.map((connection) => new ConnectionItem(connection)),
      );
      this.#loaded = true;
      this.emit('changed');
      return { problem: problems.length > 0 ? problems.join('\n') : null };
    });
  }

  /** connections.json. */
  get file(): Gio.File {
    return this.#json.file;
  }

  list(): ConnectionItem[] {
    return [...this.#list()];
  }

  get(id: string): ConnectionItem | null {
    return this.#list().find((item) => item.id === id) ?? null;
  }

  /** The model's items, read once after each change (views ask at every keystroke). */
  #list(): readonly ConnectionItem[] {
    if (!this.#items) {
      const items: ConnectionItem[] = [];
      for (let i = 0; i < this.model.get_n_items(); i++) items.push(this.model.get_item(i)!);
      this.#items = items;
    }
    return this.#items;
  }

  getDefault(): ConnectionItem | null {
    return this.list().find((item) => item.isDefault) ?? null;
  }

  /**
   * The connection's API key, or null when it has none: then without asking the keyring.
   * Rejects with a KeyringError, naming the connection, when the keyring fails.
   */
  async getApiKey(id: string, cancellable: Gio.Cancellable | null = null): Promise<string | null> {
    const item = this.get(id);
    if (!item || item.hasApiKey === false) return null;
    let key: string | null;
    try {
      key = await this.#secrets.lookup(id, cancellable);
    } catch (error) {
      throw KeyringError.from(item.name, error);
    }
    if (item.hasApiKey === undefined) await this.#noteKey(id, key !== null);
    return key;
  }

  /** Why the name cannot be used (empty, or taken by a connection other than exceptId), or null. */
  validateName(name: string, exceptId: string | null = null): string | null {
    const clean = cleanConnectionName(name);
    if (clean === '') return _('Enter a name for the connection.');
    const key = clean.toLocaleLowerCase();
    const taken = this.list().some(
      (item) => item.id !== exceptId && item.name.toLocaleLowerCase() === key,
    );
    return taken
      ? fillTemplate(_('There already is a connection named “{name}”.'), { name: clean })
      : null;
  }

  /** Adds a connection; the first one becomes the default. Resolves to its item. */
  add(details: NewConnection): Promise<ConnectionItem> {
    return this.#exclusive(async () => {
      this.#checkLoaded();
      const apiKey = cleanKey(details.apiKey);
      const connection: Connection = withMemory(
        {
          id: GLib.uuid_string_random(),
          name: this.#checkName(details.name, null),
          url: checkUrl(details.url),
          isDefault: this.model.get_n_items() === 0,
          hasApiKey: apiKey !== null,
        },
        details,
      );
      if (apiKey) await this.#secrets.store(connection.id, keyLabel(connection.name), apiKey);
      try {
        await this.#save([...this.#snapshot(), connection]);
      } catch (error) {
        if (apiKey) await this.#secrets.clear(connection.id).catch(() => undefined);
        throw error;
      }
      const item = new ConnectionItem(connection);
      this.model.append(item);
      this.emit('changed');
      return item;
    });
  }

  /** Changes a connection's name, address, key or memory figures (see ConnectionChanges). */
  update(id: string, changes: ConnectionChanges): Promise<ConnectionItem> {
    return this.#exclusive(async () => {
      this.#checkLoaded();
      const item = this.#require(id);
      const keyChanges = changes.apiKey !== undefined;
      const apiKey = cleanKey(changes.apiKey);
      const next: Connection = withMemory(
        {
          ...item.toConnection(),
          name: changes.name === undefined ? item.name : this.#checkName(changes.name, id),
          url: changes.url === undefined ? item.url : checkUrl(changes.url),
          ...(keyChanges ? { hasApiKey: apiKey !== null } : {}),
        },
        changes,
      );
      const renamed = next.name !== item.name;
      const fileChanges =
        renamed ||
        next.url !== item.url ||
        next.hasApiKey !== item.hasApiKey ||
        next.ramBytes !== item.ramBytes ||
        next.gpuBytes !== item.gpuBytes ||
        next.contextLength !== item.contextLength;

      let restoreKey: (() => Promise<void>) | null = null;
      if (keyChanges) {
        const previous =
          fileChanges && item.hasApiKey !== false ? await this.#secrets.lookup(id) : null;
        if (apiKey) await this.#secrets.store(id, keyLabel(next.name), apiKey);
        else await this.#secrets.clear(id);
        restoreKey = () =>
          previous === null
            ? this.#secrets.clear(id)
            : this.#secrets.store(id, keyLabel(item.name), previous);
      }
      if (fileChanges) {
        try {
          await this.#save(this.#snapshot().map((c) => (c.id === id ? next : c)));
        } catch (error) {
          await restoreKey?.().catch(() => undefined);
          throw error;
        }
        item.assign(next);
      }
      if (renamed && !keyChanges && item.hasApiKey !== false) await this.#relabelKey(id, next.name);
      if (fileChanges || keyChanges) this.emit('changed');
      return item;
    });
  }

  /**
   * Forgets a connection and its API key (the keyring is not asked when it has none). When
   * it was the default, the first remaining connection becomes the default. If the key
   * cannot be deleted, the connection is still removed and the promise rejects to say so.
   */
  remove(id: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#checkLoaded();
      const item = this.#require(id);
      const rest = this.#snapshot().filter((c) => c.id !== id);
      if (item.isDefault && rest.length > 0) rest[0] = { ...rest[0], isDefault: true };
      await this.#save(rest);
      const [, position] = this.model.find(item);
      this.model.remove(position);
      if (rest.length > 0) this.model.get_item(0)!.assign(rest[0]);
      this.emit('changed');
      if (item.hasApiKey === false) return;
      try {
        await this.#secrets.clear(id);
      } catch (error) {
        throw new ConnectionStoreError(
          fillTemplate(
            _('“{name}” was removed, but its API key is still in the keyring: {reason}'),
            { name: item.name, reason: errorText(error) },
          ),
          { cause: error },
        );
      }
    });
  }

  /** Makes the connection the default (and no other). */
  setDefault(id: string): Promise<void> {
    return this.#exclusive(async () => {
      this.#checkLoaded();
      if (this.#require(id).isDefault) return;
      const next = this.#snapshot().map((c) => ({ ...c, isDefault: c.id === id }));
      await this.#save(next);
      this.list().forEach((item, i) => item.assign(next[i]));
      this.emit('changed');
    });
  }

  /** Runs changes one at a time, so each starts from what the one before saved. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #checkLoaded(): void {
    // Saving before the file was read would overwrite the user's connections.
    if (!this.#loaded) throw new Error('ConnectionStore: change before load() finished');
  }

  #require(id: string): ConnectionItem {
    const item = this.get(id);
    if (!item) throw new ConnectionStoreError(_('That connection no longer exists.'));
    return item;
  }

  #checkName(name: string, exceptId: string | null): string {
    const problem = this.validateName(name, exceptId);
    if (problem) throw new ConnectionStoreError(problem);
    return cleanConnectionName(name);
  }

  #snapshot(): Connection[] {
    return this.list().map((item) => item.toConnection());
  }

  async #save(connections: readonly Connection[]): Promise<void> {
    if (this.#doNotWrite) throw new ConnectionStoreError(this.#doNotWrite);
    try {
      await this.#json.write(toConnectionsFile(connections));
    } catch (error) {
      throw new ConnectionStoreError(
        fillTemplate(_('Could not save the connections to {path}: {reason}'), {
          path: this.#path(),
          reason: errorText(error),
        }),
        { cause: error },
      );
    }
  }

  /**
   * Writes down whether a connection from an older file has a key, once the keyring said
   * so, for sessions that cannot reach the keyring. Not a change of the connection: no
   * `changed`. A failure costs nothing: the keyring is asked again next time.
   */
  async #noteKey(id: string, hasApiKey: boolean): Promise<void> {
    await this.#exclusive(async () => {
      const item = this.get(id);
      // A change of key made meanwhile has set it already, and knows better.
      if (!item || item.hasApiKey !== undefined) return;
      const next = { ...item.toConnection(), hasApiKey };
      await this.#save(this.#snapshot().map((c) => (c.id === id ? next : c)));
      item.assign(next);
    }).catch(() => undefined);
  }

  /** The keyring shows the label; keep it in step with the name. A failure costs nothing. */
  async #relabelKey(id: string, name: string): Promise<void> {
    try {
      const key = await this.#secrets.lookup(id);
      if (key !== null) await this.#secrets.store(id, keyLabel(name), key);
    } catch {
      // The key itself is unchanged, only its label is old.
    }
  }

  /** The connections to start with; what went wrong is added to `problems`. */
  async #read(problems: string[]): Promise<Connection[]> {
    this.#doNotWrite = null;
    let contents: ConnectionsFileCheck;
    try {
      const data = await this.#json.read();
      if (data === undefined) {
        const connections = this.#firstConnections(problems);
        await this.#saveOrReport(connections, problems);
        return connections;
      }
      contents = parseConnections(data);
    } catch (error) {
      if (error instanceof JsonFileError) {
        contents = { broken: error.message };
      } else {
        const values = { path: this.#path(), reason: errorText(error) };
        this.#doNotWrite = fillTemplate(
          _(
            'Changes are not saved: Paddock could not read {path} ({reason}) and will not overwrite it.',
          ),
          values,
        );
        problems.push(
          fillTemplate(
            _(
              'Paddock could not read its saved connections in {path} ({reason}), so it started with the default connection. Changes will not be saved until the file can be read.',
            ),
            values,
          ),
        );
        return this.#firstConnections(problems);
      }
    }
    if ('connections' in contents && contents.repairs.length === 0) return contents.connections;

    const connections =
      'connections' in contents ? contents.connections : this.#firstConnections(problems);
    const { aside, message } = await this.#json.setAside(
      _('its saved connections'),
      'broken' in contents ? contents.broken : contents.repairs.join('; '),
      'connections' in contents,
    );
    if (!aside) {
      this.#doNotWrite = fillTemplate(
        _('Changes are not saved: Paddock could not set {path} aside and will not overwrite it.'),
        { path: this.#path() },
      );
      problems.unshift(
        `${message} ${_('Changes will not be saved until the file is moved away.')}`,
      );
      return connections;
    }
    problems.unshift(message);
    await this.#saveOrReport(connections, problems);
    return connections;
  }

  /** The first start's connection: OLLAMA_HOST's server if it names a usable one. */
  #firstConnections(problems: string[]): Connection[] {
    const variable = this.#environment('OLLAMA_HOST');
    let url = DEFAULT_OLLAMA_URL;
    if (variable && variable.trim() !== '') {
      const check = validateServerUrl(parseOllamaHost(variable));
      if ('url' in check) url = check.url;
      else
        problems.push(
          fillTemplate(
            _(
              'OLLAMA_HOST (“{value}”) is not an address Paddock can use: {reason} Paddock uses {url} instead.',
            ),
            { value: variable, reason: check.error, url: DEFAULT_OLLAMA_URL },
          ),
        );
    }
    const name = isLoopbackUrl(url) ? _('Local Ollama') : urlHost(url);
    return [{ id: GLib.uuid_string_random(), name, url, isDefault: true, hasApiKey: false }];
  }

  async #saveOrReport(connections: readonly Connection[], problems: string[]): Promise<void> {
    try {
      await this.#save(connections);
    } catch (error) {
      problems.push(errorText(error));
    }
  }

  #path(): string {
    return this.#json.path;
  }
}
