"""Add Model: search the catalog with the keyboard, see the default size, start a pull
and see it reach the server."""

from harness import PROJECT, AppTestCase, CatalogServer, wait_for


# A catalog that does not change when data/catalog.json is refreshed, and the default
# size the app must pick from it: the largest plain size of 100 GB or less (qwen3:235b is
# 142 GB; 32b is 20 GB, larger than every -q8_0/-fp16 variant of the smaller sizes).
FIXTURE_CATALOG = PROJECT / "tests" / "ui" / "fixtures" / "catalog-default-sizes.json"
QWEN3_DEFAULT = "32b"


class AddModelTest(AppTestCase):
    def pull_requests(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def test_search_pick_with_keyboard_and_start_a_pull(self):
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        self.start_app(PADDOCK_CATALOG_URL=catalog.url)
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        entry = self.find("text", "Model", parent=dialog)
        wait_for(lambda: entry.focused, message="the model entry to have the focus")

        self.type_text("qwen")
        self.find("list", "Matching models")
        self.screenshot("add-model-search", docs=True)
        self.key("Down")
        self.key("Return")

        # The first match is qwen3, with the catalog's default size already chosen.
        self.text_shown(f"qwen3:{QWEN3_DEFAULT}")
        self.text_shown(f"{QWEN3_DEFAULT} — ")
        self.screenshot("add-model-picked", docs=True)

        # A name typed in full picks the family and that size.
        entry.click()
        self.key("<Control>a")
        self.type_text("qwen3:8b")
        self.text_shown("qwen3:8b")
        self.click("button", "Start Download", parent=dialog)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), "qwen3:8b")

    def test_any_valid_name_can_be_pulled_and_an_invalid_one_is_explained(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M")
        start = self.find("button", "Start Download", parent=dialog)
        wait_for(lambda: start.sensitive, message="a valid name to be accepted")

        self.key("<Control>a")
        self.type_text("-bad name")
        wait_for(lambda: not start.sensitive, message="an invalid name to be refused")
        self.text_shown("“-bad name” is not a valid model name: it contains spaces.")

    def test_a_size_that_runs_on_ollama_com_cannot_be_started_and_says_why(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("qwen3-coder:480b-cloud")
        self.text_shown("480b-cloud — runs on ollama.com")
        start = self.find("button", "Start Download", parent=dialog)
        reason = "qwen3-coder:480b-cloud runs on ollama.com, not on your server"
        self.text_shown(reason)
        self.assertFalse(start.sensitive)

        # Another size of the same model can be downloaded.
        self.key("<Control>a")
        self.type_text("qwen3-coder:30b")
        wait_for(lambda: start.sensitive, message="a local size to be accepted")
        self.assertFalse(any(n.showing for n in dialog.findChildren(lambda n: reason in (n.name or ""))))
        self.assertEqual(self.pull_requests(), [])
