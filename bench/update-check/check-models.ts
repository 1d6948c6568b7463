// One update check as the app runs it: the installed models of a server, then every
// manifest asked of the registry (forced, no cache file), 4 at a time.
//   gjs -m check-models.js SERVER_URL REGISTRY_URL
//   → prints {"wallMs","models","outdated","upToDate","unknown"} as one line of JSON
import GLib from 'gi://GLib';
import { exit, programArgs } from 'system';

import { UpdateCheck } from '../../src/library/update-check.js';
import { OllamaClient } from '../../src/ollama/client.js';

const [serverUrl, registryUrl] = programArgs;
const loop = new GLib.MainLoop(null, false);
let status = 0;

async function run(): Promise<void> {
  const models = await new OllamaClient({ baseUrl: serverUrl }).tags();
  const check = new UpdateCheck({ registryOverride: registryUrl, dataDir: null });
  const started = GLib.get_monotonic_time();
  const results = await check.check(models, { force: true });
  const wallMs = (GLib.get_monotonic_time() - started) / 1000;
  const count = (state: string) => [...results.values()].filter((r) => r.state === state).length;
  print(
    JSON.stringify({
      wallMs,
      models: models.length,
      outdated: count('outdated'),
      upToDate: count('up-to-date'),
      unknown: count('unknown'),
    }),
  );
}

run()
  .catch((error: unknown) => {
    printerr(`check-models: ${String(error)}`);
    status = 1;
  })
  .finally(() => loop.quit());
loop.run();
exit(status);
