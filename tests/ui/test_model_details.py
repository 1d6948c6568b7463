"""A model's details, beside the window's library or in Preferences → Models: facts,
Load / Unload, Try it, Copy as…, Remove."""

import json

from dogtail.predicate import GenericPredicate
from harness import AppTestCase, wait_for


class ModelDetailsTest(AppTestCase):
    def open_details(self, name):
        """In the window: the model's row in the library."""
        self.start_app()
        self.text_shown("Connected to")
        self.click("button", f"Details of {name}")
        self.find("button", f"Copy {name} As…", parent=self.window)

    def open_details_in_preferences(self, name):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        self.text_shown(name)
        # The window's library behind has the same button: the one in Preferences.
        self.click("button", f"Details of {name}", parent=self.find("dialog", "Preferences"))

    def requests_to(self, path):
        return [r for r in self.simulator.requests() if r["path"] == path]

    def test_facts_load_unload_try_and_copy_as(self):
        self.open_details("llama3.2:3b")
        # /api/show's model_info: llama3.2's context length and architecture.
        self.text_shown("Context length")
        self.text_shown("131,072 tokens")
        self.text_shown("Architecture")
        self.text_shown("Modelfile")

        self.text_shown("Not loaded")
        self.click("button", "Load llama3.2:3b")
        self.text_shown("100% GPU")
        self.text_shown("unloads in 5 min")
        self.click("button", "Unload llama3.2:3b")
        self.text_shown("Not loaded")
        unloads = [r for r in self.requests_to("/api/generate") if r["body"].get("keep_alive") == 0]
        self.assertEqual(len(unloads), 1)

        self.click("button", "Run the Prompt")
        self.text_shown("Hello! I am llama3.2:3b")
        self.text_shown("answer written at")
        self.text_shown("tokens/s")
        self.screenshot("model-details", docs=True)
        speeds = self.data_home / "paddock" / "speeds.json"
        wait_for(speeds.exists, message="the speed to be kept")
        [entry] = json.loads(speeds.read_text())["entries"]
        self.assertEqual(entry["model"], "llama3.2:3b")
        self.assertGreater(entry["tokensPerSecond"], 0)

        self.click("button", "Copy llama3.2:3b As…")
        alert = self.find("alert", "Copy llama3.2:3b As")
        self.find(None, "New Name", parent=alert).click()
        self.key("<Control>a")
        self.type_text("my-llama:latest")
        self.click("button", "Copy", parent=alert)
        self.text_shown("Copied llama3.2:3b as my-llama:latest")
        copies = self.requests_to("/api/copy")
        self.assertEqual(copies[0]["body"], {"source": "llama3.2:3b", "destination": "my-llama:latest"})
        # The list beside has the copy.
        self.find("button", "Details of my-llama:latest")

    def test_an_embedding_model_tells_its_vector_length(self):
        self.open_details("nomic-embed-text:latest")
        self.text_shown("Embedding length")
        self.click("button", "Run the Prompt")
        self.text_shown("768 dimensions")
        self.assertEqual(len(self.requests_to("/api/embed")), 1)
        self.assertEqual(self.requests_to("/api/generate"), [])

    def test_a_model_kept_loaded_says_so(self):
        self.open_details("qwen3:8b")
        self.click("button", "Keep qwen3:8b Loaded")
        self.text_shown("kept loaded")

    def test_stop_ends_a_slow_reply(self):
        self.simulator.control("POST", "config", {"tickMs": 400})
        self.open_details("llama3.2:3b")
        self.text_shown("Context length")
        self.click("button", "Run the Prompt")
        self.text_shown("Hello!")
        self.click("button", "Stop")
        self.text_shown("Stopped")
        self.find("button", "Run the Prompt")

    def test_copy_as_takes_only_a_valid_new_name(self):
        self.open_details("gemma3:4b")
        self.click("button", "Copy gemma3:4b As…")
        alert = self.find("alert", "Copy gemma3:4b As")
        copy = self.find("button", "Copy", parent=alert)
        # The model's own name is no copy.
        self.assertFalse(copy.sensitive)
        self.find(None, "New Name", parent=alert).click()
        self.key("<Control>a")
        self.type_text("bad name")
        self.assertFalse(copy.sensitive)
        self.key("<Control>a")
        self.type_text("good:name")
        wait_for(lambda: copy.sensitive, message="Copy to be enabled")

    def test_remove_asks_then_goes_back_to_no_selection(self):
        self.open_details("gemma3:4b")
        self.text_shown("Context length")
        self.click("button", "Remove gemma3:4b", parent=self.window)
        alert = self.find("alert", "Remove gemma3:4b?")
        self.click("button", "Remove", parent=alert)
        self.text_shown("Removed gemma3:4b")
        self.text_shown("No Model Selected")
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and n.name == "Context length"),
            message="the details page to close",
        )
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and n.name == "gemma3:4b"),
            message="the model to leave the list",
        )
        self.assertNotIn("gemma3:4b", self.simulator.control("GET", "state")["installed"])

    def test_remove_in_preferences_asks_then_goes_back_to_the_list(self):
        self.open_details_in_preferences("gemma3:4b")
        self.text_shown("Context length")
        # The list's row has a Remove button of the same name, still in the tree: the
        # page's comes after it.
        *_, remove = self.app.findChildren(
            GenericPredicate(roleName="button", name="Remove gemma3:4b")
        )
        remove.doActionNamed("click")
        alert = self.find("alert", "Remove gemma3:4b?")
        self.click("button", "Remove", parent=alert)
        self.text_shown("Removed gemma3:4b")
        self.text_shown("Installed Models")
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and n.name == "Context length"),
            message="the details page to close",
        )
        self.assertNotIn("gemma3:4b", self.simulator.control("GET", "state")["installed"])
