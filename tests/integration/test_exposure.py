"""Exposure (issue 10): what the sandbox lets a package see and use.

The fixture package pc-exposure (tests/fixtures/exposure.py) runs 70+
probes at import inside the sandbox: the real home (a marker file this test
puts there must not be visible: the sandbox shows decoys at the same path),
other homes, /root, /etc/shadow, sudoers, host keys, docker and dbus
sockets, /run/user, /proc/1 (environ, root), /sys/fs/cgroup writes,
/dev/mem, the scanner's workspace on the host, the strace process, the
network (interfaces, connects, DNS, UDP), raw sockets, mount, unshare,
setuid binaries... Each result is passed out as a stat() path that
`--keep-trace` keeps (the probe's stdout is captured by the scan and not
shown; this needs no debug hook in the product).

The scan runs with --stop-at critical, so lower findings (connect at
import, ptrace-like probes, /proc/*/environ) are notes and every probe
runs; after its "done" record the package reads /etc/shadow for real, which
must stop the scan with the etc-shadow finding: so the test knows both that
the whole probe list ran and that the monitor still stops at the end.
"""
import base64
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import unittest

import harness

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "fixtures"))
import exposure  # noqa: E402

# Probes that succeed inside the sandbox's own namespaces, checked on the
# host instead: root inside (uid 0 outside) may write the hostname of the
# sandbox's UTS namespace (the sysctl checks the file mode, not
# CAP_SYS_ADMIN); the host's hostname must not change.
OWN_NAMESPACE = {"proc-sys-hostname-write"}

LOG_RE = re.compile(r'"%s([A-Za-z0-9_\-=/]+)"' % re.escape(exposure.LOG_PREFIX))


def records_from_trace(path):
    """The probe records passed out in the trace, by seq (deduplicated)."""
    out = {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace")
            for m in LOG_RE.finditer(line):
                rec = json.loads(base64.urlsafe_b64decode(m.group(1).replace("/", "")))
                out[rec["seq"]] = rec
    return [out[k] for k in sorted(out)]


class TestExposure(unittest.TestCase):
    def setUp(self):
        if "PIPCANARY_INDEX_URL" not in os.environ:
            self.skipTest("no fixture index")

    def test_nothing_of_the_host_is_reachable(self):
        tmp = tempfile.mkdtemp(prefix="pipcanary-exposure-")
        self.addCleanup(shutil.rmtree, tmp, True)
        tmpdir = os.path.join(tmp, "t")
        os.mkdir(tmpdir)
        # A marker in the real home: the sandbox's home (same path) must
        # not show it.
        home = os.path.expanduser("~")
        marker = tempfile.NamedTemporaryFile(prefix=exposure.MARKER_PREFIX, dir=home,
                                             delete=False)
        marker.write(b"real home\n")
        marker.close()
        self.addCleanup(os.unlink, marker.name)
        req = os.path.join(tmp, "requirements.txt")
        with open(req, "w") as f:
            f.write("pc-exposure\n")
        trace = os.path.join(tmp, "trace.txt")
        r = harness.run(["-r", req, "--index-url", harness.index_url(), "--no-audit",
                         "--format", "json", "--stop-at", "critical",
                         "--keep-trace", trace, "--import-timeout", "120"],
                        env={"TMPDIR": tmpdir}, timeout=600)
        self.assertEqual(os.listdir(tmpdir), [], "left in TMPDIR")
        doc = json.loads(r.stdout)
        recs = records_from_trace(trace)
        probes = [x for x in recs if x["probe"] != "done"]
        done = [x for x in recs if x["probe"] == "done"]
        self.assertEqual(len(done), 1, "the probes did not all run: %s" % recs[-3:])
        self.assertEqual(done[0]["detail"], "count %d" % len(probes))
        self.assertGreaterEqual(len(probes), 50)
        # Every probe ran exactly once, in order.
        self.assertEqual([x["seq"] for x in recs], list(range(1, len(recs) + 1)))
        reached = ["%s: %s" % (x["probe"], x["detail"]) for x in probes
                   if x["reached"] and x["probe"] not in OWN_NAMESPACE]
        self.assertEqual(reached, [], "reachable from the sandbox")
        # What the sandbox may change in its own namespaces did not reach
        # the host.
        self.assertNotEqual(socket.gethostname(), "pc-exposure")
        # The final real read of /etc/shadow stopped the scan.
        self.assertEqual(r.returncode, 2, r.stderr)
        f = doc["scan"]["findings"]
        self.assertEqual([(x["rule_id"], x["package"], x["phase"]) for x in f],
                         [("etc-shadow", "pc-exposure", "import")])
        # Lower findings were notes (the package is hostile): some of the
        # probes that match rules are listed there.
        note_rules = {n["rule_id"] for n in doc["scan"]["notes"]}
        self.assertTrue({"net-import", "etc-sudoers", "proc-environ"} <= note_rules,
                        note_rules)


if __name__ == "__main__":
    unittest.main()
