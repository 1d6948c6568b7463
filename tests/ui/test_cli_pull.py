"""paddock pull, list and rm: headless, and through a running window."""

import re
import signal
import subprocess
import threading
import time

from harness import PREFIX, AppTestCase, wait_for

MODEL = "tiny:1b"
CONFIG_LAYER = "application/vnd.docker.container.image.v1+json"
PROGRESS = re.compile(rf"^pulling {re.escape(MODEL)}: \d+% · ")
# A crawl that only ends when the test speeds it up, and the speed-up.
SLOW = {"tickMs": 100, "bytesPerTick": 100_000}
FAST = {"tickMs": 5, "bytesPerTick": 50_000_000}


class RunningCommand:
    """`paddock ARGS` in the background, its output collected line by line as it comes."""

    def __init__(self, test, *args, **env):
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(PREFIX / "bin" / "paddock"), *args],
            env=test.app_environment(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        test.addCleanup(self.kill)
        self.stdout = []
        self.stderr = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line)

    def wait_for_line(self, pattern, timeout=30.0):
        return wait_for(
            lambda: next((line for line in self.stdout if pattern.search(line)), None),
            timeout=timeout,
            message=f"a line matching {pattern.pattern!r} in {self.stdout}",
        )

    def finish(self, timeout=30.0):
        self.process.wait(timeout=timeout)
        for reader in self.readers:
            reader.join(timeout=5)
        return self.process.returncode

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class CommandLinePullTest(AppTestCase):
    def setUp(self):
        super().setUp()
        # A small model: 30 MB of weights and a config blob.
        self.simulator.control("POST", "registry", {"models": [{
            "name": MODEL,
            "layers": [{"size": 30_000_000}, {"size": 400, "mediaType": CONFIG_LAYER}],
        }]})

    def pulls_seen(self):
        return [r for r in self.simulator.requests() if r["path"] == "/api/pull"]

    def installed(self):
        return self.simulator.control("GET", "state")["installed"]

    def start_slow_pull(self, **env):
        """A pull that crawls until the test lets it finish; returns once it shows a percentage."""
        self.simulator.control("POST", "config", SLOW)
        command = RunningCommand(self, "pull", MODEL, **env)
        command.wait_for_line(PROGRESS)
        return command

    def test_pull_runs_headless_with_progress_lines_and_installs_the_model(self):
        command = self.start_slow_pull(DISPLAY="", WAYLAND_DISPLAY="")
        # Throttled by the pull manager: at most one progress line every 2 s, and the first.
        wait_for(lambda: len([l for l in command.stdout if PROGRESS.search(l)]) >= 2,
                 timeout=30, message="a second progress line")
        elapsed = time.monotonic() - command.started
        progress = [line for line in command.stdout if line.startswith(f"pulling {MODEL}: ")]
        self.assertLessEqual(len(progress), elapsed / 2 + 2, progress)
        self.simulator.control("POST", "config", FAST)

        self.assertEqual(command.finish(), 0, "".join(command.stderr))
        self.assertEqual(command.stdout[0], f"pulling {MODEL} on Local Ollama ({self.simulator.url})\n")
        self.assertEqual(command.stdout[-1], f"pulled {MODEL}\n")
        # Plain lines for logs: no carriage returns or escape codes.
        self.assertFalse(any("\r" in line or "\x1b" in line for line in command.stdout))
        self.assertIn(MODEL, self.installed())
        self.assertEqual(len(self.pulls_seen()), 1)
        # Nothing is left for the next start to resume.
        loading = self.data_home / "paddock" / "loading.json"
        self.assertNotIn(MODEL, loading.read_text() if loading.exists() else "")

    def test_pull_of_an_unknown_model_fails_with_one_error_line(self):
        result = self.run_cli("pull", "no-such-model:7b")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertRegex(result.stderr, r"^error: .*no model with this name")
        self.assertNotIn("no-such-model:7b", self.installed())

    def test_invalid_name_fails_without_asking_the_server(self):
        result = self.run_cli("pull", "bad:")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, "error: “bad:” is not a valid model name: the tag after “:” is empty.\n")
        self.assertEqual(self.simulator.requests(), [])

    def test_cloud_tags_are_refused(self):
        result = self.run_cli("pull", "qwen3-coder:480b-cloud")
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, r"^error: .*runs on ollama\.com")
        self.assertEqual(self.pulls_seen(), [])

    def test_ctrl_c_cancels_a_headless_pull(self):
        command = self.start_slow_pull()
        command.process.send_signal(signal.SIGINT)
        self.assertEqual(command.finish(), 1)
        self.assertEqual(
            command.stderr,
            [f"error: cancelled the pull of {MODEL}; Ollama keeps what it downloaded for the next pull\n"],
        )
        # The stream was closed, so the server stopped downloading.
        self.assertEqual(self.simulator.control("GET", "state?activePulls=0")["activePulls"], 0)
        self.assertNotIn(MODEL, self.installed())
        loading = self.data_home / "paddock" / "loading.json"
        self.assertNotIn(MODEL, loading.read_text() if loading.exists() else "")

    def test_list_shows_the_installed_models_in_columns(self):
        result = self.run_cli("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "SIZE", "PARAMETERS", "QUANTIZATION", "MODIFIED"])
        names = [line.split()[0] for line in lines[1:]]
        self.assertEqual(sorted(names), sorted(self.installed()))
        self.assertIn("llama3.2:3b", names)
        # Every column starts where its heading does.
        for heading in ("SIZE", "PARAMETERS", "QUANTIZATION", "MODIFIED"):
            column = lines[0].index(heading)
            for line in lines[1:]:
                self.assertNotEqual(line[column], " ", (heading, line))
                self.assertEqual(line[column - 1], " ", (heading, line))
        llama = next(line for line in lines if line.startswith("llama3.2:3b "))
        cells = re.split(r" {2,}", llama)
        self.assertEqual(cells[1:4], ["2.0\u00a0GB", "3.2B", "Q4_K_M"])
        self.assertTrue(cells[4].endswith("ago") or cells[4] in ("today", "yesterday"), cells)

    def test_list_picks_a_connection_by_address_or_name(self):
        by_address = self.run_cli("list", "--connection", self.simulator.url + "/")
        self.assertEqual(by_address.returncode, 0, by_address.stderr)
        self.assertIn("qwen3:8b", by_address.stdout)
        by_name = self.run_cli("list", "--connection=local ollama")
        self.assertEqual(by_name.returncode, 0, by_name.stderr)
        unsaved = self.run_cli("list", "--connection", "http://127.0.0.1:9")
        self.assertEqual(unsaved.returncode, 1)
        self.assertEqual(
            unsaved.stderr,
            "error: no connection with the address http://127.0.0.1:9 — add it in Preferences → Connections\n",
        )

    def test_rm_removes_a_model_and_fails_for_a_missing_one(self):
        result = self.run_cli("rm", "gemma3:4b")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "removed gemma3:4b\n")
        self.assertNotIn("gemma3:4b", self.installed())
        again = self.run_cli("rm", "gemma3:4b")
        self.assertEqual(again.returncode, 1)
        self.assertEqual(len(again.stderr.splitlines()), 1, again.stderr)
        self.assertTrue(again.stderr.startswith("error: model 'gemma3:4b' not found"), again.stderr)

    def test_usage_mistakes_exit_2(self):
        for args, text in [
            (("pull",), "pull needs the name of a model"),
            (("rm", "a", "b"), "one name at a time"),
            (("list", "--verbose"), "unknown option “--verbose”"),
        ]:
            result = self.run_cli(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn(text, result.stderr)
        asked = self.run_cli("pull", "--help")
        self.assertEqual((asked.returncode, asked.stdout),
                         (0, "Usage: paddock pull NAME [--force] [--connection NAME|URL]\n"))
        self.assertEqual(self.simulator.requests(), [])

    def test_pull_joins_the_running_window_and_shows_in_its_banner(self):
        self.start_app()
        self.text_shown("Connected to")
        command = self.start_slow_pull()
        # The window's own pull manager runs it: its banner says so.
        self.text_shown(f"Downloading {MODEL}")
        # Asking again joins that pull rather than starting another.
        second = RunningCommand(self, "pull", MODEL)
        second.wait_for_line(re.compile(rf"^joining the pull of {re.escape(MODEL)} already under way"))
        self.simulator.control("POST", "config", FAST)
        for each in (command, second):
            self.assertEqual(each.finish(), 0, "".join(each.stderr))
            self.assertEqual(each.stdout[-1], f"pulled {MODEL}\n")
        self.assertEqual(len(self.pulls_seen()), 1)
        self.assertIn(MODEL, self.installed())
        # list and rm go through the window too.
        listed = self.run_cli("list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertTrue(any(line.startswith(f"{MODEL} ") for line in listed.stdout.splitlines()))
        removed = self.run_cli("rm", MODEL)
        self.assertEqual((removed.returncode, removed.stdout), (0, f"removed {MODEL}\n"), removed.stderr)
        self.assertNotIn(MODEL, self.installed())
        self.assertIsNone(self.app_process.poll(), "the window must stay open")

    def test_the_window_keeps_the_pull_when_the_terminal_goes_away(self):
        self.start_app()
        self.text_shown("Connected to")
        command = self.start_slow_pull()
        command.process.send_signal(signal.SIGINT)
        self.assertNotEqual(command.finish(), 0)
        self.text_shown(f"Downloading {MODEL}")
        self.simulator.control("POST", "config", FAST)
        wait_for(lambda: MODEL in self.installed(), timeout=30, message="the window to finish the pull")
        self.assertEqual(len(self.pulls_seen()), 1)


class SingleOwnerTest(AppTestCase):
    """One process runs the pulls of a user: a window, or one `paddock pull`; never two."""

    def setUp(self):
        super().setUp()
        self.simulator.control("POST", "registry", {"models": [{
            "name": MODEL,
            "layers": [{"size": 30_000_000}, {"size": 400, "mediaType": CONFIG_LAYER}],
        }]})
        self.simulator.control("POST", "config", SLOW)

    def peak_streams(self):
        return self.simulator.control("GET", "state")["peakPullsPerModel"].get(MODEL, 0)

    def installed(self):
        return self.simulator.control("GET", "state")["installed"]

    def finish_fast_and_check(self, *commands):
        self.simulator.control("POST", "config", FAST)
        for command in commands:
            self.assertEqual(command.finish(), 0, "".join(command.stdout + command.stderr))
            self.assertEqual(command.stdout[-1], f"pulled {MODEL}\n")
        self.assertIn(MODEL, self.installed())
        self.assertEqual(self.peak_streams(), 1, "two processes pulled the model at once")

    def test_a_window_takes_over_a_headless_pull_and_the_command_reports_its_end(self):
        headless = RunningCommand(self, "pull", MODEL, DISPLAY="")
        headless.wait_for_line(PROGRESS)
        self.start_app()
        # The window now runs the pull: its banner shows it, and the command follows it there.
        self.text_shown(f"Downloading {MODEL}", timeout=20)
        headless.wait_for_line(re.compile(rf"^joining the pull of {re.escape(MODEL)} already under way"))
        self.finish_fast_and_check(headless)
        self.assertIsNone(self.app_process.poll(), "the window must stay open")

    def test_a_second_headless_pull_joins_the_first(self):
        first = RunningCommand(self, "pull", MODEL, DISPLAY="")
        first.wait_for_line(PROGRESS)
        second = RunningCommand(self, "pull", MODEL, DISPLAY="")
        second.wait_for_line(re.compile(rf"^joining the pull of {re.escape(MODEL)} already under way"))
        self.finish_fast_and_check(first, second)

    def test_when_the_owner_is_killed_the_follower_finishes_the_pull(self):
        owner = RunningCommand(self, "pull", MODEL, DISPLAY="")
        owner.wait_for_line(PROGRESS)
        follower = RunningCommand(self, "pull", MODEL, DISPLAY="")
        follower.wait_for_line(re.compile(rf"^joining the pull of {re.escape(MODEL)}"))
        owner.kill()
        # The follower becomes the owner, resumes loading.json, and reports the real outcome.
        wait_for(lambda: len([l for l in follower.stdout if l.startswith("joining")]) >= 2
                 or any(l.startswith(f"pulling {MODEL} on ") for l in follower.stdout),
                 timeout=20, message=f"the follower to run the pull itself: {follower.stdout}")
        self.simulator.control("POST", "config", FAST)
        self.assertEqual(follower.finish(), 0, "".join(follower.stdout + follower.stderr))
        self.assertEqual(follower.stdout[-1], f"pulled {MODEL}\n")
        self.assertIn(MODEL, self.installed())

    def test_quitting_the_window_hands_a_forwarded_pull_back_to_the_command(self):
        self.start_app()
        self.text_shown("Connected to")
        command = RunningCommand(self, "pull", MODEL)
        command.wait_for_line(PROGRESS)
        self.text_shown(f"Downloading {MODEL}")
        self.key("<Control>q")
        self.app_process.wait(timeout=15)
        # The command runs the pull itself now, and ends with the pull.
        self.finish_fast_and_check(command)
        loading = self.data_home / "paddock" / "loading.json"
        self.assertNotIn(MODEL, loading.read_text() if loading.exists() else "")

    def test_without_a_session_bus_the_command_still_goes_to_the_window(self):
        self.start_app()
        self.text_shown("Connected to")
        command = RunningCommand(self, "pull", MODEL, DBUS_SESSION_BUS_ADDRESS="", DISPLAY="")
        command.wait_for_line(PROGRESS)
        self.text_shown(f"Downloading {MODEL}")
        self.finish_fast_and_check(command)
