#!/usr/bin/env python3
"""bench_scan.py BINARY [--runs N] - benchmarks (not tests) of whole scans
on the local fixture index (started as the integration tests start it):

  overhead  the monitored scan of real packages (setuptools, wheel, Jinja2
            with MarkupSafe built from its sdist: examples/requirements.txt)
            divided by the same install+import in the same sandbox without
            strace (PIPCANARY_BENCH_UNMONITORED=1, a benchmark-only switch of
            src/monitor.c). Runs alternate, N of each; the medians are
            compared. Target <= 1.15.
  fixed     the wall time of a scan of an empty requirements file
            (--no-audit), median of N runs. Target <= 0.5 s.
  rss       pipcanary's own peak memory (VmHWM of its process, read every
            20 ms until it exits) during the monitored scan.
  cpu       pipcanary's own CPU time (user+system of its process, not of
            strace or the sandbox) during the monitored scan: the part of
            the overhead spent reading the trace, attributing and matching.

Prints one line per measure: "name<TAB>value<TAB>detail". Every run must
succeed (exit 0): a failed scan is an error, not a number.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402  (starts the fixture server)


def hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid):
    """utime + stime of the process itself (proc(5) fields 14, 15)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def scan(binary, req, extra_env=None, verbose=False):
    """One scan: (wall seconds, peak RSS kB of pipcanary itself, its own
    CPU seconds as last seen)."""
    tmp = tempfile.mkdtemp(prefix="pipcanary-bench-")
    env = dict(os.environ, TMPDIR=tmp)
    env.pop("PIPCANARY_BENCH_UNMONITORED", None)
    env.update(extra_env or {})
    args = [binary, "-r", req, "--index-url", harness.index_url(),
            "--no-audit", "-v" if verbose else "-q"]
    t0 = time.monotonic()
    p = subprocess.Popen(args, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    peak, cpu = 0, 0.0
    while p.poll() is None:
        peak = max(peak, hwm_kb(p.pid))
        cpu = max(cpu, cpu_s(p.pid))
        time.sleep(0.02)
    dt = time.monotonic() - t0
    out, err = p.communicate()
    shutil.rmtree(tmp, ignore_errors=True)
    if p.returncode != 0:
        sys.exit("bench_scan: %s exited %d\n%s%s" % (" ".join(args),
                                                     p.returncode, out, err))
    if verbose:
        timings = [x for x in out.splitlines() if x.startswith("Timings:")]
        return dt, timings[-1] if timings else ""
    return dt, peak, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    work = tempfile.mkdtemp(prefix="pipcanary-bench-req-")
    try:
        real = os.path.join(ROOT, "examples", "requirements.txt")
        empty = os.path.join(work, "empty.txt")
        open(empty, "w").close()
        with harness.fixture_server() as base:
            if base is None:
                sys.exit("bench_scan: no fixture index (tests/fixtures/)")
            scan(binary, real)  # warm-up: page cache, pip's first start
            mon, unmon, peaks, cpus = [], [], [], []
            for _ in range(a.runs):
                t, peak, cpu = scan(binary, real)
                mon.append(t)
                peaks.append(peak)
                cpus.append(cpu)
                unmon.append(scan(binary, real,
                                  {"PIPCANARY_BENCH_UNMONITORED": "1"})[0])
            fixed = [scan(binary, empty, verbose=True)
                     for _ in range(max(5, a.runs))]
        m, u = statistics.median(mon), statistics.median(unmon)
        print("overhead\t%.3f\tmonitored %.2f s / unmonitored %.2f s "
              "(medians of %d; all: %s / %s)" % (
                  m / u, m, u, a.runs,
                  " ".join("%.2f" % x for x in mon),
                  " ".join("%.2f" % x for x in unmon)))
        times = [t for t, _ in fixed]
        med = sorted(fixed)[len(fixed) // 2]
        print("fixed\t%.3f\tmedian of %d: %s; the median run's %s" % (
            statistics.median(times), len(times),
            " ".join("%.2f" % x for x in times), med[1].rstrip(".")))
        print("rss\t%.1f\tpeak of pipcanary during the monitored scan, "
              "MB (max of %d runs)" % (max(peaks) / 1024.0, len(peaks)))
        print("cpu\t%.2f\tpipcanary's own CPU seconds during the monitored "
              "scan (median of %d)" % (statistics.median(cpus), len(cpus)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
