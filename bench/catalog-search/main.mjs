// Benchmark: searching the model catalog as the user types, with the GTK filter and sort
// list models and with Paddock's pulldown, at 351, 7,774 and 100,000 entries; and the
// time to open the Add Model dialog with a cached catalog, next to a bare dialog.
//   node bench/catalog-search/main.mjs --scripts DIR [--runs N]
// DIR holds this folder's GJS scripts, bundled by bench/bundle.mjs. They run on a virtual
// display (tests/session.sh --display). The dialog comes from the built app, in
// ${PADDOCK_BUILD_DIR:-_build}/prefix. Prints Markdown tables.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { markdownTable } from '../lib/markdown.mjs';
import { endAll, measure, median } from '../lib/measure.mjs';
import { TagsServer } from './tags-server.mjs';
import { benchArguments } from '../lib/arguments.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const fixtures = join(root, 'bench', 'fixtures');
const resources = resolve(
  root,
  process.env.PADDOCK_BUILD_DIR || '_build',
  'prefix/share/io.github.paddock.Paddock',
);
const session = join(root, 'tests', 'session.sh');
/** Never asked: the cache is fresh and says it came from here. */
const CATALOG_URL = 'http://127.0.0.1:9/library.json';

const CATALOGS = [
  { id: 'families', label: 'real: families (2026-04)', target: '' },
  { id: 'tags', label: 'real: every tag (2025-12)', target: '≤ 2 ms' },
  { id: 'synthetic', label: 'synthetic', target: '≤ 16 ms' },
];
const DIALOG_TARGET = '≤ 150 ms';

const options = benchArguments();
const { runs } = options;
const script = (name) => join(options.scripts, name);

// Loopback only: no proxy may stand between the dialog and its server.
const env = { ...process.env, no_proxy: '127.0.0.1', NO_PROXY: '127.0.0.1' };
for (const name of ['http_proxy', 'https_proxy', 'all_proxy'])
  for (const variant of [name, name.toUpperCase()]) delete env[variant];

const server = new TagsServer();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    endAll();
    server.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

/**
 * Runs a GJS script on a virtual display; it prints one line of JSON. Daemons that the
 * session's D-Bus starts (the accessibility registry) may write on the same stdout.
 */
async function runScript(args, timeoutMs) {
  if (interrupted) return { error: 'interrupted' };
  const result = await measure([session, '--display', 'gjs', '-m', ...args], { timeoutMs, env });
  if (!result.ok) return { error: result.error };
  const line = result.stdout
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'));
  try {
    return { value: JSON.parse(line) };
  } catch {
    return { error: `printed no result: ${result.stdout.trim().slice(0, 200) || 'nothing'}` };
  }
}

// Keystrokes: one process per catalog, every run in it.
const keystrokes = [];
for (const catalog of CATALOGS) {
  process.stderr.write(`catalog-search: keystrokes, ${catalog.id}, ${runs} runs\n`);
  const measured = await runScript(
    [script('keystrokes.js'), catalog.id, fixtures, String(runs)],
    60_000 + 40_000 * runs,
  );
  keystrokes.push({ ...catalog, ...measured });
}

// Dialog: one process per run, since the first opening in a process is the slow one.
const dialogRuns = [];
let dialogError = '';
try {
  const ollamaUrl = await server.start();
  const catalogJson = readFileSync(join(fixtures, 'ollama-library-2026-04.json'), 'utf-8');
  for (let run = 1; run <= runs && !dialogError && !interrupted; run++) {
    process.stderr.write(`catalog-search: dialog, run ${run} of ${runs}\n`);
    const work = mkdtempSync(join(tmpdir(), 'paddock-bench-'));
    try {
      writeFileSync(
        join(work, 'models.cache.json'),
        `{"fetchedAt": ${Date.now()}, "source": ${JSON.stringify(CATALOG_URL)}, "catalog": ${catalogJson}}`,
      );
      const measured = await runScript(
        [script('dialog-open.js'), resources, work, CATALOG_URL, ollamaUrl],
        60_000,
      );
      if (measured.error) dialogError = measured.error;
      else dialogRuns.push(measured.value);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
} finally {
  if (!interrupted) await server.close();
}

const fixed = (value, digits = 2) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value) => fixed(value, value >= 100 ? 0 : value >= 10 ? 1 : 2);
/** Nearest rank. */
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)];
const stats = (values) => ({
  median: median(values),
  p95: percentile(values, 95),
  max: Math.max(...values),
});
const ratio = (a, b) => (b > 0 ? `${fixed(a / b, a / b >= 10 ? 0 : 1)}×` : '—');

