"""The lock file end to end (issue 8): pipcanary -l writes a lock from the
fixture index; pip installs it into a fresh venv with --require-hashes
--no-deps from the same index; with one byte of the served file changed,
pip refuses. The byte-for-byte format is unit-tested
(tests/unit/test_lockfile.c against tests/unit/data/expected.lock).
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import e2e_support
import harness

ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)( ; .*)? \\$")
HASH = re.compile(r"^   --hash=sha256:(?P<hex>[0-9a-f]{64})(?P<more> \\)?$")


def parse_lock(text):
    """{normalised name: (version, [hashes])}; asserts the layout of
    lockfile.h on the way (header comments, entries, hash lines)."""
    entries, current = {}, None
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    for line in lines[i:]:
        if line.startswith("   # via "):
            continue
        h = HASH.match(line)
        if h:
            assert current is not None and current[2], line
            current[1].append(h.group("hex"))
            current[2] = bool(h.group("more"))
            continue
        m = ENTRY.match(line)
        assert m and (current is None or not current[2]), line
        norm = re.sub(r"[-_.]+", "-", m.group("name")).lower()
        current = [m.group("version"), [], True]
        entries[norm] = current
    assert current is None or not current[2], "last hash line ends in \\"
    return {k: (v[0], v[1]) for k, v in entries.items()}


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class TestLockEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = e2e_support.skip_reason()
        if reason:
            raise unittest.SkipTest(reason)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pipcanary-lock-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.req = os.path.join(self.tmp, "requirements.txt")
        with open(self.req, "w") as f:
            f.write(e2e_support.SAFE_REQUIREMENT)
        self.lock = os.path.join(self.tmp, "requirements.lock")

    def write_lock(self, *extra):
        report = os.path.join(self.tmp, "report.json")
        r = harness.run(["-r", self.req, "-l", self.lock, "--format", "json",
                         "-o", report, "--now", "2026-04-04T00:00:00"]
                        + e2e_support.index_args() + list(extra))
        self.assertIn(r.returncode, (0, 1), r.stderr)
        with open(report) as f:
            return json.load(f)

    def venv_pip_install(self, index_url, name):
        venv = os.path.join(self.tmp, name)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True,
                       capture_output=True, timeout=300)
        env = dict(os.environ, PIP_CONFIG_FILE=os.devnull,
                   PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_CACHE_DIR="1")
        return subprocess.run(
            [os.path.join(venv, "bin", "python"), "-m", "pip", "install",
             "--isolated", "--require-hashes", "--no-deps", "--index-url",
             index_url, "-r", self.lock],
            capture_output=True, text=True, timeout=600, env=env)

    def test_lock_pins_what_was_scanned(self):
        doc = self.write_lock()
        with open(self.lock) as f:
            lock = parse_lock(f.read())
        scanned = {d["normalised"]: d for d in doc["resolved"]}
        self.assertEqual(sorted(lock), sorted(scanned))
        for name, (version, hashes) in lock.items():
            self.assertEqual(version, scanned[name]["version"])
            self.assertIn(scanned[name]["sha256"], hashes)
            # --lock-hashes all: exactly the release's files on the API.
            audit = [p for p in doc["audit"]["packages"] if p["normalised"] == name][0]
            self.assertEqual(hashes, list(dict.fromkeys(
                f["sha256"] for f in audit["files"] if f["sha256"])))

    def test_lock_hashes_scanned(self):
        doc = self.write_lock("--lock-hashes", "scanned")
        with open(self.lock) as f:
            lock = parse_lock(f.read())
        for d in doc["resolved"]:
            self.assertEqual(lock[d["normalised"]][1], [d["sha256"]])

    def test_pip_installs_the_lock_and_refuses_a_changed_file(self):
        doc = self.write_lock()
        r = self.venv_pip_install(harness.index_url(), "venv-ok")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        # A copy of the index with one byte of the scanned wheel changed,
        # served on its own port (the shared index stays untouched).
        index_dir = os.environ["PIPCANARY_INDEX_DIR"]
        copy = os.path.join(self.tmp, "index")
        shutil.copytree(index_dir, copy)
        target = doc["resolved"][0]["sha256"]
        changed = None
        for folder, _, files in os.walk(copy):
            for fn in files:
                p = os.path.join(folder, fn)
                if sha256_file(p) == target:
                    changed = p
        self.assertIsNotNone(changed, "scanned artifact not found in the index")
        with open(changed, "r+b") as f:
            f.seek(os.path.getsize(changed) // 2)
            b = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([b[0] ^ 0x01]))

        port_file = os.path.join(self.tmp, "port")
        server = subprocess.Popen(
            [sys.executable, os.path.join(harness.FIXTURES, "server.py"),
             "--root", copy, "--port-file", port_file],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(server.wait, 10)
        self.addCleanup(server.terminate)
        deadline = time.monotonic() + 60  # a guard, not a measurement
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            self.assertIsNone(server.poll(), "fixture server did not start")
            self.assertLess(time.monotonic(), deadline, "fixture server did not start")
            time.sleep(0.05)
        port = int(open(port_file).read().strip())
        r = self.venv_pip_install("http://127.0.0.1:%d/simple/" % port, "venv-bad")
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("DO NOT MATCH THE HASHES", r.stderr)


if __name__ == "__main__":
    unittest.main()
