"""Runs the UI specs (tests/ui/test_*.py) and ends with "N passed, N failed, N skipped"."""

import argparse
import sys
import unittest
from pathlib import Path


def quiet_atspi_cache_warnings():
    """libatspi warns on every app start that the app has no AT-SPI cache object (GTK 4
    has none); it is harmless and drowns the test output."""
    from gi.repository import GLib

    GLib.log_set_handler("dbind", GLib.LogLevelFlags.LEVEL_WARNING, lambda *args: None)


def main() -> int:
    quiet_atspi_cache_warnings()
    parser = argparse.ArgumentParser()
    parser.add_argument("--filter", help="run only tests whose id contains this text")
    args = parser.parse_args()

    here = Path(__file__).parent
    sys.path.insert(0, str(here))
    suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py")

    def flatten(tests):
        for test in tests:
            if isinstance(test, unittest.TestSuite):
                yield from flatten(test)
            else:
                yield test

    tests = [t for t in flatten(suite) if not args.filter or args.filter in t.id()]
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
    result = runner.run(unittest.TestSuite(tests))
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
