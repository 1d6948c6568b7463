"""The promise of the pull manager, end to end: a pull started in the app survives
`kill -9`, resumes where the server left off at the next start, goes on in the
background when the window closes, and ends with a notification."""

import json
import os
import re
import signal

from harness import AppTestCase, FakeNotifications, wait_for

MODEL = "tiny:1b"
LAYER = 60_000_000


class PullSurvivesKillTest(AppTestCase):
    def setUp(self):
        super().setUp()
        self.notifications = FakeNotifications(self.home / "notifications.jsonl")
        self.addCleanup(self.notifications.stop)
        self.simulator.control(
            "POST",
            "registry",
            {"models": [{"name": MODEL, "layers": [{"size": LAYER}, {"size": 4_000, "mediaType": "application/vnd.docker.container.image.v1+json"}]}]},
        )
        # About 8 MB/s: the pull takes several seconds, time enough to kill the app.
        self.simulator.control("POST", "config", {"tickMs": 60, "bytesPerTick": 500_000})
        self.other_partials = set(self.simulator.control("GET", "state")["partials"])

    def loading_entries(self):
        path = self.data_home / "paddock" / "loading.json"
        return json.loads(path.read_text()) if path.exists() else []

    def partial_bytes(self):
        """Bytes of this model the server keeps (the demo has other partial downloads)."""
        partials = self.simulator.control("GET", "state")["partials"]
        return sum(size for digest, size in partials.items() if digest not in self.other_partials)

    def banner_percent(self):
        for node in self.app.findChildren(lambda n: n.showing and (n.name or "").startswith("Downloading tiny:1b")):
            match = re.search(r"(\d+)%", node.name)
            if match:
                return int(match.group(1))
        return None

    def test_kill_restart_resume_background_and_notify(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text(MODEL)
        self.click("button", "Start Download", parent=dialog)

        wait_for(lambda: self.banner_percent() is not None, message="the banner to show the pull")
        wait_for(lambda: self.partial_bytes() > LAYER // 5, timeout=20, message="a fifth of the model")
        self.assertEqual([e["model"] for e in self.loading_entries()], [MODEL])

        os.kill(self.app_process.pid, signal.SIGKILL)
        self.app_process.wait(timeout=10)
        kept = self.partial_bytes()
        self.assertGreater(kept, 0)
        self.assertEqual(self.loading_entries()[0]["status"], "pulling")

        # The next start resumes: the bar starts where the server's partial file ends.
        self.start_app()
        percent = wait_for(self.banner_percent, timeout=20, message="the resumed pull in the banner")
        self.assertGreaterEqual(percent, (kept * 100 // LAYER) - 1)

        # Closing the window leaves the pull running in the background.
        self.key("<Control>w")
        wait_for(
            lambda: any(n["summary"] == "Downloads Continue in the Background" for n in self.notifications.received()),
            message="the background notification",
        )
        self.assertIsNone(self.app_process.poll(), "the app must keep running for its pull")

        done = wait_for(
            lambda: [n for n in self.notifications.received() if n["summary"] == "Download Complete"],
            timeout=40,
            message="the completion notification",
        )
        self.assertIn(MODEL, done[0]["body"])
        self.assertIn(MODEL, self.simulator.control("GET", "state")["installed"])
        # With nothing left to do and no window, the app ends, and loading.json is empty.
        self.assertEqual(self.app_process.wait(timeout=15), 0)
        self.assertEqual(self.loading_entries(), [])
