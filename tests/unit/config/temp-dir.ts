import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

Gio._promisify(Gio.Subprocess.prototype, 'communicate_utf8_async', 'communicate_utf8_finish');

/** A fresh folder under /tmp; remove it with removeTree. Set-up code may block: it is a test. */
export function makeTempDir(): Gio.File {
  return Gio.File.new_for_path(GLib.dir_make_tmp('paddock-spec-XXXXXX'));
}

export function removeTree(file: Gio.File): void {
  const type = file.query_file_type(Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, null);
  if (type === Gio.FileType.DIRECTORY) {
    GLib.chmod(file.get_path()!, 0o700);
    for (const name of listNames(file)) removeTree(file.get_child(name));
  }
  if (type !== Gio.FileType.UNKNOWN) file.delete(null);
}

export function listNames(dir: Gio.File): string[] {
  const names: string[] = [];
  const children = dir.enumerate_children('standard::name', Gio.FileQueryInfoFlags.NONE, null);
  for (let info = children.next_file(null); info; info = children.next_file(null))
    names.push(info.get_name());
  children.close(null);
  return names.sort();
}

export function writeBytes(file: Gio.File, bytes: Uint8Array | string): void {
  GLib.file_set_contents(file.get_path()!, bytes);
}

export function readBytes(file: Gio.File): Uint8Array {
  return GLib.file_get_contents(file.get_path()!)[1];
}

export function readText(file: Gio.File): string {
  return new TextDecoder().decode(readBytes(file));
}

export function exists(file: Gio.File): boolean {
  return file.query_exists(null);
}

/** The file's permission bits, e.g. 0o600. */
export function modeOf(file: Gio.File): number {
  const info = file.query_info('unix::mode', Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, null);
  return info.get_attribute_uint32('unix::mode') & 0o777;
}

/**
 * True when a folder's mode does not stop this process from writing into it: root (as in
 * CI) has CAP_DAC_OVERRIDE, so a read-only folder cannot be made with chmod.
 */
export function permissionsAreIgnored(): boolean {
  const dir = GLib.dir_make_tmp('paddock-probe-XXXXXX');
  const probe = GLib.build_filenamev([dir, 'probe']);
  GLib.chmod(dir, 0o500);
  try {
    GLib.file_set_contents(probe, 'x');
    return true;
  } catch {
    return false;
  } finally {
    GLib.chmod(dir, 0o700);
    GLib.unlink(probe);
    GLib.rmdir(dir);
  }
}

const CHILD_VARIABLE = 'PADDOCK_SPEC_WITHOUT_CAPABILITIES';

/** True in the child that runSpecWithoutCapabilities starts. */
export function isChildWithoutCapabilities(): boolean {
  return GLib.getenv(CHILD_VARIABLE) === '1';
}

/**
 * Runs one spec of a spec file (pass its import.meta.url) again in a child process, with
 * these environment variables set (null: unset) and its command line after `prefix` (a
 * program that runs the rest). Null when gjs or the runner is missing.
 */
export async function runSpecInChild(
  specUrl: string,
  fullName: string,
  options: { environment?: Record<string, string | null>; prefix?: string[] } = {},
): Promise<{ passed: boolean; output: string } | null> {
  const gjs = GLib.find_program_in_path('gjs');
  const runner = GLib.build_filenamev([GLib.get_current_dir(), 'tests', 'jasmine', 'runner.js']);
  const [specFile] = GLib.filename_from_uri(specUrl);
  if (!gjs || !GLib.file_test(runner, GLib.FileTest.EXISTS)) return null;
  const launcher = new Gio.SubprocessLauncher({
    flags: Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_MERGE,
  });
  for (const [name, value] of Object.entries(options.environment ?? {}))
    if (value === null) launcher.unsetenv(name);
    else launcher.setenv(name, value, true);
  const child = launcher.spawnv([
    ...(options.prefix ?? []),
    gjs,
    '-m',
    runner,
    '--filter',
    fullName,
    specFile,
  ]);
  const [output] = await child.communicate_utf8_async(null, null);
  return { passed: child.get_successful() && /^1 passed, 0 failed/m.test(output), output };
}

/**
 * Runs one spec again in a child process without any capabilities: setpriv empties the
 * bounding set, so even root then obeys file modes. Null when the tools for it are missing.
 */
export function runSpecWithoutCapabilities(
  specUrl: string,
  fullName: string,
): Promise<{ passed: boolean; output: string } | null> {
  const setpriv = GLib.find_program_in_path('setpriv');
  if (!setpriv) return Promise.resolve(null);
  return runSpecInChild(specUrl, fullName, {
    environment: { [CHILD_VARIABLE]: '1' },
    prefix: [setpriv, '--bounding-set', '-all', '--inh-caps', '-all'],
  });
}
