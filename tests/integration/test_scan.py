"""The dynamic scan end to end (issue 5) on the fixture index:

- every malicious fixture package (meta.json kind "malicious" with a rule id)
  is caught with the right package, phase and rule, exit 2;
- the real packages (setuptools, pip, wheel, Jinja2 + MarkupSafe from
  sdists) pass with no finding;
- time limits are reported as limits, with the package;
- nothing is left in $TMPDIR after any run, including SIGINT/SIGTERM;
- missing bwrap, strace or python: one line, exit 69.

Each run gets its own TMPDIR so "nothing left" is exact.
"""
import concurrent.futures
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import harness

# The catalogue's phase for an sdist's setup.py is "install"; the monitor
# names the finding's phase "build" when it happens while building it.
PHASES = {"install": {"install", "build"}, "import": {"import"},
          "startup": {"startup", "import"}}


def meta():
    with open(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json")) as f:
        return json.load(f)


def have_index():
    return "PIPCANARY_INDEX_URL" in os.environ


class ScanRun:
    """One pipcanary run with its own TMPDIR and requirements file."""

    def __init__(self, requirements, args=(), env=None):
        self.tmp = tempfile.mkdtemp(prefix="pipcanary-test-tmp-")
        self.req = os.path.join(self.tmp, "requirements.txt")
        self.tmpdir = os.path.join(self.tmp, "t")
        os.mkdir(self.tmpdir)
        with open(self.req, "w") as f:
            f.write("".join(r + "\n" for r in requirements))
        self.args = ["-r", self.req, "--index-url", harness.index_url(),
                     "--no-audit"] + list(args)
        self.env = {"TMPDIR": self.tmpdir}
        if env:
            self.env.update(env)

    def run(self, timeout=900):
        return harness.run(self.args, timeout=timeout, env=self.env)

    def left_behind(self):
        return sorted(os.listdir(self.tmpdir))

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class IndexTest(unittest.TestCase):
    """Needs the fixture index (the harness exports its URLs at run time)."""

    def setUp(self):
        if not have_index():
            self.skipTest("no fixture index")


def scan_json(requirements, args=()):
    s = ScanRun(requirements, ["--format", "json"] + list(args))
    try:
        r = s.run()
        left = s.left_behind()
    finally:
        s.close()
    doc = json.loads(r.stdout) if r.stdout.strip() else None
    return r, doc, left


class TestMaliciousPackages(IndexTest):
    def test_every_malicious_package_is_caught(self):
        m = meta()
        cases = sorted((name, p) for name, p in m["packages"].items()
                       if p["kind"] == "malicious" and not p["rule"].startswith("("))
        self.assertGreaterEqual(len(cases), 40)

        def one(case):
            name, p = case
            return name, p, scan_json([name])

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
            results = list(ex.map(one, cases))
        for name, p, (r, doc, left) in results:
            with self.subTest(package=name):
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(left, [], "left in TMPDIR")
                scan = doc["scan"]
                self.assertTrue(scan["stopped"])
                self.assertEqual(len(scan["findings"]), 1, scan["findings"])
                f = scan["findings"][0]
                self.assertEqual(f["package"], name)
                self.assertEqual(f["rule_id"], p["rule"])
                self.assertIn(f["phase"], PHASES[p["phase"]])

    def test_text_report_names_the_package(self):
        s = ScanRun(["evil-ssh-import"])
        try:
            r = s.run()
            self.assertEqual(r.returncode, 2, r.stderr)
            home = os.path.expanduser("~").rstrip("/")
            self.assertIn("Found suspicious access to %s/.ssh in package "
                          "evil-ssh-import.\n\nDescription: " % home, r.stdout)
            self.assertIn("Note that PipCanary immediately kills the scanning "
                          "process", r.stdout)
            self.assertEqual(s.left_behind(), [])
        finally:
            s.close()


def need_real(*files):
    """Skips unless the real distribution files are in the index (a fresh
    clone has no ../shared/data/dists)."""
    missing = [f for f in files if f not in meta().get("real", [])]
    if missing:
        raise unittest.SkipTest("real files not on this machine: %s" % ", ".join(missing))


class TestRealPackages(IndexTest):
    def test_brief_safe_example(self):
        # examples/brief-safe.txt: wheels, a namespace package, a console
        # script and an sdist built through pip's build isolation with the
        # setuptools and wheel that the index serves (always available).
        r = harness.run(["-r", os.path.join(harness.ROOT, "examples", "brief-safe.txt"),
                         "--index-url", harness.index_url(), "--api-url", harness.api_url(),
                         "--now", meta()["reference_now"]], timeout=900)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertEqual(r.stdout.splitlines()[0], "All packages appear to be safe!")
        self.assertIn("Auditing 5 packages...", r.stdout)

    def test_real_packages_pass(self):
        need_real("Jinja2-3.1.2.tar.gz", "MarkupSafe-2.1.2.tar.gz")
        r, doc, left = scan_json(["Jinja2==3.1.2", "setuptools", "wheel", "pip"],
                                 ["--timeout", "600"])
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertEqual(left, [])
        scan = doc["scan"]
        self.assertFalse(scan["stopped"])
        self.assertEqual(scan["findings"], [])
        self.assertEqual(scan["notes"], [])
        names = {d["normalised"]: d for d in doc["resolved"]}
        self.assertEqual(set(names), {"jinja2", "markupsafe", "setuptools",
                                      "wheel", "pip"})
        # Jinja2 and MarkupSafe were built from sdists.
        self.assertFalse(names["jinja2"]["is_wheel"])
        self.assertFalse(names["markupsafe"]["is_wheel"])
        self.assertTrue(names["wheel"]["is_wheel"])
        self.assertEqual(names["markupsafe"]["required_by"], ["jinja2"])
        sums = {}
        files = os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "files")
        import hashlib
        for d in doc["resolved"]:
            fn = d["url"].rsplit("/", 1)[1]
            with open(os.path.join(files, fn), "rb") as f:
                sums[d["normalised"]] = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(d["sha256"], sums[d["normalised"]])


