#!/usr/bin/env python3
"""`make demo`: builds and starts the local fixture index (127.0.0.1), then
runs pipcanary on examples/: the real packages first, then one run for each
output of the product brief (all safe, a malicious package caught, known
vulnerabilities, cool-down warnings, a lock file). Stops the server and
leaves nothing behind (the lock file is written to a temporary folder and
shown)."""
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402

BIN = os.path.join(ROOT, "build", "pipcanary")
EX = os.path.join(ROOT, "examples")


def run(title, args):
    print("\n=== %s" % title)
    cmd = [BIN] + args + ["--index-url", harness.index_url(),
                          "--api-url", harness.api_url()]
    print("$ pipcanary " + " ".join(shlex.quote(a) for a in args))
    sys.stdout.flush()
    r = subprocess.run(cmd)
    print("(exit code %d)" % r.returncode)
    return r.returncode


def main():
    with harness.fixture_server() as base:
        if base is None:
            print("demo: the fixture index (tests/fixtures/) is not built yet")
            return 1
        meta = harness.index_meta()
        for f in meta.get("real", []):
            print("demo: real distribution file found: %s" % f)
        for s in meta.get("skipped", []):
            print("demo: skipped %s: %s" % (s.get("file"), s.get("why")))
        now = ["--now", meta.get("reference_now", "2026-11-30T00:00:00Z")]
        run("Real packages from PyPI", ["-r", os.path.join(EX, "requirements.txt")] + now)
        run("All packages look safe", ["-r", os.path.join(EX, "safe.txt")] + now)
        run("Suspicious behavior detected", ["-r", os.path.join(EX, "malicious.txt")] + now)
        run("Known vulnerabilities detected",
            ["-r", os.path.join(EX, "vulnerable.txt")] + now)
        run("Recently uploaded packages (cool-down warning)",
            ["-r", os.path.join(EX, "cooldown.txt"), "--now", "2025-09-30T00:00:00"])
        with tempfile.TemporaryDirectory(prefix="pipcanary-demo-") as tmp:
            lock = os.path.join(tmp, "requirements.lock")
            run("Locked requirements file",
                ["-r", os.path.join(EX, "requirements.txt"), "-l", lock] + now)
            if os.path.exists(lock):
                print(open(lock).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
