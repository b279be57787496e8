"""The vulnerability audit (issue 6) against the fixture index's JSON API,
with --no-scan (pip resolves in the sandbox; nothing is imported), and the
fixture server's fault modes.

Expected lines are the brief's (../shared/seed/how-pipcanary-works.txt,
copied here) and the advisories the fixture index serves
(tests/fixtures/README.md); they are written out by hand, not taken from
a run.
"""
import json
import os
import tempfile
import unittest

import e2e_support
import harness

NOW = "2026-04-04T12:00:00"  # the fixture index's reference_now
EXAMPLES = os.path.join(harness.ROOT, "examples")

BRIEF_VULNERABLE = """\
Auditing 9 packages...
Package Flask:3.1.2 has known vulnerabilities: GHSA-68rp-wp8r-4726 (fixed in 3.1.3).
Package Pygments:1.1 has known vulnerabilities: PYSEC-2021-141 (fixed in 2.7.4), GHSA-pq64-v7f5-gqh8 (fixed in 2.7.4), PYSEC-2023-117 (fixed in 2.15.1), GHSA-mrwq-x4v8-fh7p (fixed in 2.15.0), GHSA-5239-wwwm-4pmq (fixed in 2.20.0).
Summary:
  - Vulnerabilities in the following package(s) were found: Flask:3.1.2, Pygments:1.1.
"""

PC_VULNERABLE_LINE = ("Package PC-Vulnerable:1.0 has known vulnerabilities: "
                      "GHSA-pc2x-fx22-0001 (fixed in 1.1, 2.0), "
                      "PYSEC-2099-1 (fixed in 2.0, 1.1), "
                      "PYSEC-2099-2 (no fix available).")


def base_url():
    api = os.environ["PIPCANARY_API_URL"]
    assert api.endswith("/pypi"), api
    return api[: -len("/pypi")]


