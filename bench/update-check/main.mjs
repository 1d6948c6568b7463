// Benchmark: one update check of 200 installed models against a registry that takes
// 100 ms to answer each manifest (the Ollama simulator's registry, with 20 models that
// have a newer version), as the app runs it: 4 requests at a time. Reports the wall time
// of the check, the most requests the registry saw at once, and the CPU of the process.
//   node bench/update-check/main.mjs --scripts DIR [--runs N]
// DIR holds this folder's GJS scripts, bundled by bench/bundle.mjs. Prints Markdown tables.
import { join } from 'node:path';

import { markdownTable } from '../lib/markdown.mjs';
import { measure, median } from '../lib/measure.mjs';
import { loopbackEnv, startSimulator } from '../lib/simulator.mjs';
import { benchArguments } from '../lib/arguments.mjs';

const MODELS = 200;
const OUTDATED = 20;
const LATENCIES = [100, 0];

const options = benchArguments();
const { runs } = options;

const env = loopbackEnv();
const { url, control, stop } = await startSimulator(options.scripts, 'update-check');

/** A fresh scene: MODELS installed, OUTDATED of them with a newer version published. */
async function scene(latencyMs) {
  await control('POST', 'reset');
  const names = Array.from({ length: MODELS }, (_, i) => `model${i}:${(i % 9) + 1}b`);
  await control('POST', 'registry', {
    models: names.map((name) => ({
      name,
      layers: [
        { size: 4_000_000_000 },
        { size: 500, mediaType: 'application/vnd.docker.container.image.v1+json' },
      ],
    })),
  });
  await control('POST', 'installed', { models: names.map((name) => ({ name })) });
  for (const name of names.slice(0, OUTDATED)) await control('POST', 'publish', { name });
  await control('POST', 'config', { registryLatencyMs: latencyMs });
}

const rows = [];
let status = 0;
try {
  for (const latency of LATENCIES) {
    const walls = [];
    const cpus = [];
    const peaks = [];
    let counts = '';
    for (let run = 0; run < runs; run++) {
      await scene(latency);
      const result = await measure(
        ['gjs', '-m', join(options.scripts, 'check-models.js'), url, url],
        { timeoutMs: 120_000, env },
      );
      const line = result.stdout.trim().split('\n').pop() ?? '';
      if (!result.ok || !line.startsWith('{')) {
        console.error(`update-check: ${result.error || 'no result'}`);
        status = 1;
        break;
      }
      const value = JSON.parse(line);
      if (value.outdated !== OUTDATED || value.upToDate !== MODELS - OUTDATED) {
        console.error(`update-check: wrong answer ${line}`);
        status = 1;
      }
      walls.push(value.wallMs);
      cpus.push(result.cpuMs);
      peaks.push((await control('GET', 'state')).peakManifestRequests);
      counts = `${value.outdated} / ${value.upToDate} / ${value.unknown}`;
      console.error(
        `update-check: ${latency} ms latency, run ${run + 1}: ${Math.round(value.wallMs)} ms`,
      );
    }
    if (walls.length === 0) continue;
    rows.push([
      `${MODELS} models, ${latency} ms a manifest`,
      `${(median(walls) / 1000).toFixed(2)} s`,
      `${(Math.min(...walls) / 1000).toFixed(2)}–${(Math.max(...walls) / 1000).toFixed(2)} s`,
      String(Math.max(...peaks)),
      `${Math.round(median(cpus))} ms`,
      counts,
    ]);
  }
} finally {
  stop();
}

console.log(`## update-check: ${MODELS} models against a registry (median of ${runs} runs)\n`);
console.log(
  markdownTable(
    [
      'Registry',
      'Wall time',
      'Range',
      'Peak requests at once',
      'CPU (process)',
      'Outdated / up to date / unknown',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  ),
);
process.exit(status);