const both = (values) => {
  const { median: middle, p95 } = stats(values);
  return `${ms(middle)} / ${ms(p95)}`;
};

const searchRows = [];
const partRows = [];
const failures = [];
let largest = null;
for (const catalog of keystrokes) {
  if (catalog.error) {
    failures.push(`- keystrokes, ${catalog.label}: ${catalog.error}`);
    searchRows.push([catalog.label, '', 'failed', '', '', '', '', catalog.target]);
    continue;
  }
  const result = catalog.value;
  const filter = result.baseline.filterMs.flat();
  const sort = result.baseline.sortMs.flat();
  const baseline = stats(filter.map((value, i) => value + sort[i]));
  const paddock = stats(result.paddockMs.flat());
  const entries = fixed(result.entries, 0);
  searchRows.push(
    [
      catalog.label,
      entries,
      'GTK filter + sort models',
      ms(baseline.median),
      ms(baseline.p95),
      ms(baseline.max),
      '',
      '',
    ],
    [
      '',
      '',
      'Paddock pulldown',
      ms(paddock.median),
      ms(paddock.p95),
      ms(paddock.max),
      `${ratio(baseline.median, paddock.median)} / ${ratio(baseline.p95, paddock.p95)}`,
      catalog.target,
    ],
  );
  partRows.push([
    `${catalog.label}, ${entries}`,
    both(filter),
    both(sort),
    both(result.filterOnlyMs.flat()),
    ms(result.setupMs.baseline),
    ms(result.setupMs.paddock),
  ]);
  largest = { catalog, result };
}

let perKeystroke = '';
if (largest) {
  const { catalog, result } = largest;
  const rows = result.texts.map((text, i) => {
    const atKeystroke = (runsMs) => median(runsMs.map((run) => run[i]));
    const { filterMs, sortMs } = result.baseline;
    return [
      `\`${text.replaceAll(' ', '␣')}\``,
      fixed(result.results[i].matches, 0),
      fixed(result.results[i].shown, 0),
      ms(median(filterMs.map((run, r) => run[i] + sortMs[r][i]))),
      ms(atKeystroke(result.filterOnlyMs)),
      ms(atKeystroke(result.paddockMs)),
    ];
  });
  perKeystroke = `Each keystroke in the ${catalog.label} catalog (${fixed(result.entries, 0)} \
entries), median of the runs, in ms (␣ is a space):

${markdownTable(
  ['Text', 'Matches', 'Shown', 'GTK filter + sort', 'GTK filter alone', 'Paddock'],
  rows,
  ['left', 'right', 'right', 'right', 'right', 'right'],
)}
`;
}

