"""Every control a person can reach has a name assistive technology can read out,
and the app can be used from the keyboard alone."""

from harness import AppTestCase, CatalogServer, wait_for
from test_add_model import FIXTURE_CATALOG, QWEN3_DEFAULT

INTERACTIVE = {
    "button",
    "toggle button",
    "check box",
    "radio button",
    "text",
    "entry",
    "password text",
    "combo box",
    "spin button",
    "slider",
    "link",
    "page tab",
    "switch",
    "menu item",
    "progress bar",
}


class AccessibilityTest(AppTestCase):
    def unlabelled(self, root):
        missing = []
        for node in root.findChildren(lambda n: n.showing and n.roleName in INTERACTIVE):
            if not (node.name or "").strip():
                path = []
                parent = node.parent
                while parent is not None and len(path) < 4:
                    if parent.name:
                        path.append(f"{parent.roleName} {parent.name!r}")
                    parent = parent.parent
                missing.append(f"{node.roleName} in {' < '.join(path) or 'the app'}")
        return missing

    def assert_all_labelled(self, where, root=None):
        missing = self.unlabelled(root or self.app)
        self.assertEqual(missing, [], f"unlabelled controls in {where}")

    def test_every_page_and_dialog_labels_its_controls(self):
        self.start_app()
        self.text_shown("Connected to")
        self.assert_all_labelled("the main window")
        self.click("button", "Details of llama3.2:3b")
        self.text_shown("Context length")
        self.assert_all_labelled("the main window with a model's details")

        self.key("<Control>comma")
        self.text_shown("llama3.2:3b")
        self.assert_all_labelled("Preferences → Models")

        self.click("page tab", "Connections")
        self.text_shown("Ollama Servers")
        self.assert_all_labelled("Preferences → Connections")

        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        self.assert_all_labelled("Add Connection", dialog)
        self.click("button", "Cancel", parent=dialog)

        self.click("button", "Edit Local Ollama")
        dialog = self.find("dialog", "Edit Connection")
        self.assert_all_labelled("Edit Connection", dialog)
        self.click("button", "Cancel", parent=dialog)

        self.click("page tab", "Models")
        self.click("button", "Add Model")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("gemma")
        self.find("list", "Matching models")
        self.assert_all_labelled("Add Model with results", dialog)
        self.key("Down")
        self.key("Return")
        self.text_shown("Size")
        self.assert_all_labelled("Add Model with a model picked", dialog)

    def test_the_model_details_page_labels_its_controls(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        dialog = self.find("dialog", "Preferences")
        # The window's library behind has the same button: the one in Preferences.
        self.click("button", "Details of llama3.2:3b", parent=dialog)
        self.text_shown("Context length")
        self.click("button", "Run the Prompt")
        self.text_shown("tokens/s")
        self.assert_all_labelled("the model details page", dialog)
        self.click("button", "Copy llama3.2:3b As…")
        alert = self.find("alert", "Copy llama3.2:3b As")
        self.assert_all_labelled("Copy As…", alert)

    def test_keyboard_only_add_a_model(self):
        """Open Add Model, search, pick, start and cancel, with keys only."""
        # The catalog's default size of qwen3, slow enough on the server to be cancelled.
        self.simulator.control(
            "POST",
            "registry",
            {"models": [{"name": f"qwen3:{QWEN3_DEFAULT}", "layers": [{"size": 900_000_000}]}]},
        )
        self.simulator.control("POST", "config", {"tickMs": 60, "bytesPerTick": 300_000})
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        self.start_app(PADDOCK_CATALOG_URL=catalog.url)
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        entry = self.find("text", "Model", parent=dialog)
        wait_for(lambda: entry.focused, message="the search entry to have the focus")
        self.type_text("qwen3")
        self.key("Down")
        self.key("Return")
        self.text_shown("Size")
        # Enter again starts the download of what was picked, at the default size.
        self.key("Return")
        pulls = wait_for(
            lambda: [r for r in self.simulator.requests() if r["path"] == "/api/pull"],
            message="the pull to start",
        )
        model = pulls[0]["body"]["model"]
        self.assertTrue(model.startswith("qwen3:"), pulls[0]["body"])
        wait_for(lambda: not dialog.showing, message="the dialog to close")

        # Cancel it from the keyboard: Preferences, then Tab to the row's Cancel button.
        self.key("<Control>comma")
        self.text_shown("Downloads")
        for _ in range(40):
            focused = self.app.findChildren(lambda n: n.focused and n.showing)
            if any((n.name or "") == f"Cancel {model}" for n in focused):
                break
            self.key("Tab")
        else:
            self.fail(f"Tab never reached “Cancel {model}”")
        self.key("space")
        self.text_shown("Ollama may keep the part it downloaded")
