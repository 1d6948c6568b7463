"""The lists the window saves for its next start (library.json), which commands never show."""

import json

from harness import AppTestCase


class LibrarySnapshotTest(AppTestCase):
    def saved(self):
        path = self.data_home / "paddock" / "library.json"
        return json.loads(path.read_text()) if path.exists() else None

    def installed(self):
        return sorted(model["name"] for model in self.simulator.control("GET", "installed")["models"])

    def test_the_window_saves_the_lists_and_commands_never_show_them(self):
        # A command lists what the server says, and saves nothing.
        listed = self.run_cli("list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIsNone(self.saved())

        # The window saves the lists it was given, at the latest when it quits.
        self.start_app()
        self.text_shown("5 models installed")
        self.key("<Control>q")
        self.assertEqual(self.app_process.wait(timeout=10), 0)
        saved = self.saved()
        self.assertEqual(saved["version"], 1)
        (server,) = saved["servers"].values()
        self.assertEqual(server["url"].rstrip("/"), self.simulator.url.rstrip("/"))
        self.assertEqual(sorted(model["name"] for model in server["models"]), self.installed())

        # The server failing, a command says why and lists nothing of the saved lists.
        self.simulator.control("POST", "faults", {"faults": [{"on": "tags", "kind": "http-500"}]})
        failed = self.run_cli("list")
        self.assertEqual(failed.returncode, 1)
        self.assertEqual(failed.stdout, "")
        self.assertTrue(failed.stderr.startswith("error: "), failed.stderr)
