// Benchmark: what one memory estimate costs (issue 11): the bytes and requests it takes to
// read the GGUF header of a model's weights blob from a registry (the Ollama simulator's:
// a 307 to a blob store that honours Range, real GGUF headers), and the time to an
// estimate against a registry 100 ms away, next to one manifest request to the same
// registry in the same run (the baseline), and with no latency.
//   node bench/model-estimate/main.mjs --scripts DIR [--runs N]
import { join } from 'node:path';

import { markdownTable } from '../lib/markdown.mjs';
import { measure, median } from '../lib/measure.mjs';
import { loopbackEnv, startSimulator } from '../lib/simulator.mjs';
import { benchArguments } from '../lib/arguments.mjs';
import { publishRegistryModels, REGISTRY_MODELS } from '../lib/registry-models.mjs';

const LATENCIES = [100, 0];

const options = benchArguments();
const { runs } = options;

const env = loopbackEnv();
const { url, control, stop } = await startSimulator(options.scripts, 'model-estimate');

const scene = (latencyMs) => publishRegistryModels(control, latencyMs);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = [];
let status = 0;
try {
  for (const latency of LATENCIES) {
    for (const model of REGISTRY_MODELS) {
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
