#!/usr/bin/env python3
"""Runs the integration tests (tests/integration/test_*.py) against a built
pipcanary and the local fixture index.

    run.py --binary build/pipcanary [--smoke] [-k PATTERN]

It builds the fixture index if needed (tests/fixtures/build_index.py), starts
the fixture server on 127.0.0.1 (port 0) for the whole run, exports
PIPCANARY_BIN, PIPCANARY_INDEX_URL (the simple index), PIPCANARY_API_URL
(the JSON API base) and PIPCANARY_INDEX_DIR to the tests, and ends with one
line "integration: N passed, N failed, N skipped". --smoke runs only the
tests whose class or module sets SMOKE = True (the sanitizer build runs
those).
"""
import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import harness  # noqa: E402


def smoke_only(suite):
    out = unittest.TestSuite()
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            out.addTests(smoke_only(t))
        elif getattr(t, "SMOKE", False):
            out.addTest(t)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("-k", dest="pattern", action="append")
    args = ap.parse_args()
    os.environ["PIPCANARY_BIN"] = os.path.abspath(os.path.join(ROOT, args.binary))
    if args.smoke:
        os.environ["PIPCANARY_SMOKE"] = "1"
    loader = unittest.TestLoader()
    if args.pattern:
        loader.testNamePatterns = ["*%s*" % p for p in args.pattern]
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    if args.smoke:
        suite = smoke_only(suite)
    with harness.fixture_server():
        result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print("integration: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
