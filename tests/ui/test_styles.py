"""Dark style and high contrast: the app follows them (screenshots for the docs and
AppStream)."""

from harness import AppTestCase


class StylesTest(AppTestCase):
    def shoot_window_and_preferences(self, prefix, **env):
        self.start_app(**env)
        self.text_shown("Connected to")
        self.screenshot(f"{prefix}-window", docs=True)
        self.key("<Control>comma")
        self.text_shown("llama3.2:3b")
        self.screenshot(f"{prefix}-preferences", docs=True)

    def test_dark_style(self):
        self.shoot_window_and_preferences("dark", ADW_DEBUG_COLOR_SCHEME="prefer-dark")

    def test_high_contrast(self):
        self.shoot_window_and_preferences("high-contrast", ADW_DEBUG_HIGH_CONTRAST="1")
