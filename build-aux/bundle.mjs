// Bundles TypeScript for GJS (and the simulator for Node) with esbuild.
//   node build-aux/bundle.mjs app XMLFILE PREFIX  src/main.ts → js/main.js and its chunks
//                                                (ESM for GJS) beside XMLFILE, a GResource XML
//                                                that lists them all under PREFIX/js
//   node build-aux/bundle.mjs tests OUTDIR       every tests/unit/**/*-spec.ts, one file each
//   node build-aux/bundle.mjs sim OUTFILE        the Ollama simulator, for Node
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [what, outArg, resourcePrefix] = process.argv.slice(2);
// Paths given by the caller (meson passes build-relative ones) are from its cwd.
const out = outArg && resolve(outArg);

const gjs = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // GJS 1.80 runs SpiderMonkey 115.
  target: 'firefox115',
  external: ['gi://*', 'resource://*', 'gettext', 'system', 'cairo', 'console'],
  logLevel: 'warning',
  absWorkingDir: root,
};

function specFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return specFiles(path);
    return name.endsWith('-spec.ts') ? [path] : [];
  });
}

switch (what) {
  case 'app': {
    if (!resourcePrefix) usage();
    // Chunks of an earlier build must not linger in the folder (nor in the GResource).
    const jsDir = join(dirname(out), 'js');
    rmSync(jsDir, { recursive: true, force: true });
    const result = await build({
      ...gjs,
      entryPoints: ['src/main.ts'],
      outdir: jsDir,
      // What the window's first frame does not need comes in chunks, loaded by import()
      // at first use. Names hash their content: the same sources give the same names.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
    });
    const files = Object.keys(result.metafile.outputs)
      .map((path) => relative(jsDir, resolve(root, path)).split(sep).join('/'))
      .sort();
    writeFileSync(
      out,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gresources>',
        `  <gresource prefix="${resourcePrefix}/js">`,
        ...files.map((file) => `    <file>${file}</file>`),
        '  </gresource>',
        '</gresources>',
        '',
      ].join('\n'),
    );
    // A depfile, so that meson rebuilds when any bundled source changes, is added or goes.
    const inputs = Object.keys(result.metafile.inputs).map((path) => resolve(root, path));
    writeFileSync(
      `${out}.d`,
      `${out}: ${inputs.map((path) => path.replace(/ /g, '\\ ')).join(' ')}\n`,
    );
    break;
  }
  case 'tests': {
    const dir = join(root, 'tests/unit');
    await build({
      ...gjs,
      entryPoints: specFiles(dir).map((path) => relative(root, path)),
      outbase: 'tests/unit',
      outdir: out,
      // All specs run in one GJS process: shared modules (and the GObject classes they
      // register) must load once, from shared chunks.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      // src/main.ts imports it first for the app; every spec bundle includes it (specs run
      // only once all are loaded).
      inject: ['src/util/promisify.ts'],
    });
    break;
  }
  case 'sim':
    await build({
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      entryPoints: ['tests/sim/main.ts'],
      outfile: out,
      logLevel: 'warning',
      absWorkingDir: root,
    });
    break;
  default:
    usage();
}

function usage() {
  console.error('usage: bundle.mjs app XMLFILE PREFIX | tests OUTDIR | sim OUTFILE');
  process.exit(2);
}
