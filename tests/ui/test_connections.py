"""Preferences → Connections, end to end against two simulators, one of them behind a
Bearer key like a reverse proxy."""

import json
import os
import re
import signal
import subprocess
import uuid

from harness import AppTestCase, Simulator, wait_for

API_KEY = "sk-test-7f3a9c"
KEY_SCHEMA = "io.github.paddock.Paddock.ApiKey"


class ConnectionsTest(AppTestCase):
    def setUp(self):
        super().setUp()
        self.protected = Simulator("--token", API_KEY)
        self.addCleanup(self.protected.stop)

    def open_connections(self):
        self.key("<Control>comma")
        self.click("page tab", "Connections")
        self.text_shown("Ollama Servers")

    def fill(self, dialog, field, text, secret=False):
        entry = self.find("text", field, parent=dialog)
        entry.click()
        self.key("<Control>a")
        self.type_text(text)
        # A password entry keeps its text from assistive technology too.
        if not secret:
            wait_for(lambda: entry.text == text, message=f"{field} to read {text!r}")

    def saved_connections(self):
        return json.loads((self.config_home / "paddock" / "connections.json").read_text())

    def stored_key(self, connection_id):
        """The key in the session's keyring, as Paddock stores it, or None."""
        found = subprocess.run(
            ["secret-tool", "lookup", "xdg:schema", KEY_SCHEMA, "connection-id", connection_id],
            capture_output=True, text=True,
        )
        return found.stdout if found.returncode == 0 and found.stdout else None

    def with_protected_connection(self):
        """connections.json with the local server and Protected, whose key is in the keyring."""
        connection_id = str(uuid.uuid4())
        folder = self.config_home / "paddock"
        folder.mkdir()
        (folder / "connections.json").write_text(json.dumps({"version": 1, "connections": [
            {"id": str(uuid.uuid4()), "name": "Local", "url": self.simulator.url, "default": True},
            {"id": connection_id, "name": "Protected", "url": self.protected.url, "default": False},
        ]}))
        subprocess.run(
            ["secret-tool", "store", "--label=Paddock API key for Protected",
             "xdg:schema", KEY_SCHEMA, "connection-id", connection_id],
            input=API_KEY, text=True, check=True,
        )
        self.assertEqual(self.stored_key(connection_id), API_KEY)
        return connection_id

    def freeze_keyring(self):
        """Stops this session's keyring daemon, so that every keyring call waits, until thawed."""
        owner = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
             "--object-path", "/org/freedesktop/DBus",
             "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID",
             "org.freedesktop.secrets"],
            capture_output=True, text=True, check=True,
        ).stdout
        pid = int(re.search(r"uint32 (\d+)", owner).group(1))
        os.kill(pid, signal.SIGSTOP)
        thaw = lambda: os.kill(pid, signal.SIGCONT)
        self.addCleanup(thaw)
        return thaw

    def dialog_closed(self, name):
        wait_for(
            lambda: not any(d.showing and d.name == name for d in self.find_all("dialog")),
            message=f"the dialog {name!r} to close",
        )

    def test_add_test_default_restart_and_remove_a_protected_server(self):
        self.start_app()
        self.text_shown("Connected to")
        self.open_connections()

        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        self.fill(dialog, "Server Address", self.protected.url)
        self.fill(dialog, "Name", "Protected")

        # Without the key the proxy says no, and the dialog says what to do about it.
        self.click("button", "Test", parent=dialog)
        self.text_shown("API key")
        self.fill(dialog, "API Key (Optional)", API_KEY, secret=True)
        self.click("button", "Test", parent=dialog)
        self.text_shown("Connected: Ollama")
        self.screenshot("connection-dialog", docs=True)

        self.click("button", "Add", parent=dialog)
        self.find("button", "Test Connection to Protected")
        saved = self.saved_connections()
        self.assertIn("Protected", [c["name"] for c in saved["connections"]])
        # The key went to the keyring, never into the file.
        self.assertNotIn(API_KEY, (self.config_home / "paddock" / "connections.json").read_text())

        self.click("button", "Test Connection to Protected")
        self.text_shown("Connected: Ollama")
        authorizations = [r["authorization"] for r in self.protected.requests()]
        self.assertIn(f"Bearer {API_KEY}", authorizations)

        self.click("button", "Edit Protected")
        dialog = self.find("dialog", "Edit Connection")
        self.click("check box", "Default Connection", parent=dialog)
        self.click("button", "Save", parent=dialog)
        wait_for(
            lambda: [c["name"] for c in self.saved_connections()["connections"] if c["default"]]
            == ["Protected"],
            message="Protected to become the default",
        )
        self.screenshot("preferences-connections", docs=True)

        # After a restart the key comes back from the keyring: the default server answers.
        self.app_process.terminate()
        self.app_process.wait(timeout=10)
        self.start_app()
        self.text_shown("Connected to Protected")

        self.open_connections()
        self.click("button", "Edit Protected")
        dialog = self.find("dialog", "Edit Connection")
        self.click("button", "Remove Connection", parent=dialog)
        alert = self.find("alert", "Remove “Protected”?")
        self.click("button", "Remove", parent=alert)
        wait_for(
            lambda: "Protected" not in [c["name"] for c in self.saved_connections()["connections"]],
            message="Protected to be removed",
        )

    def test_warns_before_sending_a_key_in_clear_to_another_host(self):
        self.start_app()
        self.open_connections()
        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        self.fill(dialog, "Server Address", "http://192.0.2.10:11434")
        self.fill(dialog, "API Key (Optional)", API_KEY, secret=True)
        self.text_shown("sent unencrypted")
        self.fill(dialog, "Server Address", "https://192.0.2.10:11434")
        wait_for(
            lambda: not any(
                n.showing and "sent unencrypted" in (n.name or "")
                for n in self.find_all("label", parent=dialog)
            ),
            message="the warning to go away for https",
        )

    def test_saving_before_the_key_is_read_keeps_it(self):
        connection_id = self.with_protected_connection()
        self.start_app()
        self.open_connections()
        # The key field stays empty while the keyring does not answer: saving must not
        # take that for "no key".
        thaw = self.freeze_keyring()
        self.click("button", "Edit Protected")
        dialog = self.find("dialog", "Edit Connection")
        self.click("button", "Save", parent=dialog)
        self.dialog_closed("Edit Connection")
        thaw()
        self.assertEqual(self.stored_key(connection_id), API_KEY)

    def test_moving_a_connection_asks_whether_its_key_goes_along(self):
        connection_id = self.with_protected_connection()
        elsewhere = self.protected.url.replace("127.0.0.1", "localhost")
        self.start_app()
        self.open_connections()

        self.click("button", "Edit Protected")
        dialog = self.find("dialog", "Edit Connection")
        self.fill(dialog, "Server Address", elsewhere)
        self.click("button", "Save", parent=dialog)
        alert = self.find("alert", "Keep the API Key?")
        self.click("button", "Keep Key", parent=alert)
        self.dialog_closed("Edit Connection")
        urls = {c["name"]: c["url"] for c in self.saved_connections()["connections"]}
        self.assertEqual(urls["Protected"], elsewhere)
        self.assertEqual(self.stored_key(connection_id), API_KEY)

        self.click("button", "Edit Protected")
        dialog = self.find("dialog", "Edit Connection")
        self.fill(dialog, "Server Address", self.protected.url)
        self.click("button", "Save", parent=dialog)
        alert = self.find("alert", "Keep the API Key?")
        self.click("button", "Remove Key", parent=alert)
        self.dialog_closed("Edit Connection")
        wait_for(lambda: self.stored_key(connection_id) is None, message="the key to be removed")

    def test_bad_address_is_explained_and_cannot_be_saved(self):
        self.start_app()
        self.open_connections()
        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        self.fill(dialog, "Server Address", "ftp://example.com")
        self.text_shown("http://")
        add = self.find("button", "Add", parent=dialog)
        self.assertFalse(add.sensitive)


    def test_memory_figures_are_checked_and_kept(self):
        self.start_app()
        self.text_shown("Connected to")
        self.open_connections()
        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        self.fill(dialog, "Server Address", self.protected.url)
        self.fill(dialog, "Name", "GPU Box")
        # Folded away until wanted: most servers need no figures.
        self.click("label", "Server Memory", parent=dialog)
        self.fill(dialog, "GPU Memory, e.g. 24 GB", "lots")
        self.text_shown("Enter a size such as")
        self.assertFalse(self.find("button", "Add", parent=dialog).sensitive)
        self.fill(dialog, "GPU Memory, e.g. 24 GB", "24 GB")
        self.fill(dialog, "Memory, e.g. 32 GB", "64")
        context = "Context Length, e.g. 32k"
        self.fill(dialog, context, "lots")
        self.text_shown("Enter a number of tokens")
        self.assertFalse(self.find("button", "Add", parent=dialog).sensitive)
        self.fill(dialog, context, "32k")
        self.screenshot("connection-dialog-memory")
        self.click("button", "Add", parent=dialog)
        self.dialog_closed("Add Connection")
        box = [c for c in self.saved_connections()["connections"] if c["name"] == "GPU Box"][0]
        self.assertEqual((box["memory"], box["gpuMemory"]), (64_000_000_000, 24_000_000_000))
        self.assertEqual(box["contextLength"], 32768)

        # Shown again when edited; a cleared field forgets its figure.
        self.click("button", "Edit GPU Box")
        dialog = self.find("dialog", "Edit Connection")
        # Unfolded, as it has figures.
        wait_for(
            lambda: "24" in (self.find("text", "GPU Memory, e.g. 24 GB", parent=dialog).text or ""),
            message="the GPU memory to be shown",
        )
        self.find("text", "Memory, e.g. 32 GB", parent=dialog).click()
        self.key("<Control>a")
        self.key("Delete")
        self.click("button", "Save", parent=dialog)
        self.dialog_closed("Edit Connection")
        box = [c for c in self.saved_connections()["connections"] if c["name"] == "GPU Box"][0]
        self.assertNotIn("memory", box)
        self.assertEqual(box["gpuMemory"], 24_000_000_000)

class BrokenConfigTest(AppTestCase):
    def test_broken_file_is_kept_aside_and_reported(self):
        folder = self.config_home / "paddock"
        folder.mkdir()
        broken = b'{"version":1,"connections":[{"id":'
        (folder / "connections.json").write_bytes(broken)
        self.start_app()
        self.text_shown("connections.json.corrupt-")
        [aside] = folder.glob("connections.json.corrupt-*")
        self.assertRegex(aside.name, r"^connections\.json\.corrupt-\d{8}T\d{6}Z$")
        self.assertEqual(aside.read_bytes(), broken)
        # The app still works with the default connection.
        self.text_shown("Connected to")
