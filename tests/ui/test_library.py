"""The window's library: every server's models, search, sort and state badges."""

import json
import urllib.request

from pyatspi import STATE_SELECTED
from dogtail.predicate import GenericPredicate
from harness import AppTestCase, Simulator, wait_for

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
        # The loaded model's details beside the list.
        self.click("button", "Details of qwen3:8b")
        self.text_shown("Context length")
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
        # Beside the details, the list is narrow: each row's actions are in its menu.
        self.click("toggle button", "Actions for llama3.2:3b")
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

    def test_a_long_list_shows_a_screenful_scrolls_and_is_searched_whole(self):
        # Far more models than a screenful: rows are made for the lines on screen only.
        many = [f"model-{n:02d}:latest" for n in range(40)]
        self.simulator.control("POST", "installed", {
            "models": [{"name": name, "size": 1_000_000 * (n + 1)} for n, name in enumerate(many)]
        })

        def listed():
            names = [node.name for node in self.window.findChildren(
                lambda n: n.showing and n.roleName == "list item" and n.name in many)]
            return list(dict.fromkeys(names))

        self.start_app()
        self.text_shown("40 models installed")
        wait_for(lambda: listed()[:3] == many[:3], message="the first rows, A to Z")
        shown = listed()
        self.assertLess(len(shown), 20, "a screenful of rows, not one per model")
        self.assertEqual(shown, many[: len(shown)], "the rows in the list's order")
        # A click on a row shows its details; the keyboard goes on from there, down the
        # list, which scrolls along.
        row = self.find("list item", "model-00:latest", parent=self.window)
        row.click()
        self.find("button", "Load model-00:latest")
        wait_for(lambda: row.focused, message="the clicked row to have the focus")
        self.key("End")
        wait_for(lambda: "model-39:latest" in listed(), message="the last row, scrolled to")
        self.assertNotIn("model-00:latest", listed())
        wait_for(lambda: self.focused_rows() == ["model-39:latest"], message="the last row's focus")
        self.key("Up")
        wait_for(lambda: self.focused_rows() == ["model-38:latest"], message="the row above's focus")
        self.key("Return")
        self.find("button", "Load model-38:latest")
        # The search looks at every model, not only the rows made.
        self.key("<Control>f")
        self.find(None, "Search installed models")
        self.type_text("model-05")
        wait_for(lambda: listed() == ["model-05:latest"], message="the search to narrow")
        self.type_text("x")
        self.text_shown("No installed model matches the search")
        # Closing the search goes back to the whole list, at the row the keyboard was on.
        self.key("Escape")
        wait_for(lambda: len(listed()) > 5 and "model-38:latest" in listed(),
                 message="the whole list again")
        wait_for(lambda: self.focused_rows() == ["model-38:latest"], message="the row's focus")

    def test_the_keyboard_starts_at_the_first_model(self):
        self.start_app()
        # Once listed, the first model has the focus (it came while the server was asked).
        wait_for(lambda: self.focused_rows() == ["deepseek-r1:7b"], message="the first row's focus")
        self.key("Down")
        wait_for(lambda: self.focused_rows() == ["gemma3:4b"], message="the next row's focus")

    def focused_rows(self):
        return [n.name for n in self.window.findChildren(
            lambda n: n.roleName == "list item" and n.focused)]

    def showing(self, name):
        return bool(self.app.findChildren(lambda n: n.showing and n.name == name))

    def test_a_narrow_window_puts_each_models_actions_in_a_menu(self):
        self.start_app()
        self.text_shown("Connected to Demo")
        self.find("toggle button", "Actions for gemma3:4b")
        self.narrow_window()
        self.click("toggle button", "Actions for gemma3:4b")
        self.click("button", "Copy the Name gemma3:4b")
        self.text_shown("Copied “gemma3:4b”")

    def test_a_rows_actions_open_from_the_row_itself(self):
        self.start_app()
        self.text_shown("5 models installed")
        # A right click on the row opens the menu its button opens.
        self.find("list item", "gemma3:4b", parent=self.window).click(button=3)
        self.click("button", "Copy the Name gemma3:4b")
        self.text_shown("Copied “gemma3:4b”")
        # From the keyboard: the Menu key on the focused row.
        row = self.find("list item", "qwen3:8b", parent=self.window)
        row.click()
        wait_for(lambda: row.focused, message="the clicked row to have the focus")
        self.key("Menu")
        self.click("button", "Remove qwen3:8b")
        alert = self.find("alert", "Remove qwen3:8b?")
        self.click("button", "Cancel", parent=alert)

    def test_a_models_details_open_beside_the_list(self):
        self.start_app()
        self.text_shown("5 models installed")
        self.text_shown("No Model Selected")
        self.click("button", "Details of llama3.2:3b")
        self.text_shown("Context length")
        self.find("button", "Load llama3.2:3b", parent=self.window)
        # In the window, beside the list, not in a dialog over it; the row is marked.
        self.assertEqual(self.find_all("dialog"), [])
        self.assertTrue(self.showing("gemma3:4b"))
        self.assertFalse(self.showing("No Model Selected"))
        wait_for(lambda: self.selected("llama3.2:3b"), message="the row to be selected")
        self.assertFalse(self.selected("gemma3:4b"))
        # Wide, there is nothing to go back to.
        self.assertFalse(self.showing("Back"))

        # Enter on another row shows its details instead. From llama3.2's row, Tab goes
        # through its buttons to the next rows.
        row = self.find("list item", "llama3.2:3b", parent=self.window)
        row.click()
        wait_for(lambda: row.focused, message="the clicked row to have the focus")
        for _ in range(40):
            if any(n.name == "qwen3:8b" for n in self.app.findChildren(lambda n: n.focused)):
                break
            self.key("Tab")
        else:
            self.fail("Tab never reached the row of qwen3:8b")
        self.key("Return")
        self.find("button", "Load qwen3:8b")
        wait_for(lambda: not self.showing("Load llama3.2:3b"), message="llama3.2's page to go")
        wait_for(lambda: self.selected("qwen3:8b"), message="the new row to be selected")
        self.assertFalse(self.selected("llama3.2:3b"))

        # Removed from the list: its details give way to the placeholder.
        self.click("toggle button", "Actions for qwen3:8b")
        self.click("button", "Remove qwen3:8b")
        alert = self.find("alert", "Remove qwen3:8b?")
        self.click("button", "Remove", parent=alert)
        self.text_shown("No Model Selected")
        wait_for(lambda: not self.showing("Load qwen3:8b"), message="the details to go")

    def selected(self, name):
        """Whether the model's row is marked as the one whose details show."""
        row = self.find("list item", name, parent=self.window)
        return row.getState().contains(STATE_SELECTED)

    def test_a_narrow_window_shows_the_list_then_the_details_with_a_back_button(self):
        self.start_app()
        self.text_shown("5 models installed")
        self.narrow_window()
        wait_for(lambda: not self.showing("No Model Selected"), message="the list alone")
        self.screenshot("library-narrow", docs=True)
        self.click("button", "Details of llama3.2:3b")
        self.find("button", "Load llama3.2:3b")
        wait_for(lambda: not self.showing("gemma3:4b"), message="the details in the list's place")
        self.click("button", "Back")
        self.text_shown("gemma3:4b")
        wait_for(lambda: not self.showing("Load llama3.2:3b"), message="the list again")
        self.assertTrue(self.selected("llama3.2:3b"), "the row stays marked")
        # Ctrl+F from the details goes back to the list, where the search is.
        self.click("button", "Details of gemma3:4b")
        self.find("button", "Load gemma3:4b")
        self.key("<Control>f")
        self.find(None, "Search installed models")
        self.text_shown("llama3.2:3b")


