// The app's bundle is split so that each start loads only what it needs: bundles src/ as
// meson does (build-aux/bundle.mjs app), then checks that the GResource XML lists exactly
// the files written, and which source modules each start loads before it runs, following
// the static imports from main.js (import() loads later, at first use).
//   node tests/packaging/check-bundle-split.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PREFIX = '/io/github/paddock/Paddock';

/** Split off: neither start loads these before its first use. */
const LATER = [
  'src/ui/preferences-dialog.ts',
  'src/ui/models-page.ts',
  'src/ui/connections-page.ts',
  'src/ui/connection-dialog.ts',
  'src/ui/add-model-dialog.ts',
  'src/ui/hub-model-search.ts',
  'src/ui/hub-quant-picker.ts',
  'src/ui/size-list-factory.ts',
  'src/ui/fit-size-adviser.ts',
  'src/ui/model-details-page.ts',
  'src/catalog/available-models.ts',
];
/** The window's start loads none of the command line. */
const NOT_IN_WINDOW = ['src/cli/'];
/** A command's start loads none of the window. */
const NOT_IN_COMMANDS = ['src/ui/', 'src/application.ts'];

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const problems = [];
const work = mkdtempSync(join(tmpdir(), 'paddock-bundle-split-'));
try {
  const xml = join(work, 'paddock.src.gresource.xml');
  execFileSync(process.execPath, [join(root, 'build-aux/bundle.mjs'), 'app', xml, PREFIX]);
  const js = join(work, 'js');
  const written = filesUnder(js)
    .map((path) => relative(js, path).split(sep).join('/'))
    .sort();
  const text = readFileSync(xml, 'utf8');
  if (!text.includes(`<gresource prefix="${PREFIX}/js">`))
    problems.push(`the XML has no gresource at ${PREFIX}/js`);
  const listed = [...text.matchAll(/<file>([^<]+)<\/file>/g)].map((match) => match[1]).sort();
  if (JSON.stringify(listed) !== JSON.stringify(written))
    problems.push(`the XML lists ${listed.join(' ')}, the bundler wrote ${written.join(' ')}`);
  if (written.length < 2) problems.push('the bundle is not split');

  const source = (file) => readFileSync(join(js, file), 'utf8');
  /** The files a file loads before it runs: its static imports, and theirs. */
  const loadedBy = (start) => {
    const seen = new Set();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      for (const [, path] of source(file).matchAll(/^(?:import|export)\b[^;]*?"(\.[^"]+)";$/gms))
        queue.push(join(dirname(file), path).split(sep).join('/'));
    }
    return seen;
  };
  /** esbuild heads each module's code with a comment naming its source. */
  const modulesIn = (files) =>
    new Set(
      [...files].flatMap((file) =>
        [...source(file).matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((match) => match[1]),
      ),
    );
  /** The file that a dynamic import() in `from` of a module named `name` loads. */
  const imported = (from, name) => {
    const found = [...source(from).matchAll(/import\("\.\/([^"]+)"\)/g)]
      .map((match) => join(dirname(from), match[1]).split(sep).join('/'))
      .find((path) => path.startsWith(`chunks/${name}-`));
    if (!found) problems.push(`main.js does not import() ${name}`);
    return found;
  };

  const starts = {
    window: imported('main.js', 'application'),
    commands: imported('main.js', 'command-line-application'),
  };
  for (const [start, entry] of Object.entries(starts)) {
    if (!entry) continue;
    const modules = modulesIn(new Set([...loadedBy('main.js'), ...loadedBy(entry)]));
    if (modules.size < 10) problems.push(`the ${start} start loads only ${[...modules]}`);
    const unwanted = [...LATER, ...(start === 'window' ? NOT_IN_WINDOW : NOT_IN_COMMANDS)];
    for (const module of modules)
      if (unwanted.some((path) => module.startsWith(path)))
        problems.push(`the ${start} start loads ${module}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-bundle-split: ${problem}`);
  process.exit(1);
}
console.log('check-bundle-split: ok');
