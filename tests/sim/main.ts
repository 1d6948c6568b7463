// The Ollama simulator: a stand-in Ollama server for Paddock's tests and demo.
// See tests/sim/README.md for the command line, the control API and the faults.
import { parseCommandLine, USAGE, type CommandLine } from './command-line.js';
import { demoSnapshot, emptySnapshot } from './demo-data.js';
import { SimServer } from './server.js';
import { SimState } from './sim-state.js';
import { StateFile } from './state-file.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: CommandLine;
  try {
    options = parseCommandLine(args);
  } catch (error) {
    process.stderr.write(`sim: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const initial =
    (options.state ? StateFile.load(options.state) : null) ??
    (options.demo ? demoSnapshot(Date.now()) : emptySnapshot());
  if (options.token !== null) initial.config.token = options.token;
  const state = new SimState(initial);
  const server = new SimServer(state, !options.quiet);
  const stateFile = options.state ? new StateFile(options.state, state) : null;

  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    if (!options.quiet) process.stderr.write(`sim: stopping (${why})\n`);
    state.downloads.stopAll();
    void Promise.all([server.close(), stateFile?.close()]).then(() => process.exit(0));
    // Never outlive the parent because of a connection that will not close.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The parent holds our stdin open; when it closes (or the parent dies), we go too.
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('close', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
  process.stdout.on('error', () => {});

  const address = await server.listen(options.host, options.port);
  stateFile?.start();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`listening on http://${host}:${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sim: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
