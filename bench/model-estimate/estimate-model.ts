// One memory estimate as the app makes it, for one model of a registry: its manifest (as
// a baseline: one request to the same registry), then MemoryEstimator.estimate with an
// empty cache (the registry's redirect and the blob store's ranges), then the same
// estimate again (from the cache).
//   gjs -m estimate-model.js REGISTRY_URL NAME
//   → prints {"manifestMs","estimateMs","cachedMs","bytes","requests","totalBytes","rough"}
import GLib from 'gi://GLib';
import Soup from 'gi://Soup?version=3.0';
import { exit, programArgs } from 'system';

import { MemoryEstimator } from '../../src/fit/memory-estimator.js';
import { RegistryClient } from '../../src/ollama/registry-client.js';
import { ModelName } from '../../src/ollama/model-name.js';
import '../../src/util/promisify.js';
import { readBounded } from '../../src/util/read-bounded.js';

const [registryUrl, model] = programArgs;
const loop = new GLib.MainLoop(null, false);
let status = 0;

const now = () => GLib.get_monotonic_time() / 1000;

async function run(): Promise<void> {
  const name = ModelName.parse(model);
  const registry = new RegistryClient({ registryOverride: registryUrl });
  const session = new Soup.Session();
  const started = now();
  const message = Soup.Message.new('GET', registry.manifestUrl(name));
  if (!message) throw new Error('bad manifest address');
  message
    .get_request_headers()
    .replace('Accept', 'application/vnd.docker.distribution.manifest.v2+json');
  const input = await session.send_async(message, GLib.PRIORITY_DEFAULT, null);
  const body = await readBounded(input, 1024 * 1024, null);
  const manifestMs = now() - started;
  const manifest = JSON.parse(new TextDecoder().decode(body ?? new Uint8Array())) as {
    layers: { mediaType: string; digest: string; size: number }[];
  };
  const weights = manifest.layers.find((layer) => layer.mediaType.endsWith('.model'));
  if (!weights) throw new Error('no weights layer');
  const estimator = new MemoryEstimator({
    blobUrl: (of, digest) => registry.blobUrl(of, digest),
    dataDir: null,
  });
  const before = now();
  const need = await estimator.estimate(name, weights, 4096);
  const estimateMs = now() - before;
  const again = now();
  await estimator.estimate(name, weights, 4096);
  const cachedMs = now() - again;
  print(
    JSON.stringify({
      manifestMs,
      estimateMs,
      cachedMs,
      bytes: estimator.lastRead?.bytes ?? 0,
      requests: estimator.lastRead?.requests ?? 0,
      totalBytes: need.total,
      rough: need.rough,
    }),
  );
}

run()
  .catch((error: unknown) => {
    printerr(`estimate-model: ${String(error)}`);
    status = 1;
  })
  .finally(() => loop.quit());
loop.run();
exit(status);
