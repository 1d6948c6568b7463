// Benchmark: the CPU it costs to consume an Ollama pull stream of 100,000 progress lines.
//   node bench/pull-stream/main.mjs --scripts DIR [--runs N]
// DIR holds this folder's GJS scripts, bundled by bench/bundle.mjs. Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { markdownTable } from '../lib/markdown.mjs';
import { endAll, measure, median } from '../lib/measure.mjs';
import { pullNdjson } from './pull-ndjson.mjs';
import { PullServer } from './pull-server.mjs';
import { benchArguments } from '../lib/arguments.mjs';

const LINES = 100_000;
const FULL = `bench:${LINES}`;
/** The start-up stream: just `success`, so every client finishes its pull normally. */
const EMPTY = 'bench:1';
const TIMEOUT_MS = 60_000;
const here = dirname(fileURLToPath(import.meta.url));

const options = benchArguments();
const { runs } = options;

const bodies = new Map([
  [FULL, pullNdjson(LINES)],
  [EMPTY, pullNdjson(1)],
]);
const fullBytes = bodies.get(FULL).length;

/**
 * Each prints what it received on stdout: the number of progress lines, or for curl
 * the number of bytes, so a consumer that stops early fails instead of looking fast.
 */
const consumers = [
  {
    name: 'Paddock `OllamaClient.pull` (GJS)',
    command: (url, model) => ['gjs', '-m', join(options.scripts, 'paddock-client.js'), url, model],
    received: (model) => String(lineCount(model)),
  },
  {
    name: 'naïve `read_line_async` + `JSON.parse` (GJS)',
    command: (url, model) => [
      'gjs',
      '-m',
      join(options.scripts, 'naive-line-reader.js'),
      url,
      model,
    ],
    received: (model) => String(lineCount(model)),
  },
  {
    name: 'ollama-js `pull` (Node)',
    command: (url, model) => ['node', join(here, 'ollama-js.mjs'), url, model],
    received: (model) => String(lineCount(model)),
    reference: true,
  },
  {
    name: '`curl -sN` to /dev/null',
    command: (url, model) => [
      'curl',
      '-sSN',
      '--noproxy',
      '*',
      '-o',
      '/dev/null',
      '-w',
      '%{size_download}',
      '-H',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ model, stream: true }),
      `${url}/api/pull`,
    ],
    received: (model) => String(bodies.get(model).length),
  },
];

function lineCount(model) {
  return Number(model.split(':')[1]);
}

// Loopback only: no proxy may stand between the consumers and the server.
const env = { ...process.env, no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1' };
for (const name of ['http_proxy', 'https_proxy', 'all_proxy'])
  for (const variant of [name, name.toUpperCase()]) delete env[variant];

const server = new PullServer(bodies);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    endAll();
    server.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const url = await server.start();
const results = consumers.map(() => ({ startup: [], full: [], wall: [], error: '' }));

async function run(index, model) {
  if (interrupted) return { ok: false, error: 'interrupted' };
  const consumer = consumers[index];
  const result = await measure(consumer.command(url, model), { timeoutMs: TIMEOUT_MS, env });
  if (result.ok && result.stdout.trim() !== consumer.received(model))
    return { ...result, ok: false, error: `received ${result.stdout.trim() || 'nothing'}` };
  return result;
}

try {
  // One unmeasured start each, so that every measured run finds its files in the page cache.
  for (const index of consumers.keys()) await run(index, EMPTY);
  // Round-robin, so that a noisy moment of the machine spreads over all consumers.
  for (let round = 1; round <= runs && !interrupted; round++) {
    process.stderr.write(`pull-stream: round ${round} of ${runs}\n`);
    for (const [index, result] of results.entries()) {
      if (result.error) continue;
      for (const [model, samples] of [
        [EMPTY, result.startup],
        [FULL, result.full],
      ]) {
        const measured = await run(index, model);
        if (!measured.ok) {
          result.error = `${model}: ${measured.error}`;
          break;
        }
        samples.push(measured.cpuMs);
        if (model === FULL) result.wall.push(measured.wallMs);
      }
    }
  }
} finally {
  if (!interrupted) await server.close();
}

const net = results.map((result) =>
  result.error ? NaN : median(result.full) - median(result.startup),
);
const referenceIndex = consumers.findIndex((consumer) => consumer.reference);
const reference = net[referenceIndex];
const fixed = (value, digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows = consumers.map((consumer, index) => {
  const result = results[index];
  if (result.error) return [consumer.name, 'failed', '', '', '', '', ''];
  const startup = median(result.startup);
  const perRun = result.full.map((cpu) => cpu - startup);
  return [
    consumer.name,
    fixed(net[index], 0),
    fixed((net[index] * 1000) / (LINES - 1), 2),
    Number.isFinite(reference) ? `${fixed(net[index] / reference, 2)}×` : '—',
    `${fixed(Math.min(...perRun), 0)}–${fixed(Math.max(...perRun), 0)}`,
    fixed(startup, 0),
    fixed(median(result.wall), 0),
  ];
});
const failures = consumers.flatMap((consumer, index) =>
  results[index].error ? [`- ${consumer.name} failed: ${results[index].error}\n`] : [],
);

const version = (argv) =>
  spawnSync(argv[0], argv.slice(1), { encoding: 'utf-8' }).stdout.split('\n')[0].trim();
const ollamaJs = JSON.parse(
  readFileSync(join(here, '../../node_modules/ollama/package.json'), 'utf-8'),
).version;

console.log(`## pull-stream: consuming a ${fixed(LINES, 0)}-line Ollama pull stream

${fixed(fullBytes / 2 ** 20, 1)} MiB of NDJSON (${fixed(fullBytes / LINES, 0)} bytes a line), \
chunked, in 16 KiB writes from a loopback server. CPU is user + sys of the consumer \
process, median of ${runs === 1 ? 'one run' : `${runs} runs`}, minus the median of the same consumer pulling a \
1-line stream (its start-up, shown on its own).

${markdownTable(
  ['Consumer', 'CPU ms', 'µs / line', 'vs ollama-js', 'min–max', 'Start-up CPU ms', 'Wall ms'],
  rows,
  ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
)}

${failures.length ? `${failures.join('')}\n` : ''}${version(['gjs', '--version'])}, Node ${process.version} with ollama-js ${ollamaJs}, \
${version(['curl', '--version']).split(' ').slice(0, 2).join(' ')}.
`);
process.exitCode = results.some((result) => result.error) ? 1 : 0;
