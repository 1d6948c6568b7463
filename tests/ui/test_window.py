"""The main window and Preferences, against the simulator's demo server."""

from harness import AppTestCase, wait_for


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
