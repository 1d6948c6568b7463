import GLib from 'gi://GLib';
import { gettext as _ } from 'gettext';

import { validateServerUrl } from '../ollama/ollama-host.js';
import { fillTemplate } from '../util/text.js';

/** The version of connections.json this Paddock writes and reads. */
export const FORMAT_VERSION = 1;

/** Longest id a connection may have: loading.json keeps it with each download. */
export const MAX_CONNECTION_ID = 200;

/** One Ollama server Paddock knows. Its API key, if any, is in the keyring under `id`. */
export interface Connection {
  readonly id: string;
  readonly name: string;
  /** A base URL as validateServerUrl gives it. */
  readonly url: string;
  readonly isDefault: boolean;
  /**
   * Whether it has an API key in the keyring, so that a connection without one never needs
   * the keyring (which a session without a session bus, as over ssh, cannot reach).
   * Undefined when not known: a file written before Paddock kept track of it.
   */
  readonly hasApiKey?: boolean;
  /** System memory of the server as the user entered it, in bytes; absent when not entered. */
  readonly ramBytes?: number;
  /** GPU memory of the server as the user entered it, in bytes. */
  readonly gpuBytes?: number;
  /** The context length (tokens) its models run with, when the user set one for the server. */
  readonly contextLength?: number;
}

/** The most memory a figure may say: far more than any one server has. */
export const MAX_MEMORY_BYTES = 2 ** 50;

/** Whether a memory figure can be kept: whole bytes, more than none, not absurd. */
export function isMemorySize(value: unknown): value is number {
  return (
    Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_MEMORY_BYTES
  );
}

/** Longest context a connection may set: more than any model has (llama4 has 10M). */
export const MAX_CONTEXT_LENGTH = 2 ** 24;

/** Whether a context length can be kept: whole tokens, at least one, not absurd. */
export function isContextLength(value: unknown): value is number {
  return (
    Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_CONTEXT_LENGTH
  );
}

/**
 * A context length as people type it: "8192", "32k" or "32 K" (k: 1024 tokens, as Ollama's
 * lengths go). Null for an empty field; an error for anything else.
 */
export function parseContextLengthText(
  text: string,
): { tokens: number | null } | { error: string } {
  const clean = text.trim();
  if (clean === '') return { tokens: null };
  const match = /^(\d{1,8})\s*(k?)$/i.exec(clean);
  const tokens = match ? Number(match[1]) * (match[2] ? 1024 : 1) : 0;
  if (!isContextLength(tokens))
    return {
      error: _('Enter a number of tokens such as “8192” or “32k”, or leave the field empty.'),
    };
  return { tokens };
}

/** A connection as connections.json stores it: whether it has a key, never the key. */
export interface StoredConnection {
  id: string;
  name: string;
  url: string;
  default: boolean;
  /** Left out when not known. */
  apiKey?: boolean;
  /** Bytes, left out when not entered. */
  memory?: number;
  gpuMemory?: number;
  /** Tokens, left out when not set. */
  contextLength?: number;
}

/** connections.json as Paddock writes it. */
export interface ConnectionsFile {
  version: number;
  connections: StoredConnection[];
}

/** A usable entry (with what was left out of it, for the user), or why it cannot be used. */
export type StoredConnectionCheck =
  { connection: Connection; repairs?: string[] } | { error: string };

/**
 * What connections.json holds: usable connections with the list of what was fixed to make
 * them so, or, for a file that cannot be used at all, why.
 */
export type ConnectionsFileCheck =
  { connections: Connection[]; repairs: string[] } | { broken: string };

/** A name as it is kept: no space at the ends, no line breaks or runs of spaces inside. */
export function cleanConnectionName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

export function toStoredConnection(connection: Connection): StoredConnection {
  return {
    id: connection.id,
    name: connection.name,
    url: connection.url,
    default: connection.isDefault,
    ...(connection.hasApiKey === undefined ? {} : { apiKey: connection.hasApiKey }),
    ...(connection.ramBytes === undefined ? {} : { memory: connection.ramBytes }),
    ...(connection.gpuBytes === undefined ? {} : { gpuMemory: connection.gpuBytes }),
    ...(connection.contextLength === undefined ? {} : { contextLength: connection.contextLength }),
  };
}

/**
 * Checks one entry read from connections.json. A missing "default" means false; an
 * "apiKey" that is neither true nor false means the keyring must be asked; the URL is
 * normalised. The error says why the entry cannot be used, for the user.
 */
