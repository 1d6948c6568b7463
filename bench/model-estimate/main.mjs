// Benchmark: what one memory estimate costs (issue 11): the bytes and requests it takes to
// read the GGUF header of a model's weights blob from a registry (the Ollama simulator's:
// a 307 to a blob store that honours Range, real GGUF headers), and the time to an
// estimate against a registry 100 ms away, next to one manifest request to the same
// registry in the same run (the baseline), and with no latency.
//   node bench/model-estimate/main.mjs --scripts DIR [--runs N]
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { markdownTable } from '../lib/markdown.mjs';
import { endAll, measure, median } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const LATENCIES = [100, 0];
/** Real sizes of the weights blobs; the simulator writes the header of each family. */
const MODELS = [
  { name: 'llama3.2:3b', size: 2_019_377_376, family: 'llama' },
  { name: 'qwen3:8b', size: 5_225_374_048, family: 'qwen3' },
  { name: 'gemma3:4b', size: 3_338_801_804, family: 'gemma3' },
  { name: 'qwen3:30b', size: 18_556_688_736, family: 'qwen3moe' },
  { name: 'deepseek-r1:7b', size: 4_683_073_184, family: 'qwen2' },
];

const { values: options } = parseArgs({
  options: { scripts: { type: 'string' }, runs: { type: 'string', default: '5' } },
});
const runs = Number(options.runs);
if (!options.scripts || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: main.mjs --scripts DIR [--runs N]');
  process.exit(2);
}

const simScript = join(options.scripts, 'ollama-sim.mjs');
const bundled = spawnSync('node', [join(root, 'build-aux/bundle.mjs'), 'sim', simScript], {
  stdio: 'inherit',
});
if (bundled.status !== 0) process.exit(1);

// Loopback only: no proxy may stand between the estimate and the simulator.
const env = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost' };
for (const name of ['http_proxy', 'https_proxy', 'all_proxy'])
  for (const variant of [name, name.toUpperCase()]) delete env[variant];

const sim = spawn('node', [simScript, '--port', '0', '--quiet'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const stop = () => sim.kill('SIGTERM');
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    endAll();
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });

const firstLine = await new Promise((resolveLine) =>
  createInterface({ input: sim.stdout }).once('line', resolveLine),
);
const url = /^listening on (http:\/\/\S+)$/.exec(firstLine)?.[1];
if (!url) {
  console.error(`model-estimate: the simulator did not start: ${firstLine}`);
  stop();
  process.exit(1);
}

async function control(method, path, body) {
  const response = await globalThis.fetch(`${url}/__sim/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function scene(latencyMs) {
  await control('POST', 'reset');
  await control('POST', 'registry', {
    models: MODELS.map(({ name, size, family }) => ({
      name,
      layers: [
        { size },
        { size: 561, mediaType: 'application/vnd.docker.container.image.v1+json' },
      ],
      details: { family },
    })),
  });
  await control('POST', 'config', { registryLatencyMs: latencyMs });
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = [];
let status = 0;
try {
  for (const latency of LATENCIES) {
    for (const model of MODELS) {
      const results = [];
      for (let run = 0; run < runs; run++) {
        await scene(latency);
        const result = await measure(
          ['gjs', '-m', join(options.scripts, 'estimate-model.js'), url, model.name],
          { timeoutMs: 60_000, env },
        );
        const line = result.stdout.trim().split('\n').pop() ?? '';
        if (!result.ok || !line.startsWith('{')) {
          console.error(`model-estimate: ${model.name}: ${result.error || 'no result'}`);
          status = 1;
          break;
        }
        const value = JSON.parse(line);
        const state = await control('GET', 'state');
        if (value.rough || state.blobRedirects + state.blobReads !== value.requests) {
          console.error(`model-estimate: ${model.name}: unexpected ${line}`);
          status = 1;
        }
        results.push({ ...value, served: state.blobBytes });
        console.error(
          `model-estimate: ${latency} ms, ${model.name}, run ${run + 1}: ${Math.round(value.estimateMs)} ms`,
        );
      }
      if (results.length === 0) continue;
      const pick = (key) => median(results.map((result) => result[key]));
      const manifestMs = pick('manifestMs');
      const estimateMs = pick('estimateMs');
      rows.push([
        model.name,
        `${latency} ms`,
        kib(pick('bytes')),
        kib(pick('served')),
        String(pick('requests')),
        `${Math.round(manifestMs)} ms`,
        `${Math.round(estimateMs)} ms`,
        `${(estimateMs / manifestMs).toFixed(2)}×`,
        `${pick('cachedMs').toFixed(2)} ms`,
        `${(pick('totalBytes') / 1e9).toFixed(2)} GB`,
      ]);
    }
  }
} finally {
  stop();
}

console.log(
  `## model-estimate: one model's memory estimate from its registry (median of ${runs} runs)\n`,
);
console.log(
  markdownTable(
    [
      'Model',
      'Registry latency',
      'Bytes received',
      'Bytes served',
      'Requests',
      'Manifest (baseline)',
      'Estimate',
      'vs manifest',
      'Again (cached)',
      'Estimate at 4k context',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  ),
);
process.exit(status);
