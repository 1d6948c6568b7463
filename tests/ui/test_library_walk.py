"""The library end to end, as issue 10 walks it: two servers (one down), search, a model's
details, Load / Unload with the row's badge, Try it with the row's speed, and a new
version in the registry found, updated with Update All, and gone."""

import re

from harness import AppTestCase, wait_for

MODEL = "llama3.2:3b"
SPEED_IN_ROW = re.compile(r"· \d[\d,.]* tokens/s$")


class LibraryWalkTest(AppTestCase):
    def setUp(self):
        super().setUp()
        # The second server (not the default) is down: it says why, the demo lists.
        self.add_a_server_that_is_down()

    def open_details(self, name):
        """Opens a model's details: beside the list, which stays in view."""
        self.click("button", f"Details of {name}")
        self.text_shown("Context length")
        self.assertEqual(self.find_all("dialog"), [])

    def menu_item(self, position):
        """An item of the main menu by its place (GTK gives the items no names of their own)."""
        menu = self.find("menu", "Main Menu")

        def search():
            items = menu.findChildren(lambda n: n.roleName == "menu item" and n.showing)
            return items[position] if len(items) > position else None

        return wait_for(search, message=f"item {position} of the main menu")

    def shown(self, predicate):
        return [n for n in self.window.findChildren(lambda n: n.showing and predicate(n.name or ""))]

    def gone(self, text, message):
        wait_for(lambda: not self.shown(lambda name: text in name), timeout=20, message=message)

    def test_walk(self):
        self.simulator.control("POST", "gpu", {"share": 0.5})
        self.start_app(PADDOCK_REGISTRY_URL=self.simulator.url)
        # Both servers: the demo's models, the lab's reason.
        self.text_shown("Connected to Demo")
        self.text_shown("5 models installed")
        self.text_shown("Can’t list the models")
        self.find("button", "Retry")

        self.key("<Control>f")
        self.find(None, "Search installed models")
        self.type_text("llama3.2")
        wait_for(lambda: not self.shown(lambda name: name == "qwen3:8b"),
                 message="the search to narrow")
        self.find(None, MODEL)

        self.open_details(MODEL)
        self.click("button", f"Load {MODEL}")
        # The row's badge, with the share on the GPU, follows at once.
        self.text_shown("Loaded · 50%/50% CPU/GPU")
        self.click("button", f"Unload {MODEL}")
        self.text_shown("Not loaded")
        self.gone("Loaded · ", "the Loaded badge to go")

        self.click("button", "Run the Prompt")
        self.text_shown(f"Hello! I am {MODEL}")
        self.text_shown("answer written at")
        # The row beside the details tells the speed Try it measured.
        wait_for(lambda: self.shown(SPEED_IN_ROW.search), message="the speed in the row")
        self.screenshot("library-walk-speed")

        # A new version in the registry; Check for Updates (main menu) finds it.
        self.simulator.control("POST", "publish", {"name": MODEL})
        self.simulator.control("POST", "config", {"tickMs": 20, "bytesPerTick": 1_000_000_000})
        self.key("F10")
        # Preferences, Keyboard Shortcuts, Check for Updates, About.
        self.menu_item(2).doActionNamed("click")
        self.text_shown("Checking the models for updates")
        self.text_shown("Update available", timeout=20)
        self.text_shown("1 model has a newer version")
        self.screenshot("library-walk-update")
        self.click("button", "Update All")
        self.gone("Update available", "the badge to go after the update")
        # The banner (named by its title) stays in the tree, folded: its button goes.
        self.gone("Update All", "the Update All banner to go")
        pulls = [r for r in self.simulator.requests() if r["path"] == "/api/pull"]
        self.assertEqual([r["body"].get("model") or r["body"].get("name") for r in pulls], [MODEL])