class TestScanSmoke(unittest.TestCase):
    SMOKE = True

    def test_pure_wheel_is_safe_and_nothing_stays(self):
        IndexTest.setUp(self)
        s = ScanRun(["pc-pure"])
        try:
            r = s.run()
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("All packages appear to be safe!", r.stdout)
            self.assertEqual(s.left_behind(), [])
        finally:
            s.close()

    def test_pth_at_startup(self):
        IndexTest.setUp(self)
        r, doc, left = scan_json(["evil-pth-startup"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(left, [])
        f = doc["scan"]["findings"][0]
        self.assertEqual(f["rule_id"], "gcp-credentials")
        self.assertIn(f["phase"], {"startup", "import"})
        # The .pth file is named by the distribution that installed it.
        self.assertEqual(f["package"], "evil-pth-startup")

    def test_empty_requirements(self):
        # Set-up and tear-down only: no index needed.
        tmp = tempfile.mkdtemp(prefix="pipcanary-test-tmp-")
        try:
            req = os.path.join(tmp, "r.txt")
            open(req, "w").close()
            tdir = os.path.join(tmp, "t")
            os.mkdir(tdir)
            r = harness.run(["-r", req, "--no-audit"], env={"TMPDIR": tdir})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("All packages appear to be safe!", r.stdout)
            self.assertEqual(os.listdir(tdir), [])
        finally:
            shutil.rmtree(tmp)


class TestLimits(IndexTest):
    def test_import_time_limit(self):
        for name in ("evil-sleeper", "evil-sigterm-ignorer"):
            with self.subTest(package=name):
                r, doc, left = scan_json([name], ["--import-timeout", "3"])
                self.assertEqual(left, [])
                lim = doc["scan"]["limit"]
                self.assertIsNotNone(lim, r.stderr)
                self.assertIn("import phase time limit", lim["what"])
                self.assertEqual(lim["package"], name)
                self.assertEqual(doc["scan"]["findings"], [])

    def test_install_time_limit(self):
        r, doc, left = scan_json(["evil-endless-build"], ["--timeout", "8"])
        self.assertEqual(left, [])
        lim = doc["scan"]["limit"]
        self.assertIsNotNone(lim, r.stderr)
        self.assertIn("install phase time limit", lim["what"])
        self.assertEqual(lim["package"], "evil-endless-build")

    def test_kill_all_does_not_reach_the_scanner(self):
        # It can only see the sandbox's own pid namespace.
        r, doc, left = scan_json(["evil-kill-all"])
        self.assertEqual(left, [])
        self.assertIn(r.returncode, (0, 2), r.stderr)
        self.assertIsNotNone(doc)


def sandbox_processes(marker):
    """Pids whose command line mentions marker (our TMPDIR)."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if marker.encode() in cmd:
            pids.append(int(pid))
    return pids


class TestSignals(IndexTest):
    def interrupt(self, sig):
        s = ScanRun(["evil-sleeper"], ["--import-timeout", "300"])
        try:
            env = dict(os.environ)
            env.update(s.env)
            p = subprocess.Popen([harness.binary()] + s.args, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # Wait until the import of evil-sleeper runs in the sandbox.
            deadline = time.time() + 300
            running = False
            while time.time() < deadline and p.poll() is None:
                for pid in sandbox_processes("--dist"):
                    try:
                        with open("/proc/%d/cmdline" % pid, "rb") as f:
                            if b"evil-sleeper" in f.read():
                                running = True
                    except OSError:
                        pass
                if running:
                    break
                time.sleep(0.2)
            self.assertTrue(running, "the import never started")
            p.send_signal(sig)
            p.communicate(timeout=60)
            self.assertEqual(p.returncode, -sig)
            time.sleep(0.5)
            self.assertEqual(s.left_behind(), [])
            self.assertEqual(sandbox_processes(s.tmpdir), [])
            self.assertEqual([q for q in sandbox_processes("evil-sleeper")
                              if q != p.pid], [])
        finally:
            s.close()

    def test_sigint(self):
        self.interrupt(signal.SIGINT)

    def test_sigterm(self):
        self.interrupt(signal.SIGTERM)

    def test_sigquit(self):
        # Not only the usual three: every catchable signal that would end
        # the process (SIGQUIT, SIGUSR1, SIGALRM, SIGPIPE...) cleans up.
        self.interrupt(signal.SIGQUIT)

    def test_stale_workspace_removed(self):
        s = ScanRun(["pc-pure"])
        try:
            child = subprocess.Popen(["true"])
            child.wait()
            stale = os.path.join(s.tmpdir, "pipcanary-stale1")
            os.makedirs(os.path.join(stale, "venv", "lib"))
            with open(os.path.join(stale, "owner"), "w") as f:
                f.write("%d 1\n" % child.pid)
            r = s.run()
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(s.left_behind(), [])
        finally:
            s.close()


class TestMissingTools(unittest.TestCase):
    SMOKE = True

    def run_with_path(self, tools, args=()):
        tmp = tempfile.mkdtemp(prefix="pipcanary-test-tmp-")
        try:
            bindir = os.path.join(tmp, "bin")
            os.mkdir(bindir)
            for t in tools:
                real = shutil.which(t)
                if real:
                    os.symlink(real, os.path.join(bindir, t))
            os.symlink(os.path.realpath(sys.executable), os.path.join(bindir, "python3"))
            req = os.path.join(tmp, "r.txt")
            with open(req, "w") as f:
                f.write("wheel\n")
            tdir = os.path.join(tmp, "t")
            os.mkdir(tdir)
            r = harness.run(["-r", req, "--no-audit"] + list(args),
                            env={"PATH": bindir, "TMPDIR": tdir})
            return r, os.listdir(tdir)
        finally:
            shutil.rmtree(tmp)

    def assert_one_line_69(self, r, needle):
        self.assertEqual(r.returncode, 69, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(needle, lines[0])

    def test_no_bwrap(self):
        r, left = self.run_with_path(["strace", "prlimit"])
        self.assert_one_line_69(r, "bwrap")
        self.assertEqual(left, [])

    def test_no_strace(self):
        r, left = self.run_with_path(["bwrap", "prlimit"])
        self.assert_one_line_69(r, "strace")
        self.assertEqual(left, [])

    def test_no_python(self):
        r, left = self.run_with_path(["bwrap", "strace", "prlimit"],
                                     ["--python", "/nonexistent/python3"])
        self.assert_one_line_69(r, "/nonexistent/python3")
        self.assertEqual(left, [])


if __name__ == "__main__":
    unittest.main()
