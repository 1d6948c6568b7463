import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export interface CommandLine {
  port: number;
  host: string;
  token: string | null;
  demo: boolean;
  state: string | null;
  quiet: boolean;
}

export const USAGE = `usage: node ollama-sim.mjs [--port N] [--host 127.0.0.1] [--token SECRET] [--demo] [--state FILE] [--quiet]
  --port N        port to listen on; 0 (the default) picks a free one
  --host ADDR     loopback address to listen on (127.0.0.1, ::1 or localhost)
  --token SECRET  every /api request needs "Authorization: Bearer SECRET", like behind a proxy
  --demo          start with realistic models installed and more to pull
  --state FILE    keep installed models and partial downloads in FILE across restarts
  --quiet         do not log each request to stderr
The first line on stdout is "listening on http://HOST:PORT". The simulator stops on
SIGTERM, SIGINT, or when its stdin closes.`;

/** Parses the simulator's arguments; throws with a message for the user. */
export function parseCommandLine(args: string[]): CommandLine {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      demo: { type: 'boolean', default: false },
      state: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`bad --port ${values.port}`);
  const host = values.host === 'localhost' ? '127.0.0.1' : (values.host ?? '127.0.0.1');
  // A test double must never be reachable from the network.
  const loopback = (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
  if (!loopback) throw new Error(`--host must be a loopback address, not ${host}`);
  if (values.token === '') throw new Error('--token needs a value');
  return {
    port,
    host,
    token: values.token ?? null,
    demo: values.demo ?? false,
    state: values.state ?? null,
    quiet: values.quiet ?? false,
  };
}
