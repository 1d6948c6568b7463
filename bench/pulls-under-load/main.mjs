// Benchmark: how responsive the app's main loop stays while 8 pulls stream at once from
// the Ollama simulator at full speed, with the window open, next to the same window idle;
// and the same with the Models page open (a row per pull). Longest stall of a 1 ms GLib
// timeout, its p99, the ticks later than a 60 Hz frame, and the CPU of the app's process.
//   node bench/pulls-under-load/main.mjs --scripts DIR [--runs N]
// DIR holds this folder's GJS scripts, bundled by bench/bundle.mjs; the simulator is
// bundled there too. The app runs on a virtual display (tests/session.sh --display), from
// ${PADDOCK_BUILD_DIR:-_build}/prefix. Prints a Markdown table.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { markdownTable } from '../lib/markdown.mjs';
import { endAll, measure, median } from '../lib/measure.mjs';
import { benchArguments } from '../lib/arguments.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const prefix = resolve(root, process.env.PADDOCK_BUILD_DIR || '_build', 'prefix');
const resources = join(prefix, 'share/io.github.paddock.Paddock');
const session = join(root, 'tests', 'session.sh');

const PULLS = 8;
/** Full speed: a progress line per pull every 5 ms (Ollama: 60 ms), 2 GB/s per pull. */
const TICK_MS = 5;
const BYTES_PER_TICK = 10_000_000;
/** Each model: 4,000 ticks of weights, 20 s at the simulator's pace. */
const WEIGHTS_BYTES = 4000 * BYTES_PER_TICK;
const IDLE_MS = 10_000;
const PULLS_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 4 * IDLE_MS + 2 * PULLS_TIMEOUT_MS + 60_000;
const STALL_TARGET = '≤ 16 ms';

const options = benchArguments();
const { runs } = options;
const simulatorScript = join(options.scripts, 'ollama-sim.mjs');
const bundled = spawnSync('node', [join(root, 'build-aux/bundle.mjs'), 'sim', simulatorScript], {
  stdio: 'inherit',
});
if (bundled.status !== 0) process.exit(1);

// Loopback only: no proxy may stand between the app and the simulator.
const env = {
  ...process.env,
  no_proxy: '127.0.0.1',
  NO_PROXY: '127.0.0.1',
  XDG_DATA_DIRS: `${prefix}/share:${process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'}`,
  GSETTINGS_SCHEMA_DIR: join(prefix, 'share/glib-2.0/schemas'),
  // Settings in memory: the raised limit of pulls stays in the app's process.
  GSETTINGS_BACKEND: 'memory',
  // Refused at once: the app falls back on the catalog it ships.
  PADDOCK_CATALOG_URL: 'http://127.0.0.1:9/models',
};
for (const name of ['http_proxy', 'https_proxy', 'all_proxy'])
  for (const variant of [name, name.toUpperCase()]) delete env[variant];

