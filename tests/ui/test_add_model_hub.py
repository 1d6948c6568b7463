"""Add Model from Hugging Face: search the simulator's fake Hub, pick a repository and a
quantisation, pull it, and see it in the library; gated repositories and rate limits
are said in words."""

import json

from harness import AppTestCase, wait_for

REPO = "bartowski/Llama-3.2-3B-Instruct-GGUF"
GATED = "google/gemma-3-4b-it-qat-q4_0-gguf"


class AddModelHubTest(AppTestCase):
    def hub_searches(self):
        return [
            r["path"] for r in self.simulator.requests() if r["path"].startswith("/hf/api/models?")
        ]

    def pull_requests(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def open_hub(self):
        self.start_app()
        return self.open_hub_dialog()

    def open_hub_dialog(self):
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.click("radio button", "Hugging Face", parent=dialog)
        entry = self.find(None, "Hugging Face search", parent=dialog)
        wait_for(lambda: entry.focused, message="the Hugging Face search to have the focus")
        return dialog

    def pick_repo(self, dialog, repo_id):
        results = self.find("list", "Hugging Face repositories", parent=dialog)
        # Rows offer no action to AT-SPI: a click, as a person would.
        self.click("list item", repo_id, parent=results)
        self.find("list", "Chosen repository", parent=dialog)

    def test_search_pick_a_repository_and_a_quant_pull_it_and_see_it_in_the_library(self):
        # Pulls finish in a few ticks.
        self.simulator.control("POST", "config", {"bytesPerTick": 1_000_000_000})
        dialog = self.open_hub()
        self.text_shown("Find GGUF models on Hugging Face")
        self.type_text("llama")
        self.find("list", "Hugging Face repositories", parent=dialog)
        self.text_shown("bartowski · 1.2M downloads · 180 likes · updated")
        # Typing is asked once it pauses: one search for the whole word.
        self.assertEqual(len(self.hub_searches()), 1, self.hub_searches())
        self.assertIn("search=llama&", self.hub_searches()[0])

        self.pick_repo(dialog, REPO)
        # Q4_K_M, Ollama's default, is chosen; the others are a click away, smallest first.
        self.text_shown("Q4_K_M — 2.0\u00a0GB")
        self.screenshot("add-model-hub", docs=True)
        self.click(None, "Quantisation", parent=dialog)
        default = self.find("radio button", "Q4_K_M — 2.0\u00a0GB", parent=dialog)
        self.assertTrue(default.checked)
        self.narrow_window()
        self.screenshot("add-model-hub-narrow")

        self.click("radio button", "IQ3_M — 1.6\u00a0GB", parent=dialog)
        self.click("button", "Start Download", parent=dialog)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), f"hf.co/{REPO}:IQ3_M")
        # The library lists it once the pull is done.
        name = f"hf.co/{REPO}:IQ3_M".lower()
        wait_for(
            lambda: self.window.findChildren(lambda n: n.showing and (n.name or "").lower() == name),
            timeout=30,
            message="the model in the library",
        )

    def test_the_chosen_quant_says_whether_it_fits_the_server(self):
        # The server's memory as its user entered it in the connection dialog.
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [{
                "id": "local", "name": "Local Ollama", "url": self.simulator.url,
                "default": True, "gpuMemory": 4_000_000_000, "memory": 16_000_000_000,
            }],
        }))
        self.start_app()
        dialog = self.open_hub_dialog()
        self.type_text("llama")
        self.pick_repo(dialog, REPO)
        # From the GGUF header of the quant's file, read by range from its resolve address.
        self.text_shown("Q4_K_M — 2.0\u00a0GB\nFits in GPU memory: has 4.0\u00a0GB (entered by you)",
                        timeout=20)
        # The chosen quant's header is read first.
        reads = [r["path"] for r in self.simulator.requests() if "/resolve/main/" in r["path"]]
        self.assertTrue(reads[0].endswith("-Q4_K_M.gguf"), reads)
        self.click(None, "Quantisation", parent=dialog)
        self.find("radio button", "F16 — 6.4\u00a0GB", parent=dialog)
        self.text_shown("Runs partly on the CPU (slower): has 20.0\u00a0GB (entered by you)")
        self.screenshot("add-model-hub-verdicts")

    def test_a_gated_repository_says_so_and_cannot_be_started(self):
        dialog = self.open_hub()
        self.type_text("gemma")
        self.find("list", "Hugging Face repositories", parent=dialog)
        self.text_shown("Gated")
        self.pick_repo(dialog, GATED)
        self.text_shown(f"“{GATED}” is gated on Hugging Face: the Ollama server needs its own")
        self.assertFalse(self.find("button", "Start Download", parent=dialog).sensitive)
        self.screenshot("add-model-hub-gated")

        # Back to the results, another repository can be chosen.
        self.click("button", "Change Repository", parent=dialog)
        self.find("list", "Hugging Face repositories", parent=dialog)

        # The library side has its own state: nothing chosen there, nothing said.
        self.click("radio button", "Ollama Library", parent=dialog)
        self.find("text", "Model", parent=dialog)
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and "is gated" in (n.name or "")),
            message="the gated repository's words to go with it",
        )
        self.assertEqual(self.pull_requests(), [])

    def test_a_rate_limited_search_says_when_to_retry(self):
        self.simulator.control("POST", "hub", {"rateLimit": {"retryAfter": 30}})
        dialog = self.open_hub()
        self.type_text("qwen")
        self.text_shown("Hugging Face is limiting requests; try again in 30 s.")
        self.screenshot("add-model-hub-rate-limited")

        self.simulator.control("POST", "hub", {"rateLimit": None})
        self.click("button", "Retry", parent=dialog)
        self.find("list", "Hugging Face repositories", parent=dialog)
        self.text_shown("Qwen/Qwen2.5-7B-Instruct-GGUF")

    def test_split_quants_are_shown_disabled_with_the_reason(self):
        dialog = self.open_hub()
        self.type_text("70B")
        self.pick_repo(dialog, "bartowski/Meta-Llama-3.1-70B-Instruct-GGUF")
        self.click(None, "Quantisation", parent=dialog)
        split = self.find("radio button", "Q8_0 — 75.0\u00a0GB", parent=dialog)
        self.assertFalse(split.sensitive)
        self.text_shown("Split into 2 files, which Ollama cannot download from Hugging Face.")
        missing = self.find("radio button", "Q6_K — 38.0\u00a0GB", parent=dialog)
        self.assertFalse(missing.sensitive)
        self.text_shown("Only 2 of its 3 parts are on Hugging Face.")
        self.assertTrue(self.find("radio button", "Q4_K_M — 42.5\u00a0GB", parent=dialog).checked)
        self.screenshot("add-model-hub-split")
