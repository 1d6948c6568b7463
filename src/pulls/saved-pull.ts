import { gettext as _ } from 'gettext';

import { MAX_CONNECTION_ID } from '../config/connection.js';
import { ModelName } from '../ollama/model-name.js';
import { JsonFileError } from '../util/errors.js';
import { fillTemplate } from '../util/text.js';

/** Where a pull stands. The first four are "live": they are saved and resumed. */
export type PullStatus =
  'queued' | 'pulling' | 'pending-retry' | 'paused' | 'complete' | 'failed' | 'cancelled';

export const LIVE_STATUSES: readonly PullStatus[] = [
  'queued',
  'pulling',
  'pending-retry',
  'paused',
];
export const FINAL_STATUSES: readonly PullStatus[] = ['complete', 'failed', 'cancelled'];

/** What is known of one blob of the model, as the stream last told it. */
export interface LayerProgress {
  /** "sha256:<64 hex>". */
  digest: string;
  total: number;
  completed: number;
}

/**
 * One pull, as loading.json keeps it (PullJob.toSavedPull()); what shows a pull reads a
 * PullView. Plain JSON data: loading.json is an array of these.
 */
export interface SavedPull {
  /** Stable across restarts; the handle for pause/resume/cancel. */
  id: string;
  /** The model as Ollama displays it, always with its tag: "llama3.2:latest". */
  model: string;
  connectionId: string;
  /** The connection's address when the pull last ran, for showing and for reports. */
  connectionUrl: string;
  status: PullStatus;
  /** Why the pull failed, or waits to retry, or was paused by Paddock; null otherwise. */
  error: string | null;
  /** The server's last status line, e.g. "pulling dde5aa3fc5ff", "verifying sha256 digest"; "" before any. */
  statusLine: string;
  /** Bytes of the whole model downloaded so far; never goes down. */
  completed: number;
  /** Bytes of the whole model as far as known (0 while unknown). */
  total: number;
  /** Retries used since the last progress (0–5). */
  retryCount: number;
  /** When the pull was asked for, ISO 8601 in UTC. */
  startedAt: string;
  /** Per blob, so that a resumed pull keeps its place and its total. */
  layers: LayerProgress[];
  /** The model's size as the catalog gave it when the pull was started, or null. */
  sizeHint: number | null;
}

/** Retries a pull gets after it stopped making progress. */
export const MAX_RETRIES = 5;
/** Longest text (status line, error, address) an entry may hold; writers cut theirs to it. */
export const MAX_TEXT = 4000;
/** Most layers a pull may have: the loader refuses more, and a pull whose server sends more fails. */
export const MAX_LAYERS = 1000;
/** Longest digest a layer may have ("sha256:" and 64 hex digits are 71). */
export const MAX_DIGEST = 200;

export type SavedPullCheck = { entry: SavedPull } | { error: string };

export function isLiveStatus(status: PullStatus): boolean {
  return LIVE_STATUSES.includes(status);
}

export function isPullStatus(value: unknown): value is PullStatus {
  return (
    typeof value === 'string' &&
    (LIVE_STATUSES.includes(value as PullStatus) || FINAL_STATUSES.includes(value as PullStatus))
  );
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A number of bytes as an entry may hold it: a whole number from 0 to 2^53 - 1. */
export function toCount(value: number): number {
  return Number.isFinite(value) && value > 0
    ? Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER)
    : 0;
}

const isText = (value: unknown, max = MAX_TEXT): value is string =>
  typeof value === 'string' && value.length <= max;

function checkLayers(value: unknown): LayerProgress[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_LAYERS) return _('its layers are not a list');
  const layers: LayerProgress[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return _('a layer is not an object');
    const { digest, total, completed } = item as Record<string, unknown>;
    if (!isText(digest, MAX_DIGEST) || digest === '') return _('a layer has no digest');
    if (!isCount(total) || !isCount(completed)) return _('a layer has no byte counts');
    layers.push({ digest, total, completed: Math.min(completed, total || completed) });
  }
  return layers;
}

/**
 * Checks one entry read from loading.json, which anything may have written. Says why an
 * entry cannot be used; fixes what is harmless (a count too high, a missing optional field).
 */
export function checkSavedPull(value: unknown): SavedPullCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: _('it is not an object') };
  const entry = value as Record<string, unknown>;
  if (!isText(entry.id, 200) || entry.id.trim() === '') return { error: _('it has no id') };
  if (!isText(entry.model, 600) || !ModelName.isValid(entry.model))
    return { error: _('it has no valid model name') };
  if (!isText(entry.connectionId, MAX_CONNECTION_ID) || entry.connectionId === '')
    return { error: _('it has no connection') };
  if (!isText(entry.connectionUrl)) return { error: _('it has no server address') };
  if (!isPullStatus(entry.status)) return { error: _('its status is unknown') };
  if (entry.error !== undefined && entry.error !== null && !isText(entry.error))
    return { error: _('its error is not text') };
  if (entry.statusLine !== undefined && !isText(entry.statusLine))
    return { error: _('its status line is not text') };
  if (!isCount(entry.completed) || !isCount(entry.total))
    return { error: _('it has no byte counts') };
  if (entry.retryCount !== undefined && !isCount(entry.retryCount))
    return { error: _('its retry count is not a number') };
  if (!isText(entry.startedAt, 100) || Number.isNaN(Date.parse(entry.startedAt)))
    return { error: _('it has no start time') };
  if (entry.sizeHint !== undefined && entry.sizeHint !== null && !isCount(entry.sizeHint))
    return { error: _('its expected size is not a number') };
  const layers = checkLayers(entry.layers);
  if (typeof layers === 'string') return { error: layers };
  const total = Math.max(entry.total, entry.completed);
  return {
    entry: {
      id: entry.id.trim(),
      model: ModelName.parse(entry.model).display,
      connectionId: entry.connectionId,
      connectionUrl: entry.connectionUrl,
      status: entry.status,
      error: entry.error ?? null,
      statusLine: entry.statusLine ?? '',
      completed: entry.completed,
      total,
      retryCount: Math.min(entry.retryCount ?? 0, MAX_RETRIES),
      startedAt: new Date(Date.parse(entry.startedAt)).toISOString(),
      layers,
      sizeHint: entry.sizeHint ?? null,
    },
  };
}

/** Checks loading.json's parsed contents: the usable entries and, per entry left out, why. */
export function parseSavedPulls(data: unknown): { entries: SavedPull[]; problems: string[] } {
  if (!Array.isArray(data)) throw new JsonFileError(_('it is not a list of downloads'));
  const entries: SavedPull[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  data.forEach((item: unknown, index) => {
    const check = checkSavedPull(item);
    if ('error' in check) {
      problems.push(
        fillTemplate(_('entry {number} was left out because {reason}'), {
          number: index + 1,
          reason: check.error,
        }),
      );
      return;
    }
    if (ids.has(check.entry.id)) {
      problems.push(
        fillTemplate(_('entry {number} was left out because its id is used twice'), {
          number: index + 1,
        }),
      );
      return;
    }
    ids.add(check.entry.id);
    entries.push(check.entry);
  });
  return { entries, problems };
}
