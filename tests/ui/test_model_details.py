"""Preferences → Models → a model's details: facts, Load / Unload, Try it, Copy as…"""

from harness import AppTestCase, wait_for


class ModelDetailsTest(AppTestCase):
    def open_details(self, name):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        self.text_shown(name)
        self.click("button", f"Details of {name}")

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

        self.click("button", "Copy llama3.2:3b As…")
        alert = self.find("alert", "Copy llama3.2:3b As")
        self.find(None, "New Name", parent=alert).click()
        self.key("<Control>a")
        self.type_text("my-llama:latest")
        self.click("button", "Copy", parent=alert)
        self.text_shown("Copied llama3.2:3b as my-llama:latest")
        copies = self.requests_to("/api/copy")
        self.assertEqual(copies[0]["body"], {"source": "llama3.2:3b", "destination": "my-llama:latest"})
        # Back on the list, the copy is there.
        self.key("Escape")
        self.text_shown("my-llama:latest")

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