class LibraryWithTheDefaultServerDownTest(AppTestCase):
    """The default server does not answer; another one does."""

    def setUp(self):
        super().setUp()
        self.lab = Simulator()
        self.addCleanup(self.lab.stop)
        self.lab_url = self.lab.url
        self.lab.stop()

    def connect(self, demo_url):
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [
                {"id": "b", "name": "Lab", "url": self.lab_url, "default": True},
                {"id": "a", "name": "Demo", "url": demo_url, "default": False},
            ],
        }))

    def test_the_library_shows_the_other_servers_models(self):
        self.connect(self.simulator.url)
        self.start_app()
        self.text_shown("5 models installed")
        self.text_shown("gemma3:4b")
        self.text_shown("Can’t list the models")
        self.text_shown("refused")
        self.find("button", "Retry")
        self.assertFalse(self.app.findChildren(lambda n: n.showing and "Can’t Reach" in (n.name or "")))

    def test_without_any_model_the_status_page_says_why(self):
        empty = Simulator()
        self.addCleanup(empty.stop)
        self.connect(empty.url)
        self.start_app()
        self.text_shown("Can’t Reach Lab")
        self.text_shown("refused")
        self.find("button", "Try Again")


class LibraryOfTwoServersTest(AppTestCase):
    def test_a_model_whose_server_is_removed_leaves_the_details(self):
        other = Simulator("--demo")
        self.addCleanup(other.stop)
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [
                {"id": "a", "name": "Demo", "url": self.simulator.url, "default": True},
                {"id": "b", "name": "Other", "url": other.url, "default": False},
            ],
        }))
        self.start_app()
        # Both servers have gemma3:4b: the second row is Other's.
        details = wait_for(
            lambda: self.window.findChildren(
                GenericPredicate(roleName="button", name="Details of gemma3:4b"), showingOnly=True
            )[1:],
            message="gemma3:4b on both servers",
        )
        details[0].doActionNamed("click")
        self.find("button", "Load gemma3:4b")

        self.key("<Control>comma")
        self.click("page tab", "Connections")
        self.click("button", "Edit Other")
        dialog = self.find("dialog", "Edit Connection")
        self.click("button", "Remove Connection", parent=dialog)
        alert = self.find("alert", "Remove “Other”?")
        self.click("button", "Remove", parent=alert)
        self.key("Escape")
        self.text_shown("No Model Selected")
        self.assertFalse(self.app.findChildren(lambda n: n.showing and n.name == "Load gemma3:4b"))
