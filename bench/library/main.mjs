// Benchmark: the window's model library with 5 servers of 200 models each. How long after
// the process starts the library is painted with its models, next to a bare libadwaita
// window's start in the same run; the main loop's time per keystroke of the library's
// search; and the main loop's time one refresh of every server costs.
//   node bench/library/main.mjs --scripts DIR [--runs N]
// DIR holds this folder's GJS scripts, bundled by bench/bundle.mjs; the simulator is
// bundled there too. Both windows run on a virtual display (tests/session.sh --display),
// the app from ${PADDOCK_BUILD_DIR:-_build}/prefix. Prints Markdown tables.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { markdownTable } from '../lib/markdown.mjs';
import { endAll, measure, median } from '../lib/measure.mjs';
import { libraryModels } from './library-models.mjs';
import { benchArguments } from '../lib/arguments.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const prefix = resolve(root, process.env.PADDOCK_BUILD_DIR || '_build', 'prefix');
const resources = join(prefix, 'share/io.github.paddock.Paddock');
const session = join(root, 'tests', 'session.sh');

const SERVERS = 5;
const MODELS = 200;
const REFRESHES = 3;
/** Typed letter by letter; each then cleared. */
const QUERIES = ['deepseek', 'qwen3-coder', 'llama3.2'];
/** Paddock's default window size (data/*.gschema.xml). */
const WIDTH = 900;
const HEIGHT = 640;
const RUN_TIMEOUT_MS = 300_000;
const TARGETS = { start: '≤ 1.20×', keystroke: '≤ 4 ms median', refresh: '≤ 50 ms' };

const options = benchArguments();
const { runs } = options;
const simulatorScript = join(options.scripts, 'ollama-sim.mjs');
const bundled = spawnSync('node', [join(root, 'build-aux/bundle.mjs'), 'sim', simulatorScript], {
  stdio: 'inherit',
});
if (bundled.status !== 0) process.exit(1);

// Loopback only: no proxy may stand between the app and the simulators.
const env = {
  ...process.env,
  LC_ALL: 'C.UTF-8',
  no_proxy: '127.0.0.1',
  NO_PROXY: '127.0.0.1',
  XDG_DATA_DIRS: `${prefix}/share:${process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share'}`,
  GSETTINGS_SCHEMA_DIR: join(prefix, 'share/glib-2.0/schemas'),
  GSETTINGS_BACKEND: 'memory',
  // Refused at once: the app falls back on the catalog it ships, and no update check
  // reaches a registry.
  PADDOCK_CATALOG_URL: 'http://127.0.0.1:9/models',
  PADDOCK_REGISTRY_URL: 'http://127.0.0.1:9',
};
for (const name of ['http_proxy', 'https_proxy', 'all_proxy', 'OLLAMA_HOST'])
  for (const variant of [name, name.toUpperCase()]) delete env[variant];

// Each simulator stops when its stdin closes, so none outlives this driver.
const simulators = [];
let interrupted = false;
const work = mkdtempSync(join(tmpdir(), 'paddock-bench-library-'));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    endAll();
    for (const simulator of simulators) simulator.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