const dialogRows = [];
let catalogLoad = '';
if (dialogRuns.length > 0) {
  const column = (key, field) => dialogRuns.map((run) => run[key][field]);
  const range = (values) => `${ms(Math.min(...values))}–${ms(Math.max(...values))}`;
  const row = (label, key, target) => {
    const first = column(key, 'firstFrameMs');
    const ready = column(key, 'readyMs');
    return [label, ms(median(first)), range(first), ms(median(ready)), range(ready), target];
  };
  const difference = (label, dialog, bare) => [
    label,
    ms(median(column(dialog, 'firstFrameMs')) - median(column(bare, 'firstFrameMs'))),
    '',
    ms(median(column(dialog, 'readyMs')) - median(column(bare, 'readyMs'))),
    '',
    '',
  ];
  dialogRows.push(
    row('bare `Adw.Dialog` + label, first in the process', 'bareFirst', ''),
    row('Add Model, first (reads the catalog cache)', 'addModelFirst', DIALOG_TARGET),
    row('bare `Adw.Dialog` + label, again', 'bareAgain', ''),
    row('Add Model, again (catalog in memory)', 'addModelAgain', DIALOG_TARGET),
    difference('Add Model − bare, first', 'addModelFirst', 'bareFirst'),
    difference('Add Model − bare, again', 'addModelAgain', 'bareAgain'),
  );
  const loads = dialogRuns.map((run) => run.catalogLoadMs);
  catalogLoad = `
In the first opening, loading the catalog (reading the cache file, parsing it, making
its ${dialogRuns[0].catalogModels} families) took ${ms(median(loads))} ms (${range(loads)}), \
between the dialog's first frames.
`;
}
if (dialogError) failures.push(`- dialog: ${dialogError}`);

const versions = keystrokes.find((catalog) => catalog.value)?.value.versions;
const runsText = runs === 1 ? 'one run' : `${runs} runs`;
const keystrokeCount = keystrokes.find((catalog) => catalog.value)?.value.texts.length ?? 0;

console.log(`## catalog-search: searching the catalog as you type, and opening Add Model

A keystroke is the time from setting the search text to having the updated, sorted
result (its count and first item), over ${keystrokeCount} keystrokes: typing \`qwen3 coder\`,
backspacing to \`qwen3\`, typing \`-coder\`; ${runsText} after a warm-up run, all keystrokes
of all runs pooled. Both searches rank the same way and run over the same
\`Gio.ListStore\`, in turns; every keystroke checks that the pulldown shows the head of
the GTK models' list. The GTK models hold every match; the pulldown the best 200.

${markdownTable(
  [
    'Catalog',
    'Entries',
    'Search',
    'Median ms',
    'p95 ms',
    'Max ms',
    'GTK / Paddock (median / p95)',
    'Target (median)',
  ],
  searchRows,
  ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'left'],
)}

Where the GTK models' time goes, median / p95 ms per keystroke: \`filter.changed()\`
under the sort model (which re-sorts what the filter model reports changed), then
\`sorter.changed()\`; and the same filter model alone, unsorted. Then what setting each
search up over the catalog costs (ms, once):

${markdownTable(
  [
    'Catalog',
    '`filter.changed()`',
    '`sorter.changed()`',
    'Filter model alone',
    'Set-up, GTK models',
    'Set-up, pulldown',
  ],
  partRows,
  ['left', 'right', 'right', 'right', 'right', 'right'],
)}

${perKeystroke}
Opening the Add Model dialog over a window, with the 351-family catalog cached on disk,
against a bare \`Adw.Dialog\` holding one label, in the same process: from \`new\` to the
first frame painted with the dialog's content, and to the first frame that shows the
search entry (the bare dialog: its label). Median of ${runsText}, one process each.

${
  dialogRows.length > 0
    ? markdownTable(
        ['Dialog', 'First frame ms', 'min–max', 'Search shown ms', 'min–max', 'Target'],
        dialogRows,
        ['left', 'right', 'right', 'right', 'right', 'left'],
      )
    : 'No dialog measurement.'
}
${catalogLoad}
${failures.length ? `${failures.join('\n')}\n\n` : ''}${versions ? `gjs ${versions.gjs}, GTK ${versions.gtk}, libadwaita ${versions.adw}, renderer ${versions.renderer}, on Xvfb.` : ''}
`);
process.exitCode = failures.length > 0 ? 1 : 0;
