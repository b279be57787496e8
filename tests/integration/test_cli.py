"""The command line: --help, --version, bad command lines (exit 64)."""
import os
import re
import subprocess
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

    def test_man_page_matches_help(self):
        """Every long option of --help is in the man page and vice versa."""
        r = harness.run(["--help"])
        help_opts = set(re.findall(r"^ +(?:-[a-z], )?(--[a-z][a-z-]+)", r.stdout, re.M))
        with open(os.path.join(harness.ROOT, "docs", "pipcanary.1")) as f:
            man = f.read().replace("\\-", "-")
        man_opts = set(re.findall(r"^\.(?:TP\n)?\.B[IR]? +(--[a-z][a-z-]+)", man, re.M))
        man_opts |= set(re.findall(r'^\.BR +-[a-z] +", " +(--[a-z][a-z-]+)', man, re.M))
        self.assertTrue(man_opts, "no options found in the man page")
        self.assertEqual(help_opts - {"--help"}, man_opts - {"--help"})

    def test_make_install(self):
        """make install puts the binary, rules, probe and man page in place."""
        if harness.smoke():
            self.skipTest("runs once, in the plain build")
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["make", "--no-print-directory", "-C", harness.ROOT,
                            "install", "PREFIX=/opt/pc", "DESTDIR=" + d],
                           check=True, capture_output=True)
            for rel in ["bin/pipcanary", "share/pipcanary/rules/default.rules",
                        "share/man/man1/pipcanary.1"]:
                self.assertTrue(os.path.exists(os.path.join(d, "opt/pc", rel)), rel)
            probes = os.listdir(os.path.join(d, "opt/pc/share/pipcanary/probe"))
            self.assertTrue(any(p.endswith(".py") for p in probes), probes)

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

    def test_outputs_checked_before_anything_runs(self):
        with tempfile.TemporaryDirectory() as d:
            req = os.path.join(d, "requirements.txt")
            with open(req, "w") as f:
                f.write("evil-ssh-import\n")
            # -o onto the input would erase it before it is read.
            self.assert_usage_error(["-r", req, "-o", req], "is the same file as -r")
            with open(req) as f:
                self.assertEqual(f.read(), "evil-ssh-import\n")
            self.assert_usage_error(["-r", req, "-l", "/dev/null"],
                                    "is not a regular file")
            link = os.path.join(d, "link")
            os.symlink("/dev/null", link)
            self.assert_usage_error(["-r", req, "--keep-trace", link],
                                    "is not a regular file")
            out = os.path.join(d, "out")
            self.assert_usage_error(["-r", req, "-o", out, "-l", out],
                                    "-o and -l name the same file")
            self.assert_usage_error(["-r", req, "-l", os.path.join(d, "no", "x")],
                                    "cannot write in")
            fifo = os.path.join(d, "fifo")
            os.mkfifo(fifo)
            self.assert_usage_error(["-r", fifo], "is not a regular file")
            self.assert_usage_error(["-r", req, "--config", "/dev/zero"],
                                    "is not a regular file")
            self.assert_usage_error(["-r", req, "--api-url", "ftp://x/pypi"],
                                    "is not an http:// or https:// URL")
            self.assert_usage_error(["-r", req, "--index-url", "not a url"],
                                    "is not an http:// or https:// URL")

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
