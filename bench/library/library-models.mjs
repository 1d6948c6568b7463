// 200 installed models a server, as /api/tags lists them, made up from the real catalog
// of bench/fixtures (names, tags and sizes as ollama.com lists them), by a seeded
// generator: the same models every run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CATALOG = join(here, '../fixtures/ollama-library-2026-04.json');
const QUANTISATIONS = ['Q4_K_M', 'Q4_K_M', 'Q4_K_M', 'Q8_0', 'Q4_0', 'F16', 'Q5_K_M', 'Q6_K'];
const DAY_MS = 86_400_000;
/** The newest model's date: the runs' lists are the same whatever the day. */
const NEWEST = Date.UTC(2026, 3, 20, 9, 30);

/** mulberry32: a small seeded generator. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytes(text) {
  const match = /^([\d.]+)\s*([KMGT]?B)$/.exec(text);
  if (!match) return null;
  const scale = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[match[2]];
  return Math.round(Number(match[1]) * scale);
}

/** Every family:tag of the catalog with a real size (cloud tags have none). */
function candidates() {
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
  return catalog.flatMap((family) =>
    family.tags
      .filter((tag) => (bytes(tag.size) ?? 0) > 1e6 && !tag.name.includes('cloud'))
      .map((tag) => ({ family: family.name, tag: tag.name, size: bytes(tag.size) })),
  );
}

/** "qwen2.5-coder" → "qwen2", "deepseek-r1" → "deepseek": roughly what GGUF headers say. */
function familyOf(name) {
  const base = name.split('/').pop().toLowerCase();
  return /^[a-z]+\d?/.exec(base)?.[0] ?? 'llama';
}

function parameterSize(tag, next) {
  const match = /(?:^|-)(\d+(?:\.\d+)?)([mb])(?:-|$)/i.exec(tag);
  if (match) return `${match[1]}${match[2].toUpperCase()}`;
  return ['1B', '3.2B', '7.6B', '8.0B', '14B', '27B'][Math.floor(next() * 6)];
}

function quantisation(tag, next) {
  const match = /(q\d_[a-z0-9_]+|fp16|bf16|q8_0)/i.exec(tag);
  if (match) return match[1].toUpperCase().replace('FP16', 'F16');
  return QUANTISATIONS[Math.floor(next() * QUANTISATIONS.length)];
}

/**
 * The /api/tags entries of server `index` (0…): `count` distinct models, newest first,
 * modified over the last year and a half; servers share about half their models.
 */
export function libraryModels(index, count) {
  const all = candidates();
  const official = all.filter((candidate) => !candidate.family.includes('/'));
  const community = all.filter((candidate) => candidate.family.includes('/'));
  const next = random(1000 + index);
  const shared = random(7);
  const chosen = new Map();
  while (chosen.size < count) {
    // Half from a pool every server draws from in the same order, half its own.
    const draw = chosen.size % 2 === 0 ? shared : next;
    // Mostly the library's own models, some community uploads (owner/model).
    const pool = draw() < 0.8 ? official : community;
    const candidate = pool[Math.floor(draw() * pool.length)];
    const name = `${candidate.family}:${candidate.tag}`;
    if (!chosen.has(name)) chosen.set(name, candidate);
  }
  let modified = NEWEST - index * DAY_MS;
  return [...chosen.entries()].map(([name, candidate]) => {
    modified -= Math.floor(next() * 2.7 * DAY_MS);
    const family = familyOf(candidate.family);
    return {
      name,
      model: name,
      modified_at: new Date(modified).toISOString().replace('Z', '+00:00'),
      // Ollama reports bytes exactly; the catalog rounds them.
      size: candidate.size + Math.floor(next() * 1e6),
      digest: createHash('sha256').update(`${index} ${name}`).digest('hex'),
      details: {
        parent_model: '',
        format: 'gguf',
        family,
        families: [family],
        parameter_size: parameterSize(candidate.tag, next),
        quantization_level: quantisation(candidate.tag, next),
      },
    };
  });
}
