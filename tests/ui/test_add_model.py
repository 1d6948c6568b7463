"""Add Model: search the catalog with the keyboard, see the default size, start a pull
and see it reach the server."""

import json
import os
import time

from harness import PROJECT, AppTestCase, CatalogServer, wait_for


# A catalog that does not change when data/catalog.json is refreshed, and the default
# size the app must pick from it: the largest plain size of 100 GB or less (qwen3:235b is
# 142 GB; 32b is 20 GB, larger than every -q8_0/-fp16 variant of the smaller sizes).
FIXTURE_CATALOG = PROJECT / "tests" / "ui" / "fixtures" / "catalog-default-sizes.json"
QWEN3_DEFAULT = "32b"

GB = 1_000_000_000
# The simulator's registry has qwen3 in every size with real GGUF headers (tests/sim):
# on a server with 8 GB of GPU memory and 32 GB of system memory, 8b is the largest
# size that fits entirely in GPU memory.
GPU_BYTES = 8 * GB
RAM_BYTES = 32 * GB
FITS = "Fits in GPU memory: has 8.0\u00a0GB (entered by you)"
PARTLY = "Runs partly on the CPU (slower): has 40.0\u00a0GB (entered by you)"
SHARED = "(9.2\u00a0kB already on this server)"  # qwen3's template, licence and params
VERDICT_8B = f"8b — 40K context · Text\nAlready on this server\n{FITS}"
SIZE_ITEMS = [
    f"0.6b — 40K context · Text. Downloads 522.7\u00a0MB {SHARED}. {FITS}",
    f"8b — 40K context · Text. Already on this server. {FITS}",
    f"14b — 40K context · Text. Downloads 9.3\u00a0GB {SHARED}. {PARTLY}",
    f"32b — 40K context · Text. Downloads 20.2\u00a0GB {SHARED}. {PARTLY}",
    "235b — 256K context · Text. Downloads 142.1\u00a0GB. "
    "Too large for this server (needs ~146.9\u00a0GB, has 40.0\u00a0GB)",
]
TOO_LARGE_235B = "qwen3:235b needs about 146.9\u00a0GB of memory, and Local Ollama has 40.0\u00a0GB"


