"""The German translation end to end: with a German locale the window, Preferences and
the Add Model dialog speak German (po/de.po, installed as a .mo with the app)."""

from harness import AppTestCase

GERMAN = {
    "LANGUAGE": "de",
    "LANG": "de_DE.UTF-8",
    # Empty counts as unset, so a C locale of the caller does not win over LANG.
    "LC_ALL": "",
    "LC_MESSAGES": "",
}


class GermanTest(AppTestCase):
    def test_window_preferences_and_add_model_are_german(self):
        self.start_app(**GERMAN)

        # The main window: the server's status and the next steps.
        self.text_shown("Verbunden mit")
        self.text_shown("Modelle installiert")
        self.find("button", "Ein Modell hinzufügen")
        self.find("button", "Verbindungen verwalten")
        self.screenshot("german-window", docs=True)

        # Preferences: the installed models, and the pages by their German names.
        self.key("<Control>comma")
        self.text_shown("Installierte Modelle")
        self.text_shown("llama3.2:3b")
        self.find("page tab", "Modelle")
        self.find("page tab", "Verbindungen")
        self.find(None, "Installierte Modelle durchsuchen")
        self.screenshot("german-preferences", docs=True)
        self.key("Escape")

        # Add Model: its title, rows and button.
        self.key("<Control>n")
        dialog = self.find("dialog", "Modell hinzufügen")
        self.find("text", "Modell", parent=dialog)
        self.find("button", "Download starten", parent=dialog)
        self.text_shown("Server")
        self.screenshot("german-add-model", docs=True)