// The simulator stops when its stdin closes, so it never outlives this driver.
const simulator = spawn('node', [simulatorScript, '--port', '0', '--quiet'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    endAll();
    simulator.kill('SIGTERM');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
const [firstLine] = await once(createInterface({ input: simulator.stdout }), 'line');
const simUrl = firstLine.replace(/^listening on /, '');
env.OLLAMA_HOST = simUrl;

async function control(path, body) {
  const reply = await globalThis.fetch(`${simUrl}/__sim/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`simulator ${path}: HTTP ${reply.status} ${await reply.text()}`);
}

const names = (run) => Array.from({ length: 3 * PULLS }, (_, i) => `bench-${run}-${i + 1}:40b`);

/** A fresh simulator: nothing installed, the models of this run, full speed. */
async function prepare(run) {
  await control('reset', {});
  await control('registry', {
    models: names(run).map((name) => ({
      name,
      layers: [
        { size: WEIGHTS_BYTES },
        { size: 560, mediaType: 'application/vnd.docker.container.image.v1+json' },
      ],
    })),
  });
  await control('config', { tickMs: TICK_MS, bytesPerTick: BYTES_PER_TICK });
}

const results = [];
let failure = '';
try {
  for (let run = 1; run <= runs && !failure && !interrupted; run++) {
    process.stderr.write(`pulls-under-load: run ${run} of ${runs}\n`);
    await prepare(run);
    const result = await measure(
      [
        session,
        '--display',
        'gjs',
        '-m',
        join(options.scripts, 'window-load.js'),
        resources,
        String(IDLE_MS),
        String(PULLS_TIMEOUT_MS),
        ...names(run),
      ],
      { timeoutMs: RUN_TIMEOUT_MS, env },
    );
    const line = result.stdout
      .split('\n')
      .reverse()
      .find((text) => text.startsWith('{'));
    if (!result.ok) failure = result.error;
    else if (!line) failure = `printed no result: ${result.stdout.trim().slice(0, 200)}`;
    else results.push(JSON.parse(line));
  }
} catch (error) {
  failure = String(error);
} finally {
  simulator.stdin.end();
}

// What the stalls come down to, in a bare GJS process (one run each, no display needed).
const GC_KINDS = ['read_bytes_async', 'skip_async', 'read_bytes', 'idle_add'];
const gcAfter = [];
for (const kind of GC_KINDS) {
  if (interrupted || failure) break;
  process.stderr.write(`pulls-under-load: garbage collection after ${kind}\n`);
  const result = await measure(
    ['gjs', '-m', join(options.scripts, 'gc-after-async-calls.js'), kind],
    { timeoutMs: 120_000, env },
  );
  if (!result.ok) failure = `gc-after-async-calls ${kind}: ${result.error}`;
  else gcAfter.push({ kind, value: JSON.parse(result.stdout.trim().split('\n').pop()) });
}

const fixed = (value, digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value) => fixed(value, value >= 100 ? 0 : 1);

const rows = [];
if (results.length > 0) {
  const phases = results[0].phases.map((phase) => phase.phase);
  for (const [index, phase] of phases.entries()) {
    const of = (key) => results.map((result) => result.phases[index][key]);
    const loaded = of('pullsMs')[0] !== undefined;
    rows.push([
      phase,
      ms(Math.max(...of('maxLateMs'))),
      ms(median(of('maxLateMs'))),
      ms(median(of('maxLateRunMs'))),
      ms(median(of('p99LateMs'))),
      fixed(median(of('over16')), 0),
      ms(median(of('maxBusyMs'))),
      fixed(median(of('cpuPercent')), 0),
      fixed(median(of('readsPerSecond')), 0),
      ms(median(of('gcAfterMs'))),
      loaded ? fixed(median(of('pullsMs')) / 1000, 1) : '',
      loaded ? STALL_TARGET : '',
    ]);
  }
}

const runsText = results.length === 1 ? 'one run' : `${results.length} runs`;
const versions = results[0]?.versions;
const seconds = ((WEIGHTS_BYTES / BYTES_PER_TICK) * TICK_MS) / 1000;
console.log(`## pulls-under-load: the window while ${PULLS} pulls stream at full speed

The app as it runs (\`AppServices\`, \`PaddockApplication\`, its window) against the
Ollama simulator: ${PULLS} pulls at once (the limit per server raised to ${PULLS}), each a model of
${fixed(WEIGHTS_BYTES / 1e9, 0)} GB streamed at a progress line every ${TICK_MS} ms (Ollama: 60 ms), ${fixed((PULLS * 1000) / TICK_MS, 0)} lines a second
in all, for ${seconds} s at the simulator's pace, until all are complete; next to it the same
window idle for ${IDLE_MS / 1000} s. Then both again with the Models page open, where each pull has a row.
A 1 ms \`GLib.timeout_add\` at the default priority notes how late each tick comes: the
longest stall is the longest the main loop kept it waiting. The kernel's schedstat splits
each wait into the main thread's time on a CPU (the app's doing) and time spent waiting
for a CPU that other processes had: "on CPU" is that share of the longest stall, "busiest
gap" the most CPU time the main thread used between two ticks. CPU % is the whole app
process (user + system, all threads, in % of one core; the simulator and Xvfb not
included), reads/s the calls of \`read_bytes_async\` on the pulls' streams, "GC after" the
time \`System.gc()\` took right after the phase: what it left to collect.
${runsText}, one app process each; medians of the runs, and the longest stall's maximum.

${
  rows.length > 0
    ? markdownTable(
        [
          'Phase',
          'Longest stall ms (max)',
          '(median)',
          'On CPU ms',
          'p99 ms',
          'Ticks > 16 ms',
          'Busiest gap ms',
          'CPU %',
          'Reads/s',
          'GC after ms',
          'Pulls done s',
          'Target',
        ],
        rows,
        ['left', ...Array(10).fill('right'), 'left'],
      )
    : 'No measurement.'
}
${
  gcAfter.length > 0
    ? `
The stalls reduced to their cause: in a bare GJS process, N calls of one kind one after
another, each awaited (on a \`Gio.MemoryInputStream\`), then \`System.gc()\`; ms, one run:

${markdownTable(
  ['Calls', ...Object.keys(gcAfter[0].value).map((n) => `GC after ${fixed(Number(n), 0)}`)],
  gcAfter.map(({ kind, value }) => [
    kind === 'read_bytes' ? '`read_bytes` (sync)' : `\`${kind}\``,
    ...Object.values(value).map((entry) => ms(entry.gcMs)),
  ]),
  ['left', ...Object.keys(gcAfter[0].value).map(() => 'right')],
)}
`
    : ''
}${failure ? `\n- ${failure}\n` : ''}
${versions ? `gjs ${versions.gjs}, GTK ${versions.gtk}, libadwaita ${versions.adw}, renderer ${versions.renderer}, on Xvfb.` : ''}
`);
process.exitCode = failure ? 1 : 0;
