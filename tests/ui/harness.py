"""Starts the Ollama simulator and the real, installed app, and finds widgets the way
assistive technology does (AT-SPI through dogtail)."""

import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
from pathlib import Path

from dogtail import config as dogtail_config
from dogtail import rawinput, tree
from dogtail.predicate import GenericPredicate

PROJECT = Path(__file__).resolve().parents[2]
BUILD = PROJECT / os.environ.get("PADDOCK_BUILD_DIR", "_build")
PREFIX = BUILD / "prefix"
SIMULATOR = BUILD / "sim" / "ollama-sim.mjs"
SCREENSHOTS = BUILD / "ui-screenshots"
APP_NAME = "io.github.paddock.Paddock"

dogtail_config.config.searchCutoffCount = 40
dogtail_config.config.searchBackoffDuration = 0.25
dogtail_config.config.defaultDelay = 0.2
dogtail_config.config.actionDelay = 0.2
dogtail_config.config.typingDelay = 0.02
dogtail_config.config.logDebugToStdOut = False
dogtail_config.config.logDebugToFile = False


class Simulator:
    """The Ollama simulator in its own process; stops when we close its stdin."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            ["node", str(SIMULATOR), "--port", "0", "--quiet", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"simulator did not start: {line!r}")
        self.url = line.removeprefix("listening on ")

    def control(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__sim/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            text = reply.read().decode()
            return json.loads(text) if text else None

    def requests(self):
        return self.control("GET", "requests")["requests"]

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


class CatalogServer:
    """Serves a catalog file on loopback, as the catalog URL would. The first `failures`
    requests get HTTP 502 with `failure_reason`; `requests` counts them all."""

    def __init__(self, path: Path | None = None, body: bytes | None = None, failures: int = 0,
                 failure_reason: str = "Bad Gateway"):
        body = path.read_bytes() if body is None else body
        self.requests = 0
        self.failures = failures
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                if server.failures > 0:
                    server.failures -= 1
                    self.send_response(502, failure_reason)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/models"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FakeNotifications:
    """A notification server on the session bus that remembers what it was sent."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process = subprocess.Popen(
            ["python3", str(Path(__file__).parent / "fake_notifications.py"), str(log_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the fake notification server did not start")

    def received(self):
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=5)


def wait_for(condition, timeout=10.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


class AppTestCase(unittest.TestCase):
    """Each test gets fresh config/data dirs, a simulator and a freshly started app."""

    simulator_args: tuple = ("--demo",)
    ollama_host_from_simulator = True

    def setUp(self):
        self.home = Path(tempfile.mkdtemp(prefix="paddock-ui-"))
        self.config_home = self.home / "config"
        self.data_home = self.home / "data"
        self.config_home.mkdir()
        self.data_home.mkdir()
        # dconf reads settings straight from $XDG_CONFIG_HOME/dconf/user, and GTK only
        # speaks to AT-SPI when toolkit-accessibility is on there.
        session_dconf = Path(os.environ["XDG_CONFIG_HOME"]) / "dconf"
        if session_dconf.exists():
            shutil.copytree(session_dconf, self.config_home / "dconf")
        self.simulator = Simulator(*self.simulator_args)
        self.addCleanup(self.simulator.stop)
        # The catalog shipped with the app, served as if from the catalog's address.
        self.catalog = CatalogServer(PROJECT / "data" / "catalog.json")
        self.addCleanup(self.catalog.stop)
        self.app_process = None

    def tearDown(self):
        if self._failed() and self.app_process and self.app_process.poll() is None:
            print(f"screenshot of the failure: {self.screenshot(self.id())}")
        if self.app_process and self.app_process.poll() is None:
            self.app_process.terminate()
            try:
                self.app_process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.app_process.kill()
        shutil.rmtree(self.home, ignore_errors=True)

    def _failed(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        problems = (result.failures + result.errors) if result else []
        return any(test is self for test, _ in problems)

    def add_a_server_that_is_down(self):
        """connections.json with the simulator as "Demo" (the default) and "Lab", a server
        stopped before the app starts: the library lists the one, says why of the other."""
        lab = Simulator()
        self.addCleanup(lab.stop)
        lab_url = lab.url
        lab.stop()
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [
                {"id": "a", "name": "Demo", "url": self.simulator.url, "default": True},
                {"id": "b", "name": "Lab", "url": lab_url, "default": False},
            ],
        }))

    def app_environment(self, **extra):
        env = dict(os.environ)
        env.update(
            XDG_CONFIG_HOME=str(self.config_home),
            XDG_DATA_HOME=str(self.data_home),
            XDG_DATA_DIRS=f"{PREFIX / 'share'}:/usr/local/share:/usr/share",
            GSETTINGS_SCHEMA_DIR=str(PREFIX / "share" / "glib-2.0" / "schemas"),
            PADDOCK_CATALOG_URL=self.catalog.url,
            # The simulator's fake Hugging Face Hub: no test reaches huggingface.co.
            PADDOCK_HF_URL=f"{self.simulator.url}/hf",
        )
        if self.ollama_host_from_simulator:
            env["OLLAMA_HOST"] = self.simulator.url
        else:
            env.pop("OLLAMA_HOST", None)
        env.update(extra)
        return env

    def start_app(self, *args, stderr=None, **env):
        self.app_process = subprocess.Popen(
            [str(PREFIX / "bin" / "paddock"), *args], env=self.app_environment(**env), stderr=stderr
        )
        self.app = wait_for(self._find_app, timeout=20, message="the app on the a11y bus")
        self.window = self.app.child(roleName="frame")
        return self.app

    def run_cli(self, *args, timeout=30, **env):
        return subprocess.run(
            [str(PREFIX / "bin" / "paddock"), *args],
            env=self.app_environment(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def _find_app(self):
        for app in tree.root.applications():
            try:
                if app.name == APP_NAME and app.get_process_id() == self.app_process.pid:
                    return app
            except Exception:
                continue
        if self.app_process.poll() is not None:
            raise AssertionError(f"the app exited with status {self.app_process.returncode}")
        return None

    # Finding things as a screen-reader user would: by role and accessible name.
    def find(self, role, name=None, parent=None, timeout=10.0, showing=True):
        parent = parent or self.app

        def search():
            for node in parent.findChildren(GenericPredicate(roleName=role, name=name),
                                            showingOnly=showing):
                return node
            return None

        return wait_for(search, timeout=timeout, message=f"{role} {name!r}")

    def find_all(self, role, parent=None):
        return (parent or self.app).findChildren(GenericPredicate(roleName=role))

    def text_shown(self, text, timeout=10.0):
        def search():
            for node in self.app.findChildren(lambda n: n.showing and text in (n.name or "")):
                return node
            return None

        return wait_for(search, timeout=timeout, message=f"text {text!r}")

    def click(self, role, name, parent=None):
        """Activates a control through its accessible action, as assistive technology does."""
        node = self.find(role, name, parent)
        wait_for(lambda: node.sensitive, message=f"{role} {name!r} to be enabled")
        actions = node.actions
        for action in ("click", "activate", "toggle"):
            if action in actions:
                node.doActionNamed(action)
                return node
        # Some controls (switch rows) offer no action: use the pointer, as a person would.
        node.click()
        return node

    def narrow_window(self):
        """360 px wide, as on a phone. The window saves its size in the session's settings:
        the next specs get the default size back."""
        for key in ("window-width", "window-height"):
            self.addCleanup(
                subprocess.run, ["gsettings", "reset", APP_NAME, key], env=self.app_environment()
            )
        subprocess.run(["xdotool", "windowsize", self._main_window(), "360", "640"], check=True)

    def _main_window(self):
        windows = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.app_process.pid)],
            capture_output=True, text=True,
        ).stdout.split()
        return max(windows, key=lambda w: self._geometry(w)[2] * self._geometry(w)[3], default=None)

    def _focus_window(self):
        """Without a window manager, X sends keys wherever the pointer is: give them to the app."""
        window = self._main_window()
        if window:
            subprocess.run(["xdotool", "windowfocus", window], capture_output=True)

    def key(self, combo):
        """A key press as on a keyboard, e.g. "Down", "Return", "<Control>comma"."""
        self._focus_window()
        if combo.startswith("<"):
            rawinput.keyCombo(combo)
        else:
            rawinput.pressKey(combo)

    def type_text(self, text):
        self._focus_window()
        rawinput.typeText(text)

    @staticmethod
    def _geometry(window):
        shell = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True
        ).stdout
        values = dict(line.split("=", 1) for line in shell.splitlines() if "=" in line)
        return tuple(int(values.get(key, 0)) for key in ("X", "Y", "WIDTH", "HEIGHT"))

    def screenshot(self, name, docs=False):
        # The docs' pictures are replaced only when asked (PADDOCK_UPDATE_SCREENSHOTS=1), so
        # that a test run leaves the checkout as it was.
        update_docs = docs and os.environ.get("PADDOCK_UPDATE_SCREENSHOTS") == "1"
        target = (PROJECT / "docs" / "screenshots") if update_docs else SCREENSHOTS
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        # Let transitions (crossfades, popovers sliding in) finish first.
        time.sleep(0.6)
        # The app's main window with whatever floats over it (popovers are windows of
        # their own), cut out of the virtual screen.
        window = self._main_window()
        crop = []
        if window:
            x, y, width, height = self._geometry(window)
            crop = ["-crop", f"{width}x{height}+{x}+{y}", "+repage"]
        subprocess.run(["import", "-window", "root", *crop, str(path)], check=True)
        return path
