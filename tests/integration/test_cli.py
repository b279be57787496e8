"""The command line: --help, --version, bad command lines (exit 64)."""
import os
import re
import tempfile
import unittest

import harness


class TestCommandLine(unittest.TestCase):
    SMOKE = True

    def test_version(self):
        r = harness.run(["--version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^pipcanary \d+\.\d+\.\d+\n$")

    def test_help_lists_every_option(self):
        r = harness.run(["--help"])
        self.assertEqual(r.returncode, 0)
        for opt in ["-r,", "--extra", "--all-extras", "--group", "--print-requirements",
                    "--index-url", "--extra-index-url", "--api-url", "--python",
                    "--rules", "--stop-at", "--timeout", "--keep-trace", "--no-audit",
                    "--no-scan", "--ignore-vuln", "--jobs", "--cool-down", "--now",
                    "--allow-upload-time", "-l,", "--lock-hashes", "--lock-on-warnings",
                    "--format", "-o,", "-q,", "-v,", "--config", "--version"]:
            self.assertIn(opt, r.stdout, opt)
        for code in ["0 ", "1 ", "2 ", "64", "69", "70"]:
            self.assertRegex(r.stdout, r"\n  %s" % re.escape(code))

    def assert_usage_error(self, args, needle):
        r = harness.run(args)
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(needle, lines[0])

    def test_unknown_option(self):
        self.assert_usage_error(["--bogus"], "unknown option '--bogus'")

    def test_missing_file(self):
        self.assert_usage_error(["-r", "/nonexistent/req.txt"], "No such file")

    def test_directory(self):
        with tempfile.TemporaryDirectory() as d:
            self.assert_usage_error(["-r", d], "is a directory")

    def test_no_input(self):
        self.assert_usage_error([], "no input")

    def test_bad_values(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            self.assert_usage_error(["-r", f.name, "--jobs", "0"], "--jobs")
            self.assert_usage_error(["-r", f.name, "--stop-at", "loud"], "--stop-at")
            self.assert_usage_error(["-r", f.name, "--format", "xml"], "--format")
            self.assert_usage_error(["-r", f.name, "--now", "yesterday"], "--now")
            self.assert_usage_error(["-r", f.name, "--allow-upload-time", "Flask"],
                                    "NAME<=TIMESTAMP")
            self.assert_usage_error(["-r", f.name, "--allow-upload-time",
                                     "Flask<=2025-13-01"], "timestamp")
            self.assert_usage_error(["-r", f.name, "--cool-down"], "needs a value")


if __name__ == "__main__":
    unittest.main()
