"""The window's library: every server's models, search, sort and state badges."""

import json
import subprocess
import urllib.request

from harness import APP_NAME, AppTestCase, wait_for

MODELS = ("deepseek-r1:7b", "gemma3:4b", "llama3.2:3b", "nomic-embed-text:latest", "qwen3:8b")


class LibraryTest(AppTestCase):
    def setUp(self):
        super().setUp()
        # The second server (not the default) is down: it says why, the demo lists.
        self.add_a_server_that_is_down()

    def shown_order(self):
        """The models' rows as the window lists them, top to bottom."""
        names = [
            node.name
            for node in self.window.findChildren(lambda n: n.showing and n.name in MODELS)
        ]
        return list(dict.fromkeys(names))

    def test_lists_servers_searches_sorts_and_shows_states(self):
        # qwen3 is in memory, half of it on the GPU.
        self.simulator.control("POST", "gpu", {"share": 0.5})
        load = urllib.request.Request(
            f"{self.simulator.url}/api/generate", data=json.dumps({"model": "qwen3:8b"}).encode()
        )
        urllib.request.urlopen(load, timeout=10).read()
        self.start_app()
        self.text_shown("Connected to Demo")
        self.text_shown("5 models installed")
        self.text_shown("Can’t list the models")
        self.text_shown("refused")
        self.find("button", "Retry")
        self.text_shown("Loaded · 50%/50% CPU/GPU")
        wait_for(lambda: self.shown_order() == sorted(MODELS), message="the models A to Z")
        self.screenshot("library", docs=True)

        # Ctrl+F searches the library, not Preferences.
        self.key("<Control>f")
        self.find(None, "Search installed models")
        self.type_text("qwen3")
        wait_for(lambda: self.shown_order() == ["qwen3:8b"], message="the search to narrow")
        self.key("Escape")
        wait_for(lambda: len(self.shown_order()) == len(MODELS), message="the whole list again")

        self.click("toggle button", "Sort")
        self.click("radio button", "Size")
        sizes = {m["name"]: m["size"] for m in self.simulator.control("GET", "installed")["models"]}
        by_size = sorted(MODELS, key=lambda name: -sizes[name])
        wait_for(lambda: self.shown_order() == by_size, message="the models largest first")
        self.key("Escape")

        # An update that crawls: the row says how far it is.
        self.simulator.control("POST", "config", {"tickMs": 100, "bytesPerTick": 10_000})
        self.click("button", "Update llama3.2:3b")
        self.text_shown("Downloading 0%")

    def test_badges_follow_refreshes_and_the_update_check(self):
        # The last update check (here by the command line) found a newer gemma3:4b.
        self.simulator.control("POST", "publish", {"name": "gemma3:4b"})
        registry = {"PADDOCK_REGISTRY_URL": self.simulator.url}
        self.run_cli("list", "--outdated", **registry)
        self.start_app(**registry)
        self.text_shown("Update available")
        # Loaded elsewhere (`ollama run`): the next refresh shows it, the list unchanged.
        load = urllib.request.Request(
            f"{self.simulator.url}/api/generate",
            data=json.dumps({"model": "llama3.2:3b"}).encode(),
        )
        urllib.request.urlopen(load, timeout=10).read()
        self.key("<Control>comma")
        self.click("button", "Refresh", parent=self.find("dialog", "Preferences"))
        self.key("Escape")
        self.text_shown("Loaded · 100% GPU")

    def test_the_daily_check_finds_newer_versions_and_update_all_pulls_them(self):
        # Two newer versions in the registry; nobody checked yet: the window does, on its own.
        for name in ("gemma3:4b", "qwen3:8b"):
            self.simulator.control("POST", "publish", {"name": name})
        self.simulator.control("POST", "config", {"tickMs": 20, "bytesPerTick": 1_000_000_000})
        self.start_app(PADDOCK_REGISTRY_URL=self.simulator.url)
        self.text_shown("2 models have a newer version", timeout=20)
        self.text_shown("Update available")
        self.screenshot("library-updates")
        self.click("button", "Update All")

        def badges():
            return self.window.findChildren(
                lambda n: n.showing and (n.name or "").startswith("Update available")
            )

        wait_for(lambda: not badges(), timeout=30, message="the badges to go")
        wait_for(
            lambda: not self.window.findChildren(
                # The banner (named by its title) stays in the tree, folded: its button goes.
                lambda n: n.showing and n.name == "Update All"
            ),
            message="the banner to go",
        )
        pulled = sorted(
            r["body"].get("model") or r["body"].get("name")
            for r in self.simulator.requests()
            if r["path"] == "/api/pull"
        )
        self.assertEqual(pulled, ["gemma3:4b", "qwen3:8b"])

    def test_a_narrow_window_puts_each_models_actions_in_a_menu(self):
        self.start_app()
        self.text_shown("Connected to Demo")
        self.find("button", "Copy the Name gemma3:4b")
        # The size is saved in the session's settings: the next specs get the default back.
        for key in ("window-width", "window-height"):
            self.addCleanup(
                subprocess.run, ["gsettings", "reset", APP_NAME, key], env=self.app_environment()
            )
        subprocess.run(["xdotool", "windowsize", self._main_window(), "360", "640"], check=True)
        self.click("toggle button", "Actions for gemma3:4b")
        self.click("button", "Copy the Name gemma3:4b")
        self.text_shown("Copied “gemma3:4b”")

    def test_a_models_details_open_from_the_library(self):
        self.start_app()
        self.text_shown("5 models installed")
        self.click("button", "Details of llama3.2:3b")
        dialog = self.find("dialog", "llama3.2:3b")
        self.text_shown("Context length")
        self.find("button", "Load llama3.2:3b", parent=dialog)
        self.key("Escape")
        wait_for(lambda: not dialog.showing, message="the details to close")
