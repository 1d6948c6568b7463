"""The download rows on the Models page: progress, and Pause / Resume / Cancel by name."""

from harness import AppTestCase, wait_for

MODEL = "slow:1b"


class PullControlsTest(AppTestCase):
    def setUp(self):
        super().setUp()
        self.simulator.control(
            "POST", "registry", {"models": [{"name": MODEL, "layers": [{"size": 400_000_000}]}]}
        )
        self.simulator.control("POST", "config", {"tickMs": 60, "bytesPerTick": 300_000})

    def pulls(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def test_pause_resume_and_cancel(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text(MODEL)
        self.click("button", "Start Download", parent=dialog)

        # The window's banner says what is downloading, and leads to the downloads.
        self.text_shown(f"Downloading {MODEL} — ")
        self.click("button", "Show Downloads")
        self.find("label", "Downloads")
        self.find("progress bar", f"Progress of {MODEL}")
        wait_for(self.row_progress, timeout=15, message="bytes and speed in the row")
        self.screenshot("downloads", docs=True)

        self.click("button", f"Pause {MODEL}")
        self.text_shown("Paused")
        self.click("button", f"Resume {MODEL}")
        wait_for(lambda: len(self.pulls()) == 2, message="a second request after resume")

        self.click("button", f"Cancel {MODEL}")
        self.text_shown("Ollama may keep the part it downloaded")
        self.click("button", f"Dismiss {MODEL}")
        wait_for(
            lambda: not any(n.showing for n in self.app.findChildren(lambda n: n.name == f"Cancel {MODEL}")),
            message="the row to go",
        )

    def test_a_restart_that_discards_the_partial_download_is_explained(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text(MODEL)
        self.click("button", "Start Download", parent=dialog)
        self.click("button", "Show Downloads")
        wait_for(self.row_progress, timeout=15, message="bytes and speed in the row")
        self.click("button", f"Pause {MODEL}")
        self.text_shown("Paused")
        # Ollama restarted without OLLAMA_NOPRUNE: the partial download is gone.
        self.simulator.control("POST", "restart", {})
        self.click("button", f"Resume {MODEL}")
        self.text_shown("OLLAMA_NOPRUNE=1")
        self.screenshot("downloads-restart-loss")

    def row_progress(self):
        """The row's line under the name: "3% · 12.0 MB of 400.0 MB · 4.9 MB/s · …"."""
        for node in self.app.findChildren(
            lambda n: n.showing and n.roleName == "label" and " of " in (n.name or "") and "/s" in (n.name or "")
        ):
            return node.name
        return None
