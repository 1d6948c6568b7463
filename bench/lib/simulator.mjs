// The Ollama simulator for a benchmark: bundled next to its scripts, started on a free
// loopback port, driven through its control API, stopped with the benchmark (also when it
// is interrupted).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { endAll } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The environment for processes that talk to the simulator: no proxy in between. */
export function loopbackEnv() {
  const env = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost' };
  for (const name of ['http_proxy', 'https_proxy', 'all_proxy'])
    for (const variant of [name, name.toUpperCase()]) delete env[variant];
  return env;
}

/** Bundles and starts the simulator; exits the process when it cannot. */
export async function startSimulator(scriptsDir, label) {
  const script = join(scriptsDir, 'ollama-sim.mjs');
  const bundled = spawnSync('node', [join(root, 'build-aux/bundle.mjs'), 'sim', script], {
    stdio: 'inherit',
  });
  if (bundled.status !== 0) process.exit(1);
  const sim = spawn('node', [script, '--port', '0', '--quiet'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () => sim.kill('SIGTERM');
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      endAll();
      stop();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  const firstLine = await new Promise((resolveLine) =>
    createInterface({ input: sim.stdout }).once('line', resolveLine),
  );
  const url = /^listening on (http:\/\/\S+)$/.exec(firstLine)?.[1];
  if (!url) {
    console.error(`${label}: the simulator did not start: ${firstLine}`);
    stop();
    process.exit(1);
  }
  async function control(method, path, body) {
    const response = await globalThis.fetch(`${url}/__sim/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
  return { url, control, stop };
}
