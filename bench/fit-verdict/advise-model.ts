// One fit verdict as `paddock fit` and Add Model get it, for one model on a server on this
// computer (the simulator, also the registry): a manifest request first (the baseline: one
// request to the same registry), then FitAdvisor.advise with an empty header cache
// (manifest, HEAD /api/blobs, /api/version, the header's redirect and ranges, the memory
// of this computer and the entered GPU memory, the free disk), then advise() again (the
// header from the cache).
//   gjs -m advise-model.js SIMULATOR_URL NAME
//   → prints {"manifestMs","adviseMs","againMs","headerBytes","headerRequests","verdict","rough","download"}
import GLib from 'gi://GLib';
import { exit, programArgs } from 'system';

import { DiskSpace } from '../../src/fit/disk-space.js';
import { FitAdvisor } from '../../src/fit/fit-advisor.js';
import { HostMemoryProbe } from '../../src/fit/host-memory-probe.js';
import { MemoryEstimator } from '../../src/fit/memory-estimator.js';
import { MemoryEvidence } from '../../src/fit/memory-evidence.js';
import { ServerMemoryLookup } from '../../src/fit/server-memory-lookup.js';
import { OllamaClient } from '../../src/ollama/client.js';
import { ModelName } from '../../src/ollama/model-name.js';
import { RegistryClient } from '../../src/ollama/registry-client.js';
import '../../src/util/promisify.js';

const [simulatorUrl, model] = programArgs;
const loop = new GLib.MainLoop(null, false);
let status = 0;

const now = () => GLib.get_monotonic_time() / 1000;

async function run(): Promise<void> {
  const name = ModelName.parse(model);
  const started = now();
  const baseline = await new RegistryClient({ registryOverride: simulatorUrl }).manifest(name);
  const manifestMs = now() - started;
  if (baseline.result !== 'found') throw new Error(`no manifest: ${baseline.result}`);

  const registry = new RegistryClient({ registryOverride: simulatorUrl });
  const estimator = new MemoryEstimator({
    blobUrl: (of, digest) => registry.blobUrl(of, digest),
    dataDir: null,
  });
  const server = new OllamaClient({ baseUrl: simulatorUrl });
  const advisor = new FitAdvisor({
    registry,
    estimator,
    serverMemory: new ServerMemoryLookup(new HostMemoryProbe(), new MemoryEvidence(null)),
    diskSpace: new DiskSpace(),
    clientFor: () => Promise.resolve(server),
  });
  const connection = {
    id: 'bench',
    name: 'Bench',
    url: simulatorUrl,
    isDefault: true,
    gpuBytes: 24e9,
  };
  const before = now();
  const advice = await advisor.advise(connection, name, null);
  const adviseMs = now() - before;
  const again = now();
  await advisor.advise(connection, name, null);
  const againMs = now() - again;
  print(
    JSON.stringify({
      manifestMs,
      adviseMs,
      againMs,
      headerBytes: estimator.lastRead?.bytes ?? 0,
      headerRequests: estimator.lastRead?.requests ?? 0,
      verdict: advice.fit.verdict,
      rough: advice.need?.rough ?? true,
      download: advice.download?.download ?? null,
    }),
  );
}

run()
  .catch((error: unknown) => {
    printerr(`advise-model: ${String(error)}`);
    status = 1;
  })
  .finally(() => loop.quit());
loop.run();
exit(status);
