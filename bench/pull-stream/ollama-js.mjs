// Consumer: the official ollama-js client on Node, iterating the pull stream.
//   node ollama-js.mjs BASE_URL MODEL   → prints the number of progress lines
import { Ollama } from 'ollama';

const [host, model] = process.argv.slice(2);
const ollama = new Ollama({ host });
let lines = 0;
try {
  for await (const progress of await ollama.pull({ model, stream: true })) {
    if (progress.status) lines++;
  }
  console.log(lines);
} catch (error) {
  console.error(`ollama-js: ${error}`);
  process.exitCode = 1;
}
// An idle keep-alive connection must not hold the process open.
process.exit();
