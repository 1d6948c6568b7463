// Writes the npm sources of the Flatpak build from package-lock.json: one flatpak-builder
// archive source per package the meson build needs, with its tarball URL and the lockfile's
// integrity, unpacked where npm would have installed it (so `node_modules/esbuild` works
// offline in the Flatpak SDK).
//   node build-aux/flatpak-sources.mjs [OUTFILE]
// OUTFILE defaults to build-aux/flatpak/generated-sources.json.
//
// The build needs what build-aux/bundle.mjs imports (esbuild) and whatever npm code ends up
// in the app bundle, with their dependencies; linters, type checkers and test tools never run
// there. Platform packages (esbuild's binaries) are kept for Linux on Flathub's two arches.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { format, resolveConfig } from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultOut = join(root, 'build-aux/flatpak/generated-sources.json');
// Where npm leaves `resolved` out of the lockfile (omit-lockfile-registry-resolved), a
// registry package's tarball is at the public registry's usual address.
const registry = 'https://registry.npmjs.org/';
// npm's `cpu` names → the Flatpak arches Flathub builds.
const flatpakArches = { x64: 'x86_64', arm64: 'aarch64' };

class SourcesError extends Error {}

/** The package an import path is in: `@scope/name/sub` → `@scope/name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages that build-aux/bundle.mjs itself imports. */
async function toolPackages() {
  const result = await build({
    entryPoints: ['build-aux/bundle.mjs'],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const builtins = new Set(builtinModules);
  return Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((imported) => imported.external && !imported.path.startsWith('node:'))
    .map((imported) => packageName(imported.path))
    .filter((name) => !builtins.has(name));
}

/** Lockfile keys of the packages whose files the app bundle is made of (from its depfile). */
async function bundledPackages(lockKeys) {
  const dir = await mkdtemp(join(tmpdir(), 'paddock-flatpak-sources-'));
  try {
    const out = join(dir, 'paddock.src.gresource.xml');
    await promisify(execFile)(process.execPath, [
      join(root, 'build-aux/bundle.mjs'),
      'app',
      out,
      '/io/github/paddock/Paddock',
    ]);
    const depfile = await readFile(`${out}.d`, 'utf8');
    const inputs = depfile
      .slice(depfile.indexOf(': ') + 2)
      .trim()
      .split(/(?<!\\) /)
      .map((path) => relative(root, path.replace(/\\ /g, ' ')).split(sep).join('/'));
    const keys = new Set();
    for (const input of inputs.filter((path) => path.startsWith('node_modules/'))) {
      // The innermost package folder (a lockfile key) that holds this file.
      const parts = input.split('/');
      for (let end = parts.length - 1; end > 1; end--) {
        const key = parts.slice(0, end).join('/');
        if (lockKeys.has(key)) {
          keys.add(key);
          break;
        }
      }
    }
    return [...keys];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where npm put `name` for the package at `from`: its own node_modules, then each parent's. */
function resolveKey(packages, from, name) {
  let base = from;
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (key in packages) return key;
    if (!base) return null;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

/** The Flatpak arches a package installs on (null: any), or false when it is not for Linux. */
function arches(entry) {
  const allows = (list, value) =>
    !list ||
    ((!list.some((item) => !item.startsWith('!')) || list.includes(value)) &&
      !list.includes(`!${value}`));
  if (!allows(entry.os, 'linux') || !allows(entry.libc, 'glibc')) return false;
  if (!entry.cpu) return null;
  const fitting = Object.entries(flatpakArches)
    .filter(([cpu]) => allows(entry.cpu, cpu))
    .map(([, arch]) => arch);
  if (fitting.length === 0) return false;
  return fitting.length === Object.keys(flatpakArches).length ? null : fitting;
}

/** The lockfile's strongest checksum as flatpak-builder wants it: algorithm and hex digest. */
function checksum(key, integrity) {
  const hashes = new Map(
    (integrity ?? '').split(/\s+/).map((hash) => [hash.slice(0, hash.indexOf('-')), hash]),
  );
  for (const algorithm of ['sha512', 'sha256']) {
    const hash = hashes.get(algorithm);
    if (hash)
      return [algorithm, Buffer.from(hash.slice(algorithm.length + 1), 'base64').toString('hex')];
  }
  throw new SourcesError(`${key}: no sha512 or sha256 integrity in package-lock.json`);
}

function tarballUrl(key, entry) {
  if (entry.resolved) {
    if (!entry.resolved.startsWith('https://'))
      throw new SourcesError(`${key}: ${entry.resolved} is not a tarball Flatpak can download`);
    return entry.resolved;
  }
  const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return `${registry}${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${entry.version}.tgz`;
}

async function sources() {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8'));
  const packages = lock.packages;
  if (!packages || lock.lockfileVersion < 2)
    throw new SourcesError('package-lock.json must be lockfileVersion 2 or newer');

  const roots = (await toolPackages()).map((name) => {
    const key = resolveKey(packages, '', name);
    if (!key) throw new SourcesError(`build-aux/bundle.mjs imports ${name}, not in the lockfile`);
    return key;
  });
  roots.push(...(await bundledPackages(new Set(Object.keys(packages)))));

  const needed = new Map();
  const queue = roots.map((key) => ({ key, optional: false }));
  while (queue.length > 0) {
    const { key, optional } = queue.shift();
    if (needed.has(key)) continue;
    const entry = packages[key];
    if (entry.link) throw new SourcesError(`${key} is a link, which Flatpak cannot download`);
    const on = arches(entry);
    if (on === false) {
      if (optional) continue;
      throw new SourcesError(`${key} is needed but does not install on Linux x86_64/aarch64`);
    }
    needed.set(key, on);
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (name) => !entry.peerDependenciesMeta?.[name]?.optional,
    );
    const dependencies = [
      ...Object.keys(entry.dependencies ?? {}).map((name) => [name, false]),
      ...peers.map((name) => [name, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, true]),
    ];
    for (const [name, optionalDependency] of dependencies) {
      const found = resolveKey(packages, key, name);
      if (found) queue.push({ key: found, optional: optionalDependency });
      else if (!optionalDependency)
        throw new SourcesError(`${key} depends on ${name}, which is not in the lockfile`);
    }
  }

  return [...needed.keys()].sort().map((key) => {
    const entry = packages[key];
    const [algorithm, digest] = checksum(key, entry.integrity);
    const source = {
      type: 'archive',
      'archive-type': 'tar-gzip',
      url: tarballUrl(key, entry),
      [algorithm]: digest,
      dest: key,
    };
    const on = needed.get(key);
    if (on) source['only-arches'] = on;
    return source;
  });
}

const out = resolve(process.argv[2] ?? defaultOut);
try {
  // Formatted as prettier would, so that `prettier --check .` agrees with the generator.
  const options = { ...(await resolveConfig(defaultOut)), filepath: defaultOut };
  await writeFile(out, await format(JSON.stringify(await sources()), options));
} catch (error) {
  if (!(error instanceof SourcesError)) throw error;
  console.error(`flatpak-sources: ${error.message}`);
  process.exit(1);
}
