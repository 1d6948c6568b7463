// Benchmark: the time to a fit verdict for one size (issue 11), the whole of
// FitAdvisor.advise: the registry's manifest, HEAD /api/blobs for each layer, the server's
// version, the GGUF header by range, the memory and the disk, against a registry 100 ms
// away (and with none), next to one manifest request to the same registry in the same run
// (the baseline). With the bytes and requests it takes.
//   node bench/fit-verdict/main.mjs --scripts DIR [--runs N]
import { join } from 'node:path';

import { markdownTable } from '../lib/markdown.mjs';
import { measure, median } from '../lib/measure.mjs';
import { loopbackEnv, startSimulator } from '../lib/simulator.mjs';
import { benchArguments } from '../lib/arguments.mjs';
import { publishRegistryModels, REGISTRY_MODELS } from '../lib/registry-models.mjs';

const LATENCIES = [100, 0];
const TEMPLATE = 'application/vnd.ollama.image.template';
const LICENSE = 'application/vnd.ollama.image.license';

const options = benchArguments();
const { runs } = options;

const env = loopbackEnv();
const { url, control, stop } = await startSimulator(options.scripts, 'fit-verdict');

async function scene(latencyMs) {
  await publishRegistryModels(control, latencyMs, [
    { size: 1_429, mediaType: TEMPLATE },
    { size: 7_711, mediaType: LICENSE },
  ]);
}

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
          ['gjs', '-m', join(options.scripts, 'advise-model.js'), url, model.name],
          { timeoutMs: 60_000, env },
        );
        const line = result.stdout.trim().split('\n').pop() ?? '';
        if (!result.ok || !line.startsWith('{')) {
          console.error(`fit-verdict: ${model.name}: ${result.error || 'no result'}`);
          status = 1;
          break;
        }
        const value = JSON.parse(line);
        const state = await control('GET', 'state');
        const { requests } = await control('GET', 'requests');
        const count = (test) => requests.filter(test).length;
        // Two advise() calls and the baseline: the first advise() is what is counted.
        const manifests = count((request) => request.path.includes('/manifests/'));
        const heads = count(
          (request) => request.method === 'HEAD' && request.path.startsWith('/api/blobs/'),
        );
        const versions = count((request) => request.path === '/api/version');
        const first = {
          manifest: (manifests - 1) / 2,
          heads: heads / 2,
          version: versions / 2,
          header: state.blobRedirects + state.blobReads,
        };
        if (value.rough || value.verdict === 'unknown' || first.header !== value.headerRequests) {
          console.error(`fit-verdict: ${model.name}: unexpected ${line} ${JSON.stringify(first)}`);
          status = 1;
        }
        results.push({
          ...value,
          requests: first.manifest + first.heads + first.version + first.header,
          detail: `${first.manifest} + ${first.heads} + ${first.version} + ${first.header}`,
          served: state.blobBytes,
        });
        console.error(
          `fit-verdict: ${latency} ms, ${model.name}, run ${run + 1}: ${Math.round(value.adviseMs)} ms`,
        );
      }
      if (results.length === 0) continue;
      const pick = (key) => median(results.map((result) => result[key]));
      const manifestMs = pick('manifestMs');
      const adviseMs = pick('adviseMs');
      rows.push([
        model.name,
        `${latency} ms`,
        kib(pick('headerBytes')),
        kib(pick('served')),
        `${pick('requests')} (${results[0].detail})`,
        `${Math.round(manifestMs)} ms`,
        `${Math.round(adviseMs)} ms`,
        `${(adviseMs / manifestMs).toFixed(2)}×`,
        `${Math.round(pick('againMs'))} ms`,
        results[0].verdict,
      ]);
    }
  }
} finally {
  stop();
}

console.log(
  `## fit-verdict: time to one size's verdict, the whole FitAdvisor.advise (median of ${runs} runs)\n`,
);
console.log(
  markdownTable(
    [
      'Model',
      'Registry latency',
      'Header bytes received',
      'Bytes served',
      'Requests (manifest + HEAD + version + header)',
      'Manifest (baseline)',
      'Verdict',
      'vs manifest',
      'Again (header cached)',
      'Verdict at 24 GB GPU',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  ),
);
process.exit(status);