const urls = [];
for (let index = 0; index < SERVERS; index++) {
  const simulator = spawn('node', [simulatorScript, '--port', '0', '--quiet'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  simulators.push(simulator);
  const [firstLine] = await once(createInterface({ input: simulator.stdout }), 'line');
  urls.push(firstLine.replace(/^listening on /, ''));
}

async function control(url, path, body) {
  const reply = await globalThis.fetch(`${url}/__sim/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!reply.ok) throw new Error(`simulator ${path}: HTTP ${reply.status} ${await reply.text()}`);
}

// The servers as a user would have saved them; written into each session's config folder.
const connections = join(work, 'connections.json');
writeFileSync(
  connections,
  JSON.stringify({
    version: 1,
    connections: urls.map((url, index) => ({
      id: `server-${index + 1}`,
      name: ['Workstation', 'Lab GPU', 'Laptop', 'Render Node', 'Home Server'][index],
      url,
      default: index === 0,
      apiKey: false,
    })),
  }),
);

async function prepare() {
  await Promise.all(
    urls.map(async (url, index) => {
      await control(url, 'reset', {});
      await control(url, 'installed', { models: libraryModels(index, MODELS) });
    }),
  );
}

/**
 * Runs SCRIPT in a fresh session; its start is noted just before gjs is executed. With
 * PADDOCK_BENCH_CACHE_IN in `extraEnv` naming a file, the session's data folder starts with
 * it as the lists an earlier start saved (library.json); library-window.js copies the lists
 * it saved to PADDOCK_BENCH_CACHE_OUT.
 */
async function run(script, args, extraEnv = {}) {
  const wrapper =
    'mkdir -p "$XDG_CONFIG_HOME/paddock" "$XDG_DATA_HOME/paddock" && ' +
    'cp "$0" "$XDG_CONFIG_HOME/paddock/" && ' +
    'if [ -n "${PADDOCK_BENCH_CACHE_IN:-}" ] && [ -f "$PADDOCK_BENCH_CACHE_IN" ]; then ' +
    'cp "$PADDOCK_BENCH_CACHE_IN" "$XDG_DATA_HOME/paddock/library.json"; fi && ' +
    'echo "start $EPOCHREALTIME" && exec gjs -m "$@"';
  const result = await measure(
    [
      session,
      '--display',
      'bash',
      '-c',
      wrapper,
      connections,
      join(options.scripts, script),
      ...args,
    ],
    { timeoutMs: RUN_TIMEOUT_MS, env: { ...env, ...extraEnv } },
  );
  if (!result.ok) throw new Error(`${script}: ${result.error}`);
  const lines = result.stdout.split('\n');
  const start = lines.find((line) => line.startsWith('start '));
  const json = lines.reverse().find((line) => line.startsWith('{'));
  if (!start || !json)
    throw new Error(`${script} printed no result: ${result.stdout.slice(0, 200)}`);
  return { startMs: Number(start.slice(6)) * 1000, ...JSON.parse(json) };
}

const bare = [];
/** Paddock's first start, with no saved lists. */
const cold = [];
/** The next start, with the lists the cold one saved: a user's usual start. */
const warm = [];
let failure = '';
try {
  for (let index = 1; index <= runs && !failure && !interrupted; index++) {
    process.stderr.write(`library: run ${index} of ${runs}\n`);
    await prepare();
    const saved = join(work, `library-${index}.json`);
    const paddock = (cacheEnv) =>
      run(
        'library-window.js',
        [resources, String(SERVERS * MODELS), String(REFRESHES), ...QUERIES],
        cacheEnv,
      );
    // Taking turns going first, so that a noisy moment does not land on one only.
    const order = index % 2 ? ['bare', 'paddock'] : ['paddock', 'bare'];
    for (const which of order) {
      if (which === 'bare')
        bare.push(await run('bare-window.js', [String(WIDTH), String(HEIGHT), ...QUERIES]));
      else {
        cold.push(await paddock({ PADDOCK_BENCH_CACHE_OUT: saved }));
        warm.push(await paddock({ PADDOCK_BENCH_CACHE_IN: saved }));
      }
    }
  }
} catch (error) {
  failure = String(error instanceof Error ? error.message : error);
} finally {
  for (const simulator of simulators) simulator.stdin.end();
  rmSync(work, { recursive: true, force: true });
}

// PADDOCK_BENCH_RAW=FILE: every run's measurements as the scripts printed them.
if (process.env.PADDOCK_BENCH_RAW)
  writeFileSync(process.env.PADDOCK_BENCH_RAW, JSON.stringify({ bare, cold, warm }, null, 1));

const fixed = (value, digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value) => fixed(value, value >= 100 ? 0 : 1);
const seconds = (value) => fixed(value / 1000, 2);
const since = (results, key) => results.map((result) => result[key] - result.startMs);
/** Nearest rank. */
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
};
const range = (values) => `${seconds(Math.min(...values))}–${seconds(Math.max(...values))}`;

// Only whole runs count (one that failed may have left some of its processes).
const runsDone = Math.min(bare.length, cold.length, warm.length);
for (const results of [bare, cold, warm]) results.length = runsDone;
/** Searches and refreshes: both starts' processes. */
const library = [...cold, ...warm];
let tables = 'No measurement.';
if (runsDone > 0) {
  const bareMap = since(bare, 'mapMs');
  const barePaint = since(bare, 'paintMs');
  // Each run's figure over the bare window's of the same run, then the median: the
  // machine's mood moves both.
  const ratio = (values, baseline) =>
    `${fixed(median(values.map((value, run) => value / baseline[run])), 2)}×`;
  const startRow = (what, values, target = '') => [
    what,
    seconds(median(values)),
    range(values),
    ratio(values, bareMap),
    ratio(values, barePaint),
    target,
  ];
  const startTable = markdownTable(
    ['From the process start to…', 'Median s', 'Range s', 'vs bare map', 'vs bare paint', 'Target'],
    [
      startRow('bare window: mapped', since(bare, 'mapMs')),
      startRow('bare window: first frame painted', since(bare, 'paintMs')),
      ...[
        ['cold', cold],
        ['warm', warm],
      ].flatMap(([start, results]) => [
        startRow(`Paddock, ${start}: window mapped`, since(results, 'mapMs')),
        startRow(`Paddock, ${start}: first frame painted`, since(results, 'paintMs')),
        startRow(
          `**Paddock, ${start}: first frame with model rows**`,
          since(results, 'rowsPaintMs'),
          TARGETS.start,
        ),
        startRow(
          `Paddock, ${start}: all ${SERVERS * MODELS} rows built, painted`,
          since(results, 'allRowsPaintMs'),
        ),
        startRow(
          `Paddock, ${start}: main loop quiet (capabilities, badges)`,
          results.map((r) => r.allRowsPaintMs - r.startMs + r.settleMs),
        ),
      ]),
    ],
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
  const keyRow = (what, values, target = '') => [
    what,
    fixed(values.length, 0),
    ms(median(values)),
    ms(percentile(values, 0.95)),
    ms(Math.max(...values)),
    target,
  ];
  const keyTable = markdownTable(
    ['Keystroke', 'Count', 'Median ms', 'p95 ms', 'Max ms', 'Target'],
    [
      keyRow(
        'bare search entry: a letter',
        bare.flatMap((r) => r.keystrokes),
      ),
      keyRow(
        'bare search entry: cleared',
        bare.flatMap((r) => r.clears),
      ),
      keyRow(
        '**library: a letter**',
        library.flatMap((r) => r.keystrokes),
        TARGETS.keystroke,
      ),
      keyRow(
        `library: cleared (all ${SERVERS * MODELS} rows back)`,
        library.flatMap((r) => r.clears),
      ),
    ],
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
  const refreshes = library.flatMap((r) => r.refreshMs);
  const idle = library.map((r) => r.idlePerSecond);
  const refreshTable = markdownTable(
    ['Main thread', 'Median ms', 'Range ms', 'Replies in, ms (wall)', 'Target'],
    [
      [
        'idle window, 1 s',
        ms(median(idle)),
        `${ms(Math.min(...idle))}–${ms(Math.max(...idle))}`,
        '',
        '',
      ],
      [
        `**one refresh of ${SERVERS} servers, nothing changed**`,
        ms(median(refreshes)),
        `${ms(Math.min(...refreshes))}–${ms(Math.max(...refreshes))}`,
        ms(median(library.flatMap((r) => r.refreshWallMs))),
        TARGETS.refresh,
      ],
    ],
    ['left', 'right', 'right', 'right', 'left'],
  );
  const matches = library[0].shown.map((count, i) => `“${QUERIES[i]}” ${count}`).join(', ');
  tables = `### Start

*Cold*: Paddock's first start, with no lists saved. *Warm*: the next start, in a fresh
session holding the lists the cold one saved (\`library.json\`), as a user's usual start.

${startTable}

### Search, per keystroke

The queries ${QUERIES.map((q) => `“${q}”`).join(', ')}, typed a letter at a time, each then
cleared (matches at the full query: ${matches}); ${library.length} × ${library[0].keystrokes.length} letters.

${keyTable}

### Refresh

${refreshTable}`;
}

console.log(`## library: the window's library, ${SERVERS} servers × ${MODELS} models

Paddock (\`AppServices\`, \`PaddockApplication\`) started with ${SERVERS} connections, each an
Ollama simulator with ${MODELS} installed models (names, tags and sizes from the real catalog,
modified over 18 months), next to a bare \`Adw.ApplicationWindow\` with a label in the same
run, both ${WIDTH}×${HEIGHT} on Xvfb (cairo). Start: from the process's start (\`exec gjs\`)
to the window's map and to its frame clock's \`after-paint\`. Keystrokes and refreshes: the
main thread's CPU time (\`/proc/thread-self/schedstat\`), from the entry's text changing to
the first frame after its \`search-changed\`, and from \`ModelLibrary.refresh()\` until the
main loop is quiet again (${REFRESHES} refreshes a process). ${bare.length} runs, each a bare window and
two Paddock processes: a cold start, and a warm one with the lists the cold one saved; the
keystrokes and refreshes are both's.

${tables}
${failure ? `\n- ${failure}\n` : ''}`);
process.exitCode = failure ? 1 : 0;
