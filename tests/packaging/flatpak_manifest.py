"""Reads the Flatpak manifest as flatpak-builder parsed it (`flatpak-builder --show-manifest`)
and checks its policy, lays out the app module's sources the way flatpak-builder does, and
prints the meson options flatpak-builder would pass.

  flatpak_manifest.py check MANIFEST PARSED_JSON
  flatpak_manifest.py stage MANIFEST PARSED_JSON DEST
  flatpak_manifest.py meson-args PARSED_JSON PREFIX
"""

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
APP_MODULE = "paddock"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
# GNOME 47 is the oldest runtime Paddock supports (GJS 1.80, GTK 4.14, libadwaita 1.6).
OLDEST_RUNTIME = 47
# Notifications, the keyring, suspend inhibition, network state and background all go
# through portals, so the sandbox needs nothing else.
FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    # Read-only, for the free space where a local Ollama keeps its models (docs/install.md).
    "--filesystem=~/.ollama/models:ro",
    "--filesystem=/var/lib/ollama:ro",
}
# flatpak-builder's arch names for the machine it runs on.
FLATPAK_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


class ManifestError(Exception):
    pass


def load(path):
    return json.loads(Path(path).read_text())


def app_module(parsed):
    modules = parsed.get("modules", [])
    if not modules or modules[-1].get("name") != APP_MODULE:
        raise ManifestError(f"the last module must be the app, {APP_MODULE!r}")
    return modules[-1]


def meson_app_id():
    match = re.search(r"^app_id = '([^']+)'", (PROJECT / "meson.build").read_text(), re.M)
    if not match:
        raise ManifestError("meson.build sets no app_id")
    return match.group(1)


def check(manifest_path, parsed):
    """Every way the parsed manifest breaks the packaging policy, as sentences."""
    problems = []
    manifest_dir = Path(manifest_path).resolve().parent

    def expect(condition, problem):
        if not condition:
            problems.append(problem)

    app_id = meson_app_id()
    expect(parsed.get("id") == app_id, f"id is {parsed.get('id')!r}, meson.build says {app_id!r}")
    expect(parsed.get("command") == "paddock", f"command is {parsed.get('command')!r}")
    expect(parsed.get("runtime") == RUNTIME, f"runtime is {parsed.get('runtime')!r}, not {RUNTIME}")
    expect(parsed.get("sdk") == SDK, f"sdk is {parsed.get('sdk')!r}, not {SDK}")
    version = str(parsed.get("runtime-version", ""))
    expect(
        version.isdigit() and int(version) >= OLDEST_RUNTIME,
        f"runtime-version {version!r} is not a stable GNOME release ≥ {OLDEST_RUNTIME}",
    )

    finish_args = parsed.get("finish-args", [])
    extra = sorted(set(finish_args) - FINISH_ARGS)
    missing = sorted(FINISH_ARGS - set(finish_args))
    expect(not extra, f"finish-args grant more than allowed: {' '.join(extra)}")
    expect(not missing, f"finish-args lack {' '.join(missing)}")
    expect(len(finish_args) == len(set(finish_args)), "finish-args repeat an entry")

    extensions = parsed.get("sdk-extensions", [])
    nodes = [e for e in extensions if re.fullmatch(r"org\.freedesktop\.Sdk\.Extension\.node\d+", e)]
    expect(len(nodes) == 1, f"sdk-extensions must hold one Node extension, not {extensions}")

    try:
        module = app_module(parsed)
    except ManifestError as error:
        problems.append(str(error))
        return problems
    buildsystem = module.get("buildsystem")
    expect(buildsystem == "meson", f"the app module builds with {buildsystem!r}, not meson")
    if nodes:
        node_bin = f"/usr/lib/sdk/{nodes[0].rsplit('.', 1)[1]}/bin"
        paths = []
        for options in (parsed.get("build-options", {}), module.get("build-options", {})):
            for key in ("append-path", "prepend-path"):
                paths += options.get(key, "").split(":")
        expect(node_bin in paths, f"the app module's PATH lacks {node_bin}")
    all_options = [parsed.get("build-options", {})]
    all_options += [m.get("build-options", {}) for m in parsed["modules"]]
    for options in all_options:
        expect(
            "--share=network" not in options.get("build-args", []),
            "a build step asks for the network, which Flathub's builders do not have",
        )

    sources = module.get("sources", [])
    dirs = [s for s in sources if s.get("type") == "dir"]
    expect(
        len(dirs) == 1 and (manifest_dir / dirs[0].get("path", "")).resolve() == PROJECT,
        "the app module must build this checkout (one dir source pointing at it)",
    )
    if dirs:
        expect("node_modules" in dirs[0].get("skip", []), "the dir source must skip node_modules")
    generated = load(manifest_dir / "generated-sources.json")
    expect(
        all(source in sources for source in generated),
        "the app module does not use every source of generated-sources.json",
    )
    archives = [s for s in sources if s.get("type") == "archive"]
    expect(
        any(s.get("dest") == "node_modules/esbuild" for s in archives),
        "no source provides node_modules/esbuild, which the bundle step needs",
    )
    for source in sources:
        if source.get("type") in ("archive", "file"):
            expect(
                "sha256" in source or "sha512" in source,
                f"{source.get('url')} has no sha256 or sha512",
            )
    return problems


