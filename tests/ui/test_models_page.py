"""Preferences → Models: installed models per server, search, remove, copy, update."""

import json

from harness import AppTestCase, wait_for


class ModelsPageTest(AppTestCase):
    def open_models(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        self.text_shown("Installed Models")

    def test_lists_models_with_details_and_capabilities(self):
        self.open_models()
        self.text_shown("llama3.2:3b")
        # Sizes carry a no-break space before the unit, as GLib formats them.
        self.text_shown("3.2B · Q4_K_M · llama · 2.0\u00a0GB · modified")
        # Capabilities arrive from /api/show after the list.
        wait_for(
            lambda: any(r["path"] == "/api/show" for r in self.simulator.requests()),
            message="capabilities to be asked for",
        )
        self.text_shown("Thinking")
        self.screenshot("preferences-models", docs=True)

    def test_search_filters_the_list(self):
        self.open_models()
        self.text_shown("gemma3:4b")
        # The window's library lists the same models behind the dialog.
        dialog = self.find("dialog", "Preferences")
        search = self.find(None, "Search installed models")
        search.click()
        self.type_text("qwen")
        wait_for(
            lambda: not any(
                n.showing for n in dialog.findChildren(lambda n: n.name == "gemma3:4b")
            ),
            message="gemma3 to be filtered out",
        )
        self.text_shown("qwen3:8b")

    def test_remove_asks_first_then_deletes_on_the_server(self):
        self.open_models()
        self.click("button", "Remove gemma3:4b")
        alert = self.find("alert", "Remove gemma3:4b?")
        self.click("button", "Remove", parent=alert)
        self.text_shown("Removed gemma3:4b")
        deletes = [r for r in self.simulator.requests() if r["path"] == "/api/delete"]
        self.assertEqual(len(deletes), 1)
        self.assertIn("gemma3:4b", json.dumps(deletes[0]["body"]))
        installed = self.simulator.control("GET", "state")["installed"]
        self.assertNotIn("gemma3:4b", installed)

    def test_copy_name_and_update(self):
        self.open_models()
        self.click("button", "Copy the Name llama3.2:3b")
        self.text_shown("Copied “llama3.2:3b”")
        self.click("button", "Update llama3.2:3b")
        wait_for(
            lambda: [r for r in self.simulator.requests() if r["path"] == "/api/pull"],
            message="the update to re-pull the model",
        )


    def test_a_pull_that_ends_while_preferences_is_open_is_told_on_it(self):
        self.simulator.control("POST", "config", {"tickMs": 5, "bytesPerTick": 50_000_000})
        self.open_models()
        dialog = self.find("dialog", "Preferences")
        self.click("button", "Update llama3.2:3b")
        # The window tells of the pull's end; over the dialog, its toast would be hidden.
        wait_for(
            lambda: dialog.findChildren(
                lambda n: n.showing and "llama3.2:3b is ready on" in (n.name or "")
            ),
            timeout=20,
            message="the toast on the Preferences dialog",
        )

    def test_reopening_the_page_shows_the_shared_list_without_asking_again(self):
        def listings():
            return len([r for r in self.simulator.requests() if r["path"] == "/api/tags"])

        self.open_models()
        self.text_shown("llama3.2:3b")
        listed = listings()
        self.key("Escape")
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and n.name == "Installed Models"),
            message="Preferences to close",
        )
        self.key("<Control>comma")
        self.text_shown("llama3.2:3b")
        self.assertEqual(listings(), listed)

    def test_retry_keeps_the_search(self):
        self.start_app()
        self.text_shown("Connected to")
        self.simulator.control("POST", "faults", {"faults": [{"on": "tags", "kind": "http-500"}]})
        self.key("<Control>comma")
        # The window listed the models already: the dialog shows them without asking again.
        dialog = self.find("dialog", "Preferences")
        self.click("button", "Refresh", parent=dialog)
        self.text_shown("Can’t list the models")
        self.find(None, "Search installed models").click()
        self.type_text("qwen")
        self.click("button", "Retry", parent=dialog)
        self.text_shown("qwen3:8b")
        self.assertFalse(
            any(n.showing for n in dialog.findChildren(lambda n: n.name == "gemma3:4b"))
        )

class UnreachableServerTest(AppTestCase):
    def test_an_unreachable_server_shows_its_error_and_the_others_still_list(self):
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(
            json.dumps(
                {
                    "version": 1,
                    "connections": [
                        {"id": "a", "name": "Demo", "url": self.simulator.url, "default": True},
                        {"id": "b", "name": "Gone", "url": "http://127.0.0.1:9", "default": False},
                    ],
                }
            )
        )
        self.start_app()
        self.key("<Control>comma")
        self.text_shown("llama3.2:3b")
        self.text_shown("Can’t list the models")
        self.text_shown("refused")
        self.find("button", "Retry")
