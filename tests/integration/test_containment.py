"""Containment (issue 10): every containment package of the fixture index
(tests/fixtures/malicious.py, rule "(limit: ...)" / "(containment: ...)")
is scanned alone, with its own fresh TMPDIR, and for each:

- the scan ends within the phase limit given plus a margin (set-up,
  install and the kill; the limits are small so each test is short);
- the report names the limit that was hit and the package ("Package X
  reached the import phase process limit (512 processes) and was stopped:
  the scan is incomplete."), exit 1 (incomplete), not a scanner crash;
- no process of the sandbox survives (the process table has no process
  whose command line, environment or mounts mention this run's TMPDIR);
- TMPDIR is empty afterwards;
- pipcanary's own peak memory (VmHWM of its /proc/PID/status, read while it
  runs: wait4's ru_maxrss would include the sandbox's processes, which are
  its descendants) stays under 100 MB, the output flood included.

ptrace and kill-all must be findings or harmless: the tracer outside is not
affected, the scan completes and reports.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import harness

MAX_OWN_RSS_KB = 100 * 1024
# Set-up (venv), the install of one tiny package and the kill: the scan
# ends this long after the phase limit at most.
MARGIN = 45


def have_index():
    return "PIPCANARY_INDEX_URL" in os.environ


def vm_hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def mentions(pid, marker):
    """Whether /proc/PID's command line, environment or mount table names
    marker (a sandbox's mounts name its workspace, under our TMPDIR)."""
    for what in ("cmdline", "environ", "mountinfo"):
        try:
            with open("/proc/%s/%s" % (pid, what), "rb") as f:
                if marker.encode() in f.read():
                    return True
        except OSError:
            pass
    return False


def survivors(marker, exclude=()):
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) not in exclude and int(pid) != os.getpid() \
                and mentions(pid, marker):
            out.append(int(pid))
    return out


class Run:
    """One scan of one package, watched: duration, own peak RSS, exit."""

    def __init__(self, package, args):
        self.tmp = tempfile.mkdtemp(prefix="pipcanary-contain-")
        self.tmpdir = os.path.join(self.tmp, "t")
        os.mkdir(self.tmpdir)
        req = os.path.join(self.tmp, "requirements.txt")
        with open(req, "w") as f:
            f.write(package + "\n")
        self.args = ["-r", req, "--index-url", harness.index_url(), "--no-audit",
                     "--format", "json"] + list(args)

    def run(self, timeout=600):
        env = dict(os.environ, TMPDIR=self.tmpdir)
        t0 = time.monotonic()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = subprocess.Popen([harness.binary()] + self.args, env=env,
                                 stdout=out, stderr=err)
            hwm = 0
            while p.poll() is None:
                v = vm_hwm_kb(p.pid)
                if v:
                    hwm = max(hwm, v)
                if time.monotonic() - t0 > timeout:
                    p.kill()
                time.sleep(0.05)
            self.seconds = time.monotonic() - t0
            self.returncode = p.returncode
            self.own_rss_kb = hwm
            out.seek(0)
            err.seek(0)
            self.stdout = out.read().decode("utf-8", "replace")
            self.stderr = err.read().decode("utf-8", "replace")
        # The sandbox is gone when pipcanary returns; give the kernel a
        # moment to reap what was killed.
        time.sleep(0.5)
        self.left = sorted(os.listdir(self.tmpdir))
        self.survivors = survivors(self.tmp)
        self.doc = json.loads(self.stdout) if self.stdout.strip() else None
        return self

    def close(self):
        for pid in survivors(self.tmp):  # never leave them running
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


class ContainmentTest(unittest.TestCase):
    def setUp(self):
        if not have_index():
            self.skipTest("no fixture index")

    def scan(self, package, args):
        r = Run(package, args)
        self.addCleanup(r.close)
        return r.run()

    def assert_contained(self, r, phase_limit):
        self.assertNotIn(r.returncode, (None, -9), "killed by the test")
        self.assertLess(r.seconds, phase_limit + MARGIN,
                        "the scan did not end within the limit")
        self.assertEqual(r.left, [], "left in TMPDIR")
        self.assertEqual(r.survivors, [], "sandbox processes survived")
        self.assertGreater(r.own_rss_kb, 0)
        self.assertLess(r.own_rss_kb, MAX_OWN_RSS_KB,
                        "pipcanary's own memory")
        self.assertIsNotNone(r.doc, r.stderr)

    def assert_limit(self, package, args, phase_limit, what):
        r = self.scan(package, args)
        self.assert_contained(r, phase_limit)
        self.assertEqual(r.returncode, 1, r.stderr)  # incomplete, no crash
        lim = r.doc["scan"]["limit"]
        self.assertIsNotNone(lim, r.stderr)
        self.assertEqual(lim["package"], package)
        self.assertEqual(lim["what"], what)
        self.assertEqual(r.doc["scan"]["findings"], [])
        return r

    def test_fork_bomb_process_limit(self):
        # Under strace a fork bomb grows by some tens of processes a
        # second: the import limit is generous so the process limit comes
        # first.
        self.assert_limit("evil-fork-bomb", ["--import-timeout", "120"], 120,
                          "import phase process limit (512 processes)")

    def test_memory_hog_memory_limit(self):
        self.assert_limit("evil-memory-hog", ["--import-timeout", "60"], 60,
                          "import phase memory limit (2048 MiB resident in "
                          "the sandbox)")

    def test_disk_filler_disk_limit(self):
        # /tmp fills (a 1 GiB tmpfs); the venv is read-only at import, so
        # nothing reaches the host disk.
        self.assert_limit("evil-disk-filler", ["--import-timeout", "60"], 60,
                          "import phase disk limit (the sandbox's /tmp of "
                          "1024 MiB is full)")

    def test_output_flood_output_limit(self):
        self.assert_limit("evil-output-flood", ["--import-timeout", "60"], 60,
                          "import phase output limit (64 MiB of stdout and "
                          "stderr)")

    def test_sleeper_time_limit(self):
        self.assert_limit("evil-sleeper", ["--import-timeout", "5"], 5,
                          "import phase time limit (5 s)")

    def test_sigterm_ignorer_time_limit(self):
        self.assert_limit("evil-sigterm-ignorer", ["--import-timeout", "5"], 5,
                          "import phase time limit (5 s)")

    def test_endless_build_time_limit(self):
        self.assert_limit("evil-endless-build", ["--timeout", "20"], 20,
                          "install phase time limit (20 s)")

    def test_ptrace_is_a_finding(self):
        r = self.scan("evil-ptrace", [])
        self.assert_contained(r, 120)
        self.assertEqual(r.returncode, 2, r.stderr)
        f = r.doc["scan"]["findings"]
        self.assertEqual([(x["rule_id"], x["package"]) for x in f],
                         [("ptrace", "evil-ptrace")])

    def test_kill_all_is_harmless(self):
        # It sees only the sandbox's own pid namespace: pipcanary, strace
        # and bwrap outside are out of reach; the scan completes.
        r = self.scan("evil-kill-all", [])
        self.assert_contained(r, 120)
        self.assertIn(r.returncode, (0, 2), r.stderr)
        scan = r.doc["scan"]
        self.assertIsNone(scan["limit"])
        self.assertEqual([d["normalised"] for d in r.doc["resolved"]],
                         ["evil-kill-all"])
        if r.returncode == 0:
            self.assertEqual(scan["findings"], [])


if __name__ == "__main__":
    unittest.main()
