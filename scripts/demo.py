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


FAILED = []


def run(title, args, expect, index=None):
    """Runs one example; expect is the set of exit codes it should give."""
    print("\n=== %s" % title)
    index = index or harness.index_url()
    shown = args + (["--index-url", index] if index != harness.index_url() else [])
    print("$ pipcanary " + " ".join(shlex.quote(a) for a in shown))
    sys.stdout.flush()
    r = subprocess.run([BIN] + args + ["--index-url", index,
                                       "--api-url", harness.api_url()])
    print("(exit code %d)" % r.returncode)
    if r.returncode not in expect:
        FAILED.append("%s: exit code %d, expected %s" % (title, r.returncode,
                                                       " or ".join(map(str, sorted(expect)))))
    return r.returncode


def real_requirements(meta, tmp):
    """examples/requirements.txt without the pinned releases whose real
    files are not on this machine (a fresh clone has no ../shared)."""
    real = set(meta.get("real", []))
    keep = []
    for line in open(os.path.join(EX, "requirements.txt")):
        req = line.strip()
        if not req or req.startswith("#"):
            continue
        if "==" in req:
            name, version = req.split("==", 1)
            prefix = "%s-%s." % (name.lower(), version)
            if not any(f.lower().startswith(prefix) for f in real):
                print("demo: skipped %s: its real distribution file is not on "
                      "this machine (../shared/data/dists)" % req)
                continue
        keep.append(req)
    path = os.path.join(tmp, "requirements.txt")
    with open(path, "w") as f:
        f.write("\n".join(keep) + "\n")
    return path


def main():
    with harness.fixture_server() as base, \
            tempfile.TemporaryDirectory(prefix="pipcanary-demo-") as tmp:
        if base is None:
            print("demo: the fixture index (tests/fixtures/) is missing")
            return 1
        meta = harness.index_meta()
        for f in meta.get("real", []):
            print("demo: real distribution file found: %s" % f)
        for s in meta.get("skipped", []):
            print("demo: skipped %s: %s" % (s.get("file"), s.get("why")))
        now = ["--now", meta.get("reference_now", "2026-04-04T12:00:00Z")]
        ex = lambda name: os.path.join(EX, name)  # noqa: E731
        # pip's newest release here may carry a real advisory (exit 1).
        run("Real packages (PyPI's files, served locally)",
            ["-r", real_requirements(meta, tmp)] + now, {0, 1})
        run("All packages look safe", ["-r", ex("brief-safe.txt")] + now, {0})
        run("Suspicious behavior detected", ["-r", ex("brief-malicious.txt")] + now, {2})
        run("Known vulnerabilities detected", ["-r", ex("brief-vulnerable.txt")] + now,
            {1})
        run("Recently uploaded packages (cool-down warning)",
            ["-r", ex("brief-cooldown.txt"), "--now", "2026-04-04T12:00:00",
             "--cool-down", "900"],
            {1}, index=base + "/overlay/simple/")
        lock = os.path.join(tmp, "requirements.lock")
        run("Locked requirements file",
            ["-r", ex("brief-safe.txt"), "-l", lock] + now, {0})
        if os.path.exists(lock):
            print(open(lock).read())
        else:
            FAILED.append("Locked requirements file: %s was not written" % lock)
    for f in FAILED:
        print("demo: FAILED: %s" % f)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
