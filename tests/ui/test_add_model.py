"""Add Model: search the catalog with the keyboard, see the default size, start a pull
and see it reach the server."""

import json

from harness import PROJECT, AppTestCase, wait_for


def catalog_default_tag(family):
    """The default size, by the rule the app follows, from the shipped catalog."""
    models = json.loads((PROJECT / "data" / "catalog.json").read_text())
    model = next(m for m in models if m["name"] == family)
    units = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}

    def size(tag):
        text = tag.get("size") or "-"
        for unit, factor in units.items():
            if text.upper().endswith(unit):
                return float(text[: -len(unit)]) * factor
        return None

    local = [t for t in model["tags"] if "cloud" not in t["name"] and size(t) and size(t) >= 1e6]
    plain = [t for t in local if "-" not in t["name"]] or local
    fitting = [t for t in plain if size(t) <= 100e9]
    largest = max(size(t) for t in fitting)
    same = [t for t in fitting if size(t) == largest]
    return next((t for t in same if t["name"] == "latest"), same[0])["name"]


class AddModelTest(AppTestCase):
    def pull_requests(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def test_search_pick_with_keyboard_and_start_a_pull(self):
        self.start_app()
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
        expected = catalog_default_tag("qwen3")
        self.text_shown(f"qwen3:{expected}")
        self.text_shown(f"{expected} — ")
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
        self.text_shown("name")

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
