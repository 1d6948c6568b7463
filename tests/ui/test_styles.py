"""Dark style and high contrast: the app follows them (screenshots for the docs and
AppStream, and what they show is checked)."""

import subprocess

from harness import AppTestCase

STYLE_MANAGER = """
imports.gi.versions.Adw = '1';
const Adw = imports.gi.Adw;
Adw.init();
const style = Adw.StyleManager.get_default();
print(`${style.dark} ${style.high_contrast}`);
"""


def pixel(path, x, y):
    """The colour of one pixel of a PNG, as (r, g, b)."""
    text = subprocess.run(
        ["convert", str(path), "-format", f"%[fx:int(255*p{{{x},{y}}}.r)] "
         f"%[fx:int(255*p{{{x},{y}}}.g)] %[fx:int(255*p{{{x},{y}}}.b)]", "info:"],
        capture_output=True, text=True, check=True,
    ).stdout
    return tuple(int(value) for value in text.split())


def differing_pixels(a, b):
    result = subprocess.run(["compare", "-metric", "AE", str(a), str(b), "null:"],
                            capture_output=True, text=True)
    return int(float(result.stderr.split()[0]))


class StylesTest(AppTestCase):
    def style_manager_state(self, **env):
        """What libadwaita's style manager says in the app's environment: (dark, high contrast)."""
        output = subprocess.run(["gjs", "-c", STYLE_MANAGER], env=self.app_environment(**env),
                                capture_output=True, text=True, check=True).stdout.split()
        return tuple(value == "true" for value in output)

    def shoot_window_and_preferences(self, prefix, **env):
        self.start_app(**env)
        self.text_shown("Connected to")
        window = self.screenshot(f"{prefix}-window", docs=True)
        self.key("<Control>comma")
        self.text_shown("llama3.2:3b")
        self.screenshot(f"{prefix}-preferences", docs=True)
        return window

    def window_background(self, shot):
        # Inside the window, below the header bar: the details' side, away from its
        # centred placeholder (the list's side has cards).
        return pixel(shot, 870, 600)

    def test_dark_style(self):
        self.assertEqual(self.style_manager_state(ADW_DEBUG_COLOR_SCHEME="prefer-dark"), (True, False))
        shot = self.shoot_window_and_preferences("dark", ADW_DEBUG_COLOR_SCHEME="prefer-dark")
        background = self.window_background(shot)
        self.assertLess(max(background), 60, f"a dark window background, not {background}")

    def test_high_contrast(self):
        self.assertEqual(self.style_manager_state(ADW_DEBUG_HIGH_CONTRAST="1"), (False, True))
        self.start_app()
        self.text_shown("Connected to")
        plain = self.screenshot("plain-window")
        self.app_process.terminate()
        self.app_process.wait(timeout=10)

        shot = self.shoot_window_and_preferences("high-contrast", ADW_DEBUG_HIGH_CONTRAST="1")
        background = self.window_background(shot)
        self.assertGreater(min(background), 200, f"a light window background, not {background}")
        # High contrast draws outlines the plain style leaves out (buttons, entries).
        self.assertGreater(differing_pixels(plain, shot), 500)