export function checkStoredConnection(value: unknown): StoredConnectionCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: _('it is not a connection') };
  const entry = value as Record<string, unknown>;
  if (typeof entry.id !== 'string' || entry.id.trim() === '') return { error: _('it has no id') };
  if (entry.id.trim().length > MAX_CONNECTION_ID)
    return {
      error: fillTemplate(_('its id is longer than {max} characters'), { max: MAX_CONNECTION_ID }),
    };
  if (typeof entry.name !== 'string' || cleanConnectionName(entry.name) === '')
    return { error: _('it has no name') };
  if (typeof entry.url !== 'string') return { error: _('it has no address') };
  const url = validateServerUrl(entry.url);
  if ('error' in url) return { error: url.error };
  if (entry.default !== undefined && typeof entry.default !== 'boolean')
    return { error: _('its “default” is neither true nor false') };
  const name = cleanConnectionName(entry.name);
  const repairs: string[] = [];
  const memory = (key: 'memory' | 'gpuMemory', problem: string): number | undefined => {
    const value = entry[key];
    if (value === undefined || isMemorySize(value)) return value;
    repairs.push(fillTemplate(problem, { name }));
    return undefined;
  };
  const ramBytes = memory(
    'memory',
    _('the memory of “{name}” was left out because it is not a size in bytes'),
  );
  const gpuBytes = memory(
    'gpuMemory',
    _('the GPU memory of “{name}” was left out because it is not a size in bytes'),
  );
  let contextLength: number | undefined;
  if (isContextLength(entry.contextLength)) contextLength = entry.contextLength;
  else if (entry.contextLength !== undefined)
    repairs.push(
      fillTemplate(
        _('the context length of “{name}” was left out because it is not a number of tokens'),
        { name },
      ),
    );
  return {
    connection: {
      id: entry.id.trim(),
      name,
      url: url.url,
      isDefault: entry.default === true,
      ...(typeof entry.apiKey === 'boolean' ? { hasApiKey: entry.apiKey } : {}),
      ...(ramBytes === undefined ? {} : { ramBytes }),
      ...(gpuBytes === undefined ? {} : { gpuBytes }),
      ...(contextLength === undefined ? {} : { contextLength }),
    },
    ...(repairs.length > 0 ? { repairs } : {}),
  };
}

/** The contents of connections.json for these connections. */
export function toConnectionsFile(connections: readonly Connection[]): ConnectionsFile {
  return { version: FORMAT_VERSION, connections: connections.map(toStoredConnection) };
}

/** "Name (2)", "Name (3)", … : the first of these no other connection is called. */
function uniqueName(name: string, taken: Set<string>): string {
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate.toLocaleLowerCase())) return candidate;
  }
}

/**
 * Checks connections.json's parsed contents. A file that cannot be used at all is
 * "broken"; one that can be, after leaving out bad entries or fixing ids, names or the
 * default, comes with the list of what was fixed.
 */
export function parseConnections(data: unknown): ConnectionsFileCheck {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { broken: _('it does not hold a list of connections') };
  const { version, connections: entries } = data as Record<string, unknown>;
  if (version !== undefined && version !== FORMAT_VERSION)
    return {
      broken:
        typeof version === 'number' && version > FORMAT_VERSION
          ? _('a newer version of Paddock wrote it')
          : _('its format version is unknown'),
    };
  if (!Array.isArray(entries)) return { broken: _('it does not hold a list of connections') };

  const repairs: string[] = [];
  const connections: Connection[] = [];
  entries.forEach((entry: unknown, index) => {
    const check = checkStoredConnection(entry);
    if ('connection' in check) {
      connections.push(check.connection);
      repairs.push(...(check.repairs ?? []));
      return;
    }
    const name = (entry as { name?: unknown } | null)?.name;
    repairs.push(
      typeof name === 'string' && name.trim() !== ''
        ? fillTemplate(_('connection {number} (“{name}”) was left out because {reason}'), {
            number: index + 1,
            name,
            reason: check.error,
          })
        : fillTemplate(_('connection {number} was left out because {reason}'), {
            number: index + 1,
            reason: check.error,
          }),
    );
  });
  if (connections.length === 0 && entries.length > 0)
    return { broken: _('none of its connections can be used') };

  const ids = new Set<string>();
  // Every name in the file is taken, so a renamed duplicate never takes another's name.
  const taken = new Set(connections.map((connection) => connection.name.toLocaleLowerCase()));
  const seen = new Set<string>();
  let defaultSeen = false;
  const fixed = connections.map((connection) => {
    let { id, name, isDefault } = connection;
    const newId = ids.has(id);
    if (newId) {
      id = GLib.uuid_string_random();
      repairs.push(
        fillTemplate(_('“{name}” had the id of another connection and got a new one'), { name }),
      );
    }
    ids.add(id);
    if (seen.has(name.toLocaleLowerCase())) {
      const renamed = uniqueName(name, taken);
      taken.add(renamed.toLocaleLowerCase());
      repairs.push(
        fillTemplate(
          _('“{name}” was renamed “{new_name}” because another connection has that name'),
          { name, new_name: renamed },
        ),
      );
      name = renamed;
    }
    seen.add(name.toLocaleLowerCase());
    if (isDefault && defaultSeen) {
      isDefault = false;
      repairs.push(
        fillTemplate(_('“{name}” is no longer the default, as another connection is'), { name }),
      );
    }
    defaultSeen ||= isDefault;
    // The keyring keeps keys by id: a new one has none.
    return { ...connection, id, name, isDefault, ...(newId ? { hasApiKey: false } : {}) };
  });
  if (fixed.length > 0 && !defaultSeen) {
    fixed[0] = { ...fixed[0], isDefault: true };
    repairs.push(
      fillTemplate(_('no connection was the default, so “{name}” is now'), { name: fixed[0].name }),
    );
  }
  return { connections: fixed, repairs };
}