def builds_here(source, arch):
    only = source.get("only-arches")
    return (not only or arch in only) and arch not in source.get("skip-arches", [])


def npm_cache_file(algorithm, digest):
    """npm files every tarball it fetched in its cache under the tarball's checksum."""
    cache = Path(os.environ.get("npm_config_cache", Path.home() / ".npm")) / "_cacache"
    path = cache / "content-v2" / algorithm / digest[:2] / digest[2:4] / digest[4:]
    return path if path.is_file() else None


def unpack_archive(source, target):
    """The tarball from npm's cache (tests stay off the network), checked and unpacked; else
    the copy npm installed from that same tarball."""
    algorithm = "sha512" if "sha512" in source else "sha256"
    digest = source[algorithm]
    tarball = npm_cache_file(algorithm, digest)
    if tarball is None:
        installed = PROJECT / source["dest"]
        if not installed.is_dir():
            raise ManifestError(f"{source['url']} is neither in npm's cache nor installed: npm ci")
        print(f"{source['url']} is not in npm's cache: copying {source['dest']}", file=sys.stderr)
        shutil.copytree(installed, target, symlinks=True, dirs_exist_ok=True)
        return
    actual = hashlib.new(algorithm, tarball.read_bytes()).hexdigest()
    if actual != digest:
        raise ManifestError(f"{source['url']}: {algorithm} is {actual}, the manifest says {digest}")
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["tar", "-xzf", str(tarball), "-C", str(target), "--no-same-owner",
         f"--strip-components={source.get('strip-components', 1)}"],
        check=True,
    )


def copy_dir(source, manifest_dir, dest):
    src = (manifest_dir / source["path"]).resolve()
    skip = {(src / entry).resolve() for entry in source.get("skip", [])}

    def ignore(folder, names):
        return [name for name in names if (Path(folder) / name).resolve() in skip]

    # Other builds in the checkout may remove their files while we copy: those are no sources.
    try:
        shutil.copytree(src, dest, symlinks=True, ignore=ignore, dirs_exist_ok=True)
    except shutil.Error as error:
        if any("No such file or directory" not in why for _, _, why in error.args[0]):
            raise


def stage(manifest_path, parsed, dest):
    """The app module's sources in dest, as flatpak-builder extracts them."""
    manifest_dir = Path(manifest_path).resolve().parent
    arch = FLATPAK_ARCH.get(platform.machine())
    if arch is None:
        raise ManifestError(f"no Flatpak arch for this machine ({platform.machine()})")
    dest.mkdir(parents=True, exist_ok=True)
    for source in app_module(parsed).get("sources", []):
        if not builds_here(source, arch):
            continue
        kind = source.get("type")
        target = dest / source.get("dest", ".")
        if kind == "dir":
            copy_dir(source, manifest_dir, target)
        elif kind == "archive":
            unpack_archive(source, target)
        else:
            raise ManifestError(f"this replay does not handle {kind!r} sources")


def meson_args(parsed, prefix):
    """What flatpak-builder passes to `meson setup`, with prefix in place of /app."""
    module = app_module(parsed)
    if module.get("buildsystem") != "meson":
        raise ManifestError(f"the app module builds with {module.get('buildsystem')!r}, not meson")
    options = [parsed.get("build-options", {}), module.get("build-options", {})]
    return [
        "--wrap-mode=nodownload",
        f"--prefix={prefix}",
        f"--libdir={prefix}/lib",
        *[opt for o in options for opt in o.get("config-opts", [])],
        *module.get("config-opts", []),
    ]


def main(argv):
    try:
        match argv:
            case ["check", manifest, parsed]:
                problems = check(manifest, load(parsed))
                for problem in problems:
                    print(f"manifest: {problem}", file=sys.stderr)
                return 1 if problems else 0
            case ["stage", manifest, parsed, dest]:
                stage(manifest, load(parsed), Path(dest))
            case ["meson-args", parsed, prefix]:
                print("\n".join(meson_args(load(parsed), prefix)))
            case _:
                print(__doc__, file=sys.stderr)
                return 2
    except ManifestError as error:
        print(f"manifest: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
