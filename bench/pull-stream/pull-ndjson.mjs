// The body of an Ollama pull, as Ollama's server writes it, with exactly N lines.
import { createHash } from 'node:crypto';

// llama3.2:3b: the weights first and by far the largest, the config blob last.
const LAYERS = [
  { name: 'weights', size: 2_019_377_376 },
  { name: 'template', size: 1_429 },
  { name: 'license', size: 7_711 },
  { name: 'params', size: 96 },
  { name: 'config', size: 561 },
];
const HEAD = ['pulling manifest'];
const TAIL = ['verifying sha256 digest', 'writing manifest', 'success'];

/**
 * `pulling manifest`, the layers, `verifying sha256 digest`, `writing manifest`, `success`:
 * every small layer gets one line, the weights get all the others (some 150 bytes each),
 * their `completed` climbing towards `total` and left out while zero, as Go's omitempty
 * does. Fewer than five lines keep the last status lines, so one line is just `success`.
 */
export function pullNdjson(lineCount) {
  const statuses = [...HEAD, ...TAIL];
  if (lineCount <= statuses.length) return text(statuses.slice(-lineCount).map(status));
  const layerLines = lineCount - statuses.length;
  const small = LAYERS.slice(1, Math.min(LAYERS.length, layerLines));
  const weightLines = layerLines - small.length;
  const lines = HEAD.map(status);
  const [weights] = LAYERS;
  const weightsDigest = digest(weights.name);
  for (let index = 0; index < weightLines; index++) {
    const completed = Math.floor((weights.size * index) / weightLines);
    lines.push(progress(weightsDigest, weights.size, completed));
  }
  for (const layer of small) lines.push(progress(digest(layer.name), layer.size, layer.size));
  lines.push(...TAIL.map(status));
  return text(lines);
}

function status(value) {
  return JSON.stringify({ status: value });
}

function progress(digestText, total, completed) {
  const line = { status: `pulling ${digestText.slice(7, 19)}`, digest: digestText, total };
  if (completed > 0) line.completed = completed;
  return JSON.stringify(line);
}

function digest(name) {
  return `sha256:${createHash('sha256').update(`paddock bench ${name}`).digest('hex')}`;
}

function text(lines) {
  return Buffer.from(lines.map((line) => `${line}\n`).join(''));
}
