import { gettext as _ } from 'gettext';

import { validateServerUrl } from '../ollama/ollama-host.js';
import { fillTemplate } from '../util/text.js';

/** Longest id a connection may have: loading.json keeps it with each download. */
export const MAX_CONNECTION_ID = 200;

/** One Ollama server Paddock knows. Its API key, if any, is in the keyring under `id`. */
export interface Connection {
  readonly id: string;
  readonly name: string;
  /** A base URL as validateServerUrl gives it. */
  readonly url: string;
  readonly isDefault: boolean;
}

/** A connection as connections.json stores it. */
export interface StoredConnection {
  id: string;
  name: string;
  url: string;
  default: boolean;
}

export type StoredConnectionCheck = { connection: Connection } | { error: string };

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
  };
}

/**
 * Checks one entry read from connections.json. A missing "default" means false; the URL is
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
  return {
    connection: {
      id: entry.id.trim(),
      name: cleanConnectionName(entry.name),
      url: url.url,
      isDefault: entry.default === true,
    },
  };
}
