// Bundles the benchmarks' GJS scripts (bench/**/*.ts) for GJS, one file each and shared
// chunks, with the settings of build-aux/bundle.mjs.
//   node bench/bundle.mjs OUTDIR   bench/NAME/x.ts → OUTDIR/NAME/x.js
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const [outArg] = process.argv.slice(2);
if (!outArg) {
  console.error('usage: bench/bundle.mjs OUTDIR');
  process.exit(2);
}

function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

// Chunks of an earlier build must not pile up beside the new ones.
rmSync(join(resolve(outArg), 'chunks'), { recursive: true, force: true });

await build({
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // GJS 1.80 runs SpiderMonkey 115.
  target: 'firefox115',
  external: ['gi://*', 'resource://*', 'gettext', 'system', 'cairo', 'console'],
  logLevel: 'warning',
  absWorkingDir: root,
  entryPoints: scripts(here),
  outbase: 'bench',
  // The scripts use app modules, which await what src/main.ts promisifies first.
  inject: ['src/util/promisify.ts'],
  outdir: resolve(outArg),
  // As the app: what its modules import() at first use loads then, from its own chunk.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