class AddModelTest(AppTestCase):
    def pull_requests(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def start_with_memory(self, gpu_bytes, ram_bytes, **env):
        """The app with the fixture catalog, the simulator as registry, and "Local Ollama"
        (the simulator) with the memory its user entered in the connection dialog."""
        catalog = CatalogServer(FIXTURE_CATALOG)
        self.addCleanup(catalog.stop)
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [{
                "id": "local", "name": "Local Ollama", "url": self.simulator.url,
                "default": True, "gpuMemory": gpu_bytes, "memory": ram_bytes,
            }],
        }))
        self.start_app(
            PADDOCK_CATALOG_URL=catalog.url, PADDOCK_REGISTRY_URL=self.simulator.url, **env
        )
        self.text_shown("Connected to")

    def open_add_model(self):
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        entry = self.find("text", "Model", parent=dialog)
        wait_for(lambda: entry.focused, message="the model entry to have the focus")
        return dialog, entry

    def test_search_pick_with_keyboard_and_start_a_pull(self):
        # Not even 0.6b fits in 1 GB of GPU memory: the catalog's default size stays.
        self.start_with_memory(1 * GB, 32 * GB)
        dialog, entry = self.open_add_model()

        self.type_text("qwen")
        self.find("list", "Matching models")
        self.screenshot("add-model-search", docs=True)
        self.key("Down")
        self.key("Return")

        # The first match is qwen3, with the catalog's default size already chosen.
        self.picked(dialog, f"qwen3:{QWEN3_DEFAULT}")
        self.text_shown(f"{QWEN3_DEFAULT} — ")
        self.text_shown("Runs partly on the CPU (slower): has 33.0\u00a0GB (entered by you)")
        self.screenshot("add-model-picked-catalog-default")

        # A name typed in full picks the family and that size.
        entry.click()
        self.key("<Control>a")
        self.type_text("qwen3:8b")
        self.picked(dialog, "qwen3:8b")
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

    def find_list_item(self, name, steps=12, timeout=30.0):
        """A list item of an open popover, moving down and back up the list until it shows
        it: its text may still change while the advice of the sizes comes in."""
        deadline = time.monotonic() + timeout
        while True:
            for key in ("Down", "Up"):
                for _ in range(steps):
                    found = self.app.findChildren(
                        lambda n: n.roleName == "list item" and n.name == name and n.showing
                    )
                    if found:
                        return found[0]
                    self.key(key)
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for list item {name!r}")

    def test_a_typed_tag_picks_its_size_and_variant(self):
        self.start_with_memory(GPU_BYTES, RAM_BYTES)
        dialog, _ = self.open_add_model()
        self.type_text("qwen3:8b-q8_0")
        self.find("combo box", "Size", parent=dialog)
        self.text_shown("8b — 40K context · Text\nAlready on this server")
        # The registry does not have it: the catalog's size, said to be approximate.
        self.text_shown("8b-q8_0 — about 8.9\u00a0GB · 40K context")
        self.click("button", "Start Download", parent=dialog)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), "qwen3:8b-q8_0")

    def test_sizes_say_whether_they_fit_and_a_too_large_one_asks_first(self):
        self.start_with_memory(GPU_BYTES, RAM_BYTES)
        dialog, _ = self.open_add_model()
        self.type_text("qwen3")
        self.key("Down")
        self.key("Return")

        # The default moves from the catalog's 32b to the largest size that fits.
        self.picked(dialog, "qwen3:8b")
        self.text_shown(VERDICT_8B)
        self.screenshot("add-model-picked", docs=True)

        # Every size says what it downloads and whether it fits, from the registry's
        # manifests and GGUF headers, on as many lines as it takes.
        # The list scrolls to what the keyboard reaches.
        self.find("combo box", "Size", parent=dialog).click()
        for name in SIZE_ITEMS:
            self.find_list_item(name)
        self.screenshot("add-model-sizes")
        self.key("Escape")

        # A size too large is downloaded only after a confirmation that says why; on a
        # phone's width too.
        self.narrow_window()
        self.find("combo box", "Size", parent=dialog).click()
        self.screenshot("add-model-sizes-narrow")
        # The last size, by keyboard: the narrow list reaches below the window.
        self.find_list_item(SIZE_ITEMS[-1])
        self.key("End")
        self.key("Return")
        self.picked(dialog, "qwen3:235b")
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download a model too large for this server?")
        self.text_shown(TOO_LARGE_235B)
        self.screenshot("add-model-too-large")
        self.click("button", "Cancel", parent=alert)
        self.assertEqual(self.pull_requests(), [])
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download a model too large for this server?")
        self.click("button", "Download Anyway", parent=alert)
        wait_for(self.pull_requests, message="the pull to reach the server")
        body = self.pull_requests()[0]["body"]
        self.assertEqual(body.get("model") or body.get("name"), "qwen3:235b")

    def test_advice_does_not_move_a_size_the_user_chose(self):
        # The registry answers slowly: the advice arrives after the choice.
        self.simulator.control("POST", "config", {"registryLatencyMs": 1000})
        self.start_with_memory(GPU_BYTES, RAM_BYTES)
        dialog, _ = self.open_add_model()
        self.type_text("qwen3:32b")
        self.picked(dialog, "qwen3:32b")
        self.assertFalse(self.app.findChildren(lambda n: n.showing and "Fits in" in (n.name or "")))
        # 8b would be the default now; the size the user chose stays.
        self.text_shown(f"32b — 40K context · Text\nDownloads 20.2\u00a0GB {SHARED}\n{PARTLY}",
                        timeout=40)
        self.find("combo box", "Size", parent=dialog).click()
        self.find_list_item(SIZE_ITEMS[1])
        self.key("Escape")
        self.picked(dialog, "qwen3:32b")

    def test_a_download_larger_than_the_free_disk_space_asks_first(self):
        # The models' folder of this server is the spec's; its file system has what it has
        # free. The registry's qwen3:1.7b is made 10 GB larger than that, and the server
        # is given the memory to run it: only the disk is short.
        models = self.home / "models"
        models.mkdir()
        free = os.statvfs(models).f_bavail * os.statvfs(models).f_frsize
        weights = free + 10 * GB
        self.simulator.control("POST", "registry", {"models": [{
            "name": "qwen3:1.7b",
            "layers": [{"size": weights}],
            "details": {"family": "qwen3", "parameter_size": "2.0B"},
        }]})
        self.start_with_memory(2 * weights + 100 * GB, 2 * weights + 100 * GB,
                               OLLAMA_MODELS=str(models))
        dialog, _ = self.open_add_model()
        self.type_text("qwen3:1.7b")
        self.picked(dialog, "qwen3:1.7b")
        # Said under Start Download, with both numbers; the download stays possible.
        shown = self.text_shown("Not enough disk space: the download is ", timeout=20)
        self.assertRegex(shown.name, r"the download is [\d.]+\u00a0[kMGT]?B, the disk of the "
                                     r"models has [\d.]+\u00a0[kMGT]?B free")
        self.screenshot("add-model-no-disk-room")
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download without enough disk space?")
        self.text_shown("Not enough disk space: the download is ")
        self.click("button", "Cancel", parent=alert)
        self.assertEqual(self.pull_requests(), [])
        self.click("button", "Start Download", parent=dialog)
        alert = self.find("alert", "Download without enough disk space?")
        self.click("button", "Download Anyway", parent=alert)
        wait_for(self.pull_requests, message="the pull to reach the server")

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
