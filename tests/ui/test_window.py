"""The main window and Preferences, against the simulator's demo server."""

import subprocess
import time

from harness import PREFIX, AppTestCase, wait_for


class WindowTest(AppTestCase):
    def test_version_option(self):
        result = self.run_cli("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout.strip(), r"^Paddock \d+\.\d+\.\d+$")

    def test_window_reports_the_default_server(self):
        self.start_app()
        self.text_shown("Connected to")
        self.text_shown("models installed", timeout=10)
        # The onboarding offers the next steps, as buttons with names.
        self.find("button", "Add a Model")
        self.find("button", "Manage Connections")
        self.screenshot("window", docs=True)

    def test_preferences_has_models_and_connections(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>comma")
        self.text_shown("Installed Models")
        self.text_shown("llama3.2:3b")
        self.screenshot("preferences-models", docs=True)
        # Switching pages as a person would: the view switcher's Connections tab.
        self.click("page tab", "Connections")
        self.text_shown("Ollama Servers")
        self.text_shown(self.simulator.url)

    def test_unreachable_server_says_why_and_offers_retry(self):
        self.simulator.stop()
        self.start_app()
        self.text_shown("Can’t Reach")
        self.text_shown("refused")
        self.find("button", "Try Again")

    def test_a_closed_window_no_longer_follows_the_connections(self):
        # A pull that crawls keeps the app running once its window is closed.
        self.simulator.control("POST", "registry", {"models": [{"name": "tiny:1b", "layers": [{"size": 500_000_000}]}]})
        self.simulator.control("POST", "config", {"tickMs": 100, "bytesPerTick": 10_000})
        self.start_app()
        self.text_shown("Connected to")
        pull = subprocess.Popen(
            [str(PREFIX / "bin" / "paddock"), "pull", "tiny:1b"],
            env=self.app_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(pull.kill)
        self.text_shown("Downloading tiny:1b")
        self.key("<Control>w")
        wait_for(lambda: not self.find_all("frame"), message="the window to close")
        self.assertIsNone(self.app_process.poll(), "the app must keep running for its pull")

        # A new window, in which the connections change: only that window checks the
        # default server again, not the closed one.
        subprocess.run([str(PREFIX / "bin" / "paddock")], env=self.app_environment(), timeout=30)
        self.text_shown("Connected to")
        self.key("<Control>comma")
        self.click("page tab", "Connections")
        self.click("button", "Add Connection")
        dialog = self.find("dialog", "Add Connection")
        entry = self.find("text", "Server Address", parent=dialog)
        entry.click()
        self.key("<Control>a")
        self.type_text("http://127.0.0.1:9")
        checks = len(self.version_requests())
        self.click("button", "Add", parent=dialog)
        self.find("button", "Test Connection to 127.0.0.1")
        wait_for(lambda: len(self.version_requests()) > checks, message="the window to check again")
        time.sleep(1.5)
        self.assertEqual(len(self.version_requests()), checks + 1)

    def version_requests(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/version"]

class MenuTest(AppTestCase):
    def test_primary_menu_by_keyboard_reaches_about(self):
        self.start_app()
        self.text_shown("Connected to")
        # F10 opens the primary menu; the last item is About.
        self.key("F10")
        self.find("menu", "Main Menu")
        self.key("Up")
        self.key("Return")
        self.text_shown("The Paddock developers")
        self.text_shown("0.1.0")

    def test_keyboard_shortcuts_window_lists_the_shortcuts(self):
        self.start_app()
        self.text_shown("Connected to")
        # The second item of the primary menu.
        self.key("F10")
        self.find("menu", "Main Menu")
        self.key("Down")
        self.key("Return")
        self.text_shown("Shortcuts")
        for title in ("Keyboard Shortcuts", "Close Window", "Quit"):
            self.text_shown(title)

    def test_quit_shortcut_ends_the_app(self):
        self.start_app()
        self.text_shown("Connected to")
        self.key("<Control>q")
        self.assertEqual(self.app_process.wait(timeout=10), 0)
