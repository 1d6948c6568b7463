"""Add Model: search the catalog with the keyboard, see the default size, start a pull
and see it reach the server."""

import json
import os

from harness import PROJECT, AppTestCase, CatalogServer, wait_for


# A catalog that does not change when data/catalog.json is refreshed, and the default
# size the app must pick from it: the largest plain size of 100 GB or less (qwen3:235b is
# 142 GB; 32b is 20 GB, larger than every -q8_0/-fp16 variant of the smaller sizes).
FIXTURE_CATALOG = PROJECT / "tests" / "ui" / "fixtures" / "catalog-default-sizes.json"
QWEN3_DEFAULT = "32b"

# What the fit adviser says of qwen3's sizes on a server with 24 GB of GPU memory: the
# default becomes 8b, the largest size that fits entirely.
GB = 1_000_000_000
FITS = {"kind": "fits-gpu", "verdict": "Fits in GPU memory"}
PARTLY = {"kind": "partly-cpu", "verdict": "Runs partly on the CPU (slower)"}
ADVICE = {
    "qwen3:0.6b": FITS,
    "qwen3:1.7b": FITS,
    "qwen3:4b": FITS,
    "qwen3:8b": {**FITS, "download": "Downloads 5.2 GB (1.2 GB already on this server)"},
    "qwen3:14b": {**PARTLY, "approximate": True},
    "qwen3:30b": PARTLY,
    "qwen3:32b": {
        "kind": "too-large",
        "verdict": "Too large for this server (needs ~38 GB, has 24 GB)",
        "needBytes": 38 * GB,
        "haveBytes": 24 * GB,
    },
    "qwen3:235b": {"kind": "too-large", "verdict": "Too large for this server (needs ~160 GB, has 24 GB)"},
}


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

    def picked(self, dialog, name):
        """Waits for the dialog to say it would pull `name`."""
        wait_for(
            lambda: dialog.findChildren(lambda n: n.showing and n.name == name),
            message=f"{name} to be picked",
        )

    def find_list_item(self, name, steps=12):
        """A list item of an open popover, pressing Down until the list shows it."""
        for _ in range(steps):
            found = self.app.findChildren(
                lambda n: n.roleName == "list item" and n.name == name and n.showing
            )
            if found:
                return found[0]
            self.key("Down")
        return self.find("list item", name)

    def test_a_typed_tag_picks_its_size_and_variant(self):
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        self.start_app(PADDOCK_CATALOG_URL=catalog.url)
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("qwen3:8b-q8_0")
        self.find("combo box", "Size", parent=dialog)
        self.text_shown("8b — 5.2\u00a0GB · 40K context")
        self.text_shown("8b-q8_0 — 8.9\u00a0GB · 40K context")
        self.click("button", "Start Download", parent=dialog)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), "qwen3:8b-q8_0")

    def test_sizes_say_whether_they_fit_and_a_too_large_one_asks_first(self):
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        advice = self.home / "advice.json"
        advice.write_text(json.dumps(ADVICE))
        self.start_app(PADDOCK_CATALOG_URL=catalog.url, PADDOCK_TEST_SIZE_ADVICE=str(advice))
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("qwen3")
        self.key("Down")
        self.key("Return")

        # The default moves from the catalog's 32b to the largest size that fits.
        self.picked(dialog, "qwen3:8b")
        self.text_shown(
            "8b — 40K context · Text\nDownloads 5.2 GB (1.2 GB already on this server)\n"
            "Fits in GPU memory"
        )

        # Every size says what it needs, on as many lines as it takes.
        # The list scrolls to what the keyboard reaches.
        self.find("combo box", "Size", parent=dialog).click()
        expected = [
            "0.6b — 523.0\u00a0MB · 40K context · Text. Fits in GPU memory",
            "8b — 40K context · Text. Downloads 5.2 GB (1.2 GB already on this server). Fits in GPU memory",
            "14b — 9.3\u00a0GB · 40K context · Text. Runs partly on the CPU (slower) (rough estimate)",
            "32b — 20.0\u00a0GB · 40K context · Text. Too large for this server (needs ~38 GB, has 24 GB)",
            "235b — 142.0\u00a0GB · 256K context · Text. Too large for this server (needs ~160 GB, has 24 GB)",
        ]
        for name in expected:
            self.find_list_item(name)
        self.screenshot("add-model-sizes")
        self.key("Escape")

        # A size too large is downloaded only after a confirmation that says why; on a
        # phone's width too.
        self.narrow_window()
        self.find("combo box", "Size", parent=dialog).click()
        self.screenshot("add-model-sizes-narrow")
        self.find_list_item(expected[3]).click()
        self.picked(dialog, "qwen3:32b")
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download a model too large for this server?")
        self.text_shown("qwen3:32b needs about 38.0\u00a0GB of memory, and Local Ollama has 24.0\u00a0GB")
        self.screenshot("add-model-too-large")
        self.click("button", "Cancel", parent=alert)
        self.assertEqual(self.pull_requests(), [])
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download a model too large for this server?")
        self.click("button", "Download Anyway", parent=alert)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), "qwen3:32b")

    def test_advice_does_not_move_a_size_the_user_chose(self):
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        # A named pipe: the advice arrives only when the spec writes it, after the choice.
        advice = self.home / "advice.pipe"
        os.mkfifo(advice)
        self.start_app(PADDOCK_CATALOG_URL=catalog.url, PADDOCK_TEST_SIZE_ADVICE=str(advice))
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("qwen3:32b")
        self.picked(dialog, "qwen3:32b")

        def open_pipe():
            try:
                return os.open(advice, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                return None  # The app has not asked yet.

        pipe = wait_for(open_pipe, message="the app to ask for advice")
        os.set_blocking(pipe, True)
        os.write(pipe, json.dumps(ADVICE).encode())
        os.close(pipe)
        # 8b would be the default now; the size the user chose stays.
        self.text_shown("32b — 20.0\u00a0GB · 40K context · Text\nToo large for this server")
        self.find("combo box", "Size", parent=dialog).click()
        self.find_list_item("8b — 40K context · Text. Downloads 5.2 GB (1.2 GB already on this server). "
                            "Fits in GPU memory")
        self.key("Escape")
        self.picked(dialog, "qwen3:32b")

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