def real_files():
    with open(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json")) as f:
        return json.load(f).get("real", [])


class AuditCase(unittest.TestCase):
    def setUp(self):
        why = e2e_support.skip_reason()
        if why:
            self.skipTest(why)
        self.tmp = tempfile.TemporaryDirectory(prefix="pipcanary-audit-")
        self.addCleanup(self.tmp.cleanup)

    def audit(self, requirements, *args, api=None, index=None, env=None):
        """Runs pipcanary --no-scan on the requirements text; returns the
        CompletedProcess."""
        req = os.path.join(self.tmp.name, "requirements.txt")
        with open(req, "w") as f:
            f.write(requirements)
        argv = ["-r", req, "--no-scan", "--now", NOW,
                "--index-url", index or os.environ["PIPCANARY_INDEX_URL"],
                "--api-url", api or os.environ["PIPCANARY_API_URL"]] + list(args)
        return harness.run(argv, env=env)

    def assert_no_crash(self, r):
        self.assertGreaterEqual(r.returncode, 0, r.stderr)  # not killed by a signal
        self.assertNotIn("AddressSanitizer", r.stderr)
        self.assertNotIn("runtime error", r.stderr)


class TestAudit(AuditCase):
    SMOKE = False  # the sanitizer build runs the fault tests below

    def test_real_setuptools_and_pip(self):
        files = real_files()
        for need in ("setuptools-65.5.0-py3-none-any.whl", "pip-23.2.1-py3-none-any.whl"):
            if need not in files:
                self.skipTest("%s is not in this fixture index (no ../shared/data)" % need)
        r = self.audit("setuptools==65.5.0\npip==23.2.1\n")
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        # Real PyPI records: both ids of CVE-2022-40897 and of CVE-2023-5752.
        self.assertIn("Package setuptools:65.5.0 has known vulnerabilities: "
                      "GHSA-r9hx-vwmv-q579 (fixed in 65.5.1), "
                      "PYSEC-2022-43012 (fixed in 65.5.1).\n", r.stdout)
        self.assertIn("Package pip:23.2.1 has known vulnerabilities: "
                      "GHSA-mq26-g339-26xf (fixed in 23.3), "
                      "PYSEC-2023-228 (fixed in 23.3).\n", r.stdout)

    def test_brief_example(self):
        with open(os.path.join(EXAMPLES, "brief-vulnerable.txt")) as f:
            text = f.read()
        r = self.audit(text)
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(BRIEF_VULNERABLE, r.stdout)

    def test_withdrawn_aliases_and_no_fix(self):
        r = self.audit("PC-Vulnerable==1.0\n")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(PC_VULNERABLE_LINE + "\n", r.stdout)
        # Withdrawn 2024-02-01, before --now: not reported anywhere.
        self.assertNotIn("GHSA-pc2x-fx22-0003", r.stdout)

    def test_ignore_vuln_by_alias(self):
        # CVE-2099-0001 is an alias of both GHSA-pc2x-fx22-0001 and
        # PYSEC-2099-1; PYSEC-2099-2 by its id.
        r = self.audit("PC-Vulnerable==1.0\n", "--ignore-vuln", "CVE-2099-0001")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("Package PC-Vulnerable:1.0 has known vulnerabilities: "
                      "PYSEC-2099-2 (no fix available).\n", r.stdout)
        self.assertIn("  - 2 known vulnerabilities were ignored (--ignore-vuln): "
                      "GHSA-pc2x-fx22-0001, PYSEC-2099-1.\n", r.stdout)
        r = self.audit("PC-Vulnerable==1.0\n", "--ignore-vuln", "CVE-2099-0001",
                       "--ignore-vuln", "PYSEC-2099-2")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("has known vulnerabilities", r.stdout)
        self.assertIn("3 known vulnerabilities were ignored", r.stdout)

    def test_clean_release(self):
        r = self.audit("PC-Vulnerable==2.0\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("has known vulnerabilities", r.stdout)


class TestAuditFaults(AuditCase):
    """The fixture server's fault modes in front of the JSON API only (the
    index stays healthy, so pip still resolves)."""
    SMOKE = True
    REQ = "Flask==3.1.2\nPC-Vulnerable==1.0\n"

    def fault_api(self, mode):
        return "%s/fault/%s/pypi" % (base_url(), mode)

    def assert_normal_result(self, r):
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("Package Flask:3.1.2 has known vulnerabilities: "
                      "GHSA-68rp-wp8r-4726 (fixed in 3.1.3).\n", r.stdout)
        self.assertIn(PC_VULNERABLE_LINE + "\n", r.stdout)

    def test_429_then_success(self):
        # 429 with Retry-After: 1 on each path's first request, then the answer.
        self.assert_normal_result(self.audit(self.REQ, api=self.fault_api("429-once")))

    def test_500_then_success(self):
        self.assert_normal_result(self.audit(self.REQ, api=self.fault_api("500-once")))

    def test_truncated_json(self):
        api = self.fault_api("truncated")
        r = self.audit(self.REQ, api=api)
        self.assert_no_crash(r)
        for name, version in (("flask", "3.1.2"), ("pc-vulnerable", "1.0")):
            url = "%s/%s/%s/json" % (api, name, version)
            self.assertRegex(r.stdout, r"could not be audited: GET %s: invalid JSON "
                             r"\(truncated or malformed\) at line \d+" % url.replace(".", r"\."))
        self.assertNotIn("has known vulnerabilities", r.stdout)
        # Not audited is not "nothing found": the check is incomplete.
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)

    def test_stalled_connection(self):
        # Headers, then nothing for 60 s: each attempt times out after
        # PIPCANARY_HTTP_TIMEOUT seconds; after the retries no request got a
        # whole answer, so the API counts as unreachable (exit 69).
        api = self.fault_api("stall")
        r = self.audit(self.REQ, api=api, env={"PIPCANARY_HTTP_TIMEOUT": "1"})
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 69, r.stdout + r.stderr)
        self.assertIn("pipcanary: cannot reach %s: " % api, r.stderr)
        self.assertIn("timed out", r.stderr)
        self.assertIn("(4 attempts)", r.stderr)

    def test_connection_closed(self):
        api = self.fault_api("close")
        r = self.audit(self.REQ, api=api)
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 69, r.stdout + r.stderr)
        self.assertIn("pipcanary: cannot reach %s: " % api, r.stderr)

    def test_server_down(self):
        # A port where nothing listens: refused at once, every time.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        api = "http://127.0.0.1:%d/pypi" % port
        r = self.audit(self.REQ, api=api)
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 69, r.stdout + r.stderr)
        lines = [l for l in r.stderr.splitlines() if "cannot reach" in l]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("pipcanary: cannot reach %s: " % api), lines[0])
        self.assertIn("Couldn't connect to server", lines[0])
        # The scan results were printed before (stdout), the line after.
        self.assertIn("Auditing 2 packages...", r.stdout)

    def test_unknown_package_is_not_on_this_index(self):
        # A 404 for the release: "not on this index", not an error.
        r = self.audit("Flask==3.1.2\n", api=base_url() + "/fault/latency-1/nothing-here")
        self.assert_no_crash(r)
        self.assertIn("are not on the index, so they were not audited: Flask:3.1.2.",
                      r.stdout)


if __name__ == "__main__":
    unittest.main()
