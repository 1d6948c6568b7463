// Consumer: Paddock's own client, as the app pulls (parse, validate, callback per line).
//   gjs -m paddock-client.js BASE_URL MODEL   → prints the number of progress lines
import GLib from 'gi://GLib';
import { exit, programArgs } from 'system';

import { OllamaClient } from '../../src/ollama/client.js';

const [baseUrl, model] = programArgs;
const client = new OllamaClient({ baseUrl });
const loop = new GLib.MainLoop(null, false);
let lines = 0;
let status = 0;
client
  .pull(model, () => lines++)
  .then(
    () => print(lines),
    (error: unknown) => {
      printerr(`paddock-client: ${String(error)}`);
      status = 1;
    },
  )
  .finally(() => loop.quit());
loop.run();
exit(status);
