"""The window's library: every server's models, search, sort and state badges."""

import json
import subprocess
import urllib.request

from harness import APP_NAME, AppTestCase, Simulator, wait_for

MODELS = ("deepseek-r1:7b", "gemma3:4b", "llama3.2:3b", "nomic-embed-text:latest", "qwen3:8b")


class LibraryTest(AppTestCase):
    def setUp(self):
        super().setUp()
        # A second server, stopped before the app starts: it says why, the demo lists.
        self.lab = Simulator()
        self.addCleanup(self.lab.stop)
        lab_url = self.lab.url
        self.lab.stop()
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [
                {"id": "a", "name": "Demo", "url": self.simulator.url, "default": True},
                {"id": "b", "name": "Lab", "url": lab_url, "default": False},
            ],
        }))

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

    def test_a_long_list_is_made_in_batches_and_searched_whole(self):
        # Far more models than a screenful: most rows are made after the first frame.
        many = [f"model-{n:02d}:latest" for n in range(40)]
        self.simulator.control("POST", "installed", {
            "models": [{"name": name, "size": 1_000_000 * (n + 1)} for n, name in enumerate(many)]
        })

        def listed():
            names = [node.name for node in self.window.findChildren(
                lambda n: n.showing and n.name in many)]
            return list(dict.fromkeys(names))

        self.start_app()
        self.text_shown("40 models installed")
        wait_for(lambda: listed() == many, message="every row, A to Z")
        # The search looks at the rows of the last batches too.
        self.key("<Control>f")
        self.find(None, "Search installed models")
        self.type_text("model-39")
        wait_for(lambda: listed() == ["model-39:latest"], message="the search to narrow")
        self.type_text("x")
        self.text_shown("No installed model matches the search")
        self.key("Escape")
        wait_for(lambda: listed() == many, message="the whole list again")

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
