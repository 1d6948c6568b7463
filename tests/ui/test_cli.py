"""The command line: headless, and through a running window."""

from harness import AppTestCase


class CommandLineTest(AppTestCase):
    def test_search_runs_without_a_display(self):
        result = self.run_cli("search", "qwen", DISPLAY="", WAYLAND_DISPLAY="")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertTrue(lines[0].startswith("qwen"), lines)
        self.assertIn("pulls", lines[0])
        # The catalog came from its address, so nothing to report.
        self.assertNotIn("Couldn’t refresh", result.stderr)

    def test_search_joins_the_running_window(self):
        self.start_app()
        self.text_shown("Connected to")
        result = self.run_cli("search", "nomic")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("nomic-embed-text"), result.stdout)
        self.assertIsNone(self.app_process.poll(), "the window must stay open")

    def test_falls_back_to_the_shipped_catalog_and_says_so(self):
        result = self.run_cli("search", "llama", PADDOCK_CATALOG_URL="http://127.0.0.1:9/none")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("llama", result.stdout)
        self.assertIn("Showing the list that came with Paddock", result.stderr)

    def test_search_hf_asks_the_hub_at_paddock_hf_url(self):
        hub = {"PADDOCK_HF_URL": f"{self.simulator.url}/hf"}
        result = self.run_cli("search", "--hf", "unsloth/Qwen3-30B-A3B-GGUF", **hub)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"(?m)^Q4_K_M +18\.6\sGB +default$")
        self.assertIn("paddock pull hf.co/unsloth/Qwen3-30B-A3B-GGUF:Q4_K_M", result.stdout)
        gated = self.run_cli("search", "--hf", "google/gemma-3-4b-it-qat-q4_0-gguf", **hub)
        self.assertEqual(gated.returncode, 1)
        self.assertIn("is gated on Hugging Face", gated.stderr)

    def test_unknown_command_says_how_to_use_it(self):
        result = self.run_cli("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command", result.stderr)
        self.assertIn("paddock search TEXT", result.stderr)
