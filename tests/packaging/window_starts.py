"""Starts an installed paddock and waits until its window is on the accessibility bus, then
quits it through its app.quit action. Fails when the app exits early, never shows its
window, does not quit cleanly or prints a warning or a JS error. Needs a display, a session
bus and accessibility on: run it under tests/session.sh --display.

  window_starts.py PREFIX
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dogtail import config as dogtail_config

dogtail_config.config.logDebugToStdOut = False
dogtail_config.config.logDebugToFile = False

from dogtail import tree  # noqa: E402 (reads the configuration above when imported)

APP_ID = "io.github.paddock.Paddock"
OBJECT_PATH = "/" + APP_ID.replace(".", "/")
# What GLib, GTK and GJS print when something went wrong, even if the app carries on.
TROUBLE = ("CRITICAL", "WARNING", "JS ERROR")


def closed_port():
    """A loopback port nothing listens on: the app's servers and catalog stay unreachable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.2)
    return value


def window_on_a11y_bus(process):
    if process.poll() is not None:
        raise AssertionError(f"paddock exited with status {process.returncode} before its window")
    for app in tree.root.applications():
        try:
            if app.name == APP_ID and app.get_process_id() == process.pid:
                return any(frame.showing for frame in app.findChildren(
                    lambda node: node.roleName == "frame", recursive=False))
        except Exception:
            continue
    return False


def main(prefix):
    prefix = Path(prefix)
    port = closed_port()
    # The session's private XDG folders (with accessibility switched on) stay as they are.
    env = dict(
        os.environ,
        # As inside the Flatpak, where /app/share comes before the runtime's data.
        XDG_DATA_DIRS=f"{prefix / 'share'}:/usr/share",
        OLLAMA_HOST=f"127.0.0.1:{port}",
        PADDOCK_CATALOG_URL=f"http://127.0.0.1:{port}/models",
    )
    env.pop("GSETTINGS_SCHEMA_DIR", None)
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen([str(prefix / "bin" / "paddock")], env=env, stderr=stderr)
        problem = None
        try:
            run_and_quit(process)
        except (AssertionError, subprocess.SubprocessError) as error:
            problem = str(error)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        stderr.seek(0)
        printed = stderr.read().splitlines()
    trouble = [line for line in printed if any(word in line for word in TROUBLE)]
    if problem is None and trouble:
        problem = "paddock printed warnings or errors"
    if problem is not None:
        raise AssertionError("\n  ".join([problem, *(trouble or printed[-20:])]))


def run_and_quit(process):
    wait_for(lambda: window_on_a11y_bus(process), 30, "the window on the accessibility bus")
    subprocess.run(
        ["gdbus", "call", "--session", "--dest", APP_ID, "--object-path", OBJECT_PATH,
         "--method", "org.freedesktop.Application.ActivateAction", "quit", "[]", "{}"],
        check=True, capture_output=True, timeout=10,
    )
    status = process.wait(timeout=15)
    if status != 0:
        raise AssertionError(f"paddock quit with status {status}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1])
    except AssertionError as error:
        print(f"window_starts: {error}", file=sys.stderr)
        sys.exit(1)
