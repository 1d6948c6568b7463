"""Text that is not Paddock's own (server replies, model details, the catalog, connection
names) shows as the literal text it is, never as Pango markup."""

import json
import subprocess
import time

from harness import PREFIX, AppTestCase, CatalogServer, wait_for

# Valid markup: read as markup it would show "bold & x" (bold, and a link).
PAYLOAD = '<b>bold</b> &amp; <a href="https://evil">x</a>'
# Not valid markup: read as markup it would log a warning and show nothing.
BROKEN = "<b>& <i>"
CATALOG = [
    {
        "name": "evil",
        "description": f"Hostile {PAYLOAD}",
        "tags": [{"name": "latest", "size": "1GB", "context": "8K", "input": f"Text {PAYLOAD}"}],
    },
    {"name": "llama3.2", "description": "Small models.", "tags": [{"name": "3b", "size": "2.0GB"}]},
]


class UntrustedTextTest(AppTestCase):
    def setUp(self):
        super().setUp()
        self.log_path = self.home / "app.log"
        folder = self.config_home / "paddock"
        folder.mkdir()
        self.connection_name = f"Lab {PAYLOAD}"
        (folder / "connections.json").write_text(json.dumps({
            "version": 1,
            "connections": [
                {"id": "a", "name": self.connection_name, "url": self.simulator.url, "default": True},
            ],
        }))
        self.simulator.control("POST", "installed", {"models": [{
            "name": "tiny:1b",
            "size": 1_000_000_000,
            "details": {"family": f"fam {PAYLOAD}", "quantization_level": f"Q4 {BROKEN}"},
        }]})

    def start_logged_app(self, **env):
        self.log = self.log_path.open("w")
        self.addCleanup(self.log.close)
        return self.start_app(stderr=self.log, **env)

    def literally(self, text, parent=None, timeout=10.0):
        """A node showing text as given, markup and all (read as markup, it would not match)."""
        parent = parent or self.app

        def search():
            for node in parent.findChildren(lambda n: n.showing and text in (n.name or "")):
                return node
            return None

        return wait_for(search, timeout=timeout, message=f"the literal text {text!r}")

    def assert_no_markup_warnings(self):
        self.log.flush()
        log = self.log_path.read_text()
        # GTK says "Failed to set text … from markup due to error parsing markup".
        self.assertNotIn("markup", log)

    def test_window_and_models_page_show_names_details_and_errors_as_text(self):
        self.start_logged_app()
        self.literally(f"Connected to {self.connection_name}")
        self.key("<Control>comma")
        dialog = self.find("dialog", "Preferences")
        self.literally(self.connection_name, parent=dialog)
        self.literally(f"fam {PAYLOAD}", parent=dialog)
        self.literally(f"Q4 {BROKEN}", parent=dialog)

        # A failed remove says why in a toast.
        self.simulator.control("POST", "faults", {"faults": [
            {"on": "delete", "kind": "http-500", "message": f"cannot {PAYLOAD}"},
        ]})
        self.click("button", "Remove tiny:1b")
        alert = self.find("alert", "Remove tiny:1b?")
        self.click("button", "Remove", parent=alert)
        self.literally(f"cannot {PAYLOAD}")

        # A server that cannot list its models says why in the group.
        self.simulator.control("POST", "faults", {"faults": [
            {"on": "tags", "kind": "http-500", "message": f"broken {BROKEN} {PAYLOAD}"},
        ]})
        self.click("button", "Refresh", parent=dialog)
        self.literally(f"broken {BROKEN} {PAYLOAD}", parent=dialog)
        self.assert_no_markup_warnings()

    def test_the_details_page_shows_the_servers_texts_and_errors_as_text(self):
        self.simulator.control("POST", "installed", {"models": [{
            "name": "tiny:1b",
            "size": 1_000_000_000,
            "details": {"family": "llama", "quantization_level": f"Q4 {BROKEN}"},
            "show": {"license": f"License {PAYLOAD}\nline 2\nline 3\nline 4", "system": BROKEN},
        }]})
        self.start_logged_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        dialog = self.find("dialog", "Preferences")
        self.click("button", "Details of tiny:1b", parent=dialog)
        self.literally(f"Q4 {BROKEN}", parent=dialog)
        self.literally(f"License {PAYLOAD}", parent=dialog)
        self.key("Escape")
        wait_for(
            lambda: not self.app.findChildren(lambda n: n.showing and n.name == "Context length"),
            message="the details page to close",
        )
        # The list knows the model's capabilities by now: the next /api/show is the page's.
        self.simulator.control("POST", "faults", {"faults": [
            {"on": "show", "kind": "http-500", "message": f"no {PAYLOAD}"},
        ]})
        self.click("button", "Details of tiny:1b", parent=dialog)
        self.literally(f"no {PAYLOAD}", parent=dialog)
        self.assert_no_markup_warnings()

    def test_a_server_error_on_the_status_page_is_text(self):
        # With a model to list, the library would show instead of the status page.
        self.simulator.control("POST", "installed", {"models": []})
        self.simulator.control("POST", "faults", {"faults": [
            {"on": "version", "kind": "http-500", "message": f"down {BROKEN} {PAYLOAD}"},
        ]})
        self.start_logged_app()
        self.literally(f"Can’t Reach {self.connection_name}")
        self.literally(f"down {BROKEN} {PAYLOAD}")
        self.assert_no_markup_warnings()

    def test_a_failed_pull_shows_the_servers_message_as_text(self):
        self.simulator.control("POST", "registry", {"models": [{"name": "tiny:1b", "layers": [{"size": 1000}]}]})
        self.simulator.control("POST", "installed", {"models": []})
        # The registry refuses the model with a hostile message: the pull fails at once.
        self.simulator.control("POST", "faults", {"faults": [
            {"on": "pull", "kind": "http-status", "status": 400, "message": f"refused {BROKEN} {PAYLOAD}"},
        ]})
        self.start_logged_app()
        self.text_shown("Connected to")
        pull = subprocess.Popen(
            [str(PREFIX / "bin" / "paddock"), "pull", "tiny:1b"],
            env=self.app_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(pull.kill)
        self.key("<Control>comma")
        dialog = self.find("dialog", "Preferences")
        self.literally(f"refused {BROKEN} {PAYLOAD}", parent=dialog)
        self.assert_no_markup_warnings()

    def test_add_model_shows_the_catalog_as_text(self):
        path = self.home / "catalog.json"
        path.write_text(json.dumps(CATALOG))
        catalog = CatalogServer(path)
        self.addCleanup(catalog.stop)
        self.start_logged_app(PADDOCK_CATALOG_URL=catalog.url)
        self.text_shown("Connected to")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.find("text", "Model", parent=dialog)
        self.type_text("evil")
        self.literally(f"Hostile {PAYLOAD}", parent=dialog)
        self.key("Down")
        self.key("Return")
        self.text_shown("evil:latest")
        # The picked model's description, and its size with the catalog's input text.
        self.literally(f"Hostile {PAYLOAD}", parent=dialog)
        self.literally(f"Text {PAYLOAD}", parent=dialog)
        self.assert_no_markup_warnings()

    def test_add_model_shows_why_the_catalog_is_old_as_text_and_can_refresh_it(self):
        server = CatalogServer(body=json.dumps(CATALOG).encode(), failures=1,
                               failure_reason=f"Bad {PAYLOAD}")
        self.addCleanup(server.stop)
        self.start_logged_app(PADDOCK_CATALOG_URL=server.url)
        self.text_shown("Connected to")
        # The app reads the catalog once it is idle: that first download fails.
        wait_for(lambda: server.requests >= 1, message="the catalog to be asked for")
        self.key("<Control>n")
        dialog = self.find("dialog", "Add Model")
        self.literally(f"Bad {PAYLOAD}", parent=dialog)
        self.literally("Showing the list that came with Paddock.", parent=dialog)
        # It just failed: opening the dialog does not try again at once, Refresh does.
        time.sleep(1)
        self.assertEqual(server.requests, 1)
        self.click("button", "Refresh", parent=dialog)
        wait_for(lambda: server.requests == 2, message="the catalog to be asked for again")
        wait_for(
            lambda: not any(
                n.showing for n in dialog.findChildren(lambda n: "Bad " in (n.name or ""))
            ),
            message="the problem to go away",
        )
        wait_for(
            lambda: not dialog.findChildren(
                lambda n: n.roleName == "button" and n.name == "Refresh" and n.showing
            ),
            message="Refresh to go away once the list is fresh",
        )
        self.find("text", "Model", parent=dialog).click()
        self.type_text("evil")
        self.literally(f"Hostile {PAYLOAD}", parent=dialog)
        self.assert_no_markup_warnings()
