"""The reports end to end (issue 9, Reports): text in the brief's wording,
--format json validated against docs/report-schema.json, --format sarif,
-o FILE. The exact wording of every line is unit-tested in
tests/unit/test_report.c; here the real binary runs on the fixture index.
"""
import json
import os
import re
import tempfile
import unittest

import e2e_support
import harness


class TestSchemaFile(unittest.TestCase):
    """docs/report-schema.json itself: parses, and says what it means."""

    def setUp(self):
        with open(e2e_support.SCHEMA) as f:
            self.schema = json.load(f)

    def walk(self, node, at="$"):
        if isinstance(node, dict):
            yield at, node
            for k, v in node.items():
                yield from self.walk(v, "%s.%s" % (at, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from self.walk(v, "%s[%d]" % (at, i))

    def test_refs_resolve_and_required_keys_are_described(self):
        for at, node in self.walk(self.schema):
            ref = node.get("$ref")
            if isinstance(ref, str):
                self.assertTrue(ref.startswith("#/$defs/"), at)
                self.assertIn(ref[8:], self.schema["$defs"], at)
            if isinstance(node.get("required"), list) and "properties" in node:
                for key in node["required"]:
                    self.assertIn(key, node["properties"], "%s: %s" % (at, key))
                # Every object lists all its keys (null when unknown).
                self.assertEqual(sorted(node["required"]),
                                 sorted(node["properties"]), at)

    def test_validator_rejects_what_the_schema_forbids(self):
        doc = {"tool": {"name": "pipcanary", "version": "0.1.0"}}
        errors = e2e_support.validate(doc)
        self.assertIn("$: missing exit_code", errors)
        self.assertIn("$: missing resolved", errors)
        doc["tool"]["extra"] = 1
        self.assertIn("$.tool: unexpected key extra", e2e_support.validate(doc))


class TestReportsEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = e2e_support.skip_reason()
        if reason:
            raise unittest.SkipTest(reason)

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="pipcanary-report-")
        self.addCleanup(self.tmp.cleanup)
        self.req = os.path.join(self.tmp.name, "requirements.txt")
        with open(self.req, "w") as f:
            f.write(e2e_support.SAFE_REQUIREMENT)

    def run_pipcanary(self, *args):
        return harness.run(["-r", self.req] + e2e_support.index_args()
                           + ["--now", "2026-04-04T00:00:00"] + list(args))

    def test_text_report_of_a_safe_package(self):
        r = self.run_pipcanary()
        self.assertIn(r.returncode, (0, 1), r.stderr)
        self.assertIn("All packages appear to be safe!\n", r.stdout)
        self.assertRegex(r.stdout, r"\nAuditing 1 package\.\.\.\n")
        self.assertNotIn("\033[", r.stdout)  # not a terminal: no colours

    def test_json_report_validates_and_matches_the_run(self):
        r = self.run_pipcanary("--format", "json")
        doc = json.loads(r.stdout)
        self.assertEqual(e2e_support.validate(doc), [])
        self.assertEqual(doc["exit_code"], r.returncode)
        self.assertEqual(doc["input"]["files"], [self.req])
        names = [d["normalised"] for d in doc["resolved"]]
        self.assertEqual(names, ["wheel"])
        d = doc["resolved"][0]
        self.assertEqual(d["kind"], "requested")
        self.assertRegex(d["sha256"], r"^[0-9a-f]{64}$")
        self.assertFalse(doc["scan"]["stopped"])
        self.assertEqual(doc["scan"]["findings"], [])
        self.assertEqual([p["normalised"] for p in doc["audit"]["packages"]],
                         ["wheel"])
        # The scanned artifact is one of the release's files on the API.
        files = doc["audit"]["packages"][0]["files"]
        self.assertIn(d["sha256"], [f["sha256"] for f in files])

    def test_sarif_report(self):
        r = self.run_pipcanary("--format", "sarif")
        doc = json.loads(r.stdout)
        self.assertEqual(doc["version"], "2.1.0")
        run = doc["runs"][0]
        self.assertEqual(run["tool"]["driver"]["name"], "PipCanary")
        index = {rule["id"]: i for i, rule in enumerate(run["tool"]["driver"]["rules"])}
        for res in run["results"]:
            self.assertEqual(index[res["ruleId"]], res["ruleIndex"])
            loc = res["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"]["uri"], self.req)
            self.assertEqual(loc["region"]["startLine"], 1)

    def test_output_file(self):
        out = os.path.join(self.tmp.name, "report.json")
        r = self.run_pipcanary("--format", "json", "-o", out)
        self.assertEqual(r.stdout, "")
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(e2e_support.validate(doc), [])
        self.assertEqual(doc["exit_code"], r.returncode)

    def test_known_vulnerability_of_a_real_release(self):
        """issue 6: setuptools 65.5.0 meets the real PYSEC-2022-43012."""
        with open(self.req, "w") as f:
            f.write("setuptools==65.5.0\n")
        r = self.run_pipcanary()
        if "No matching distribution" in r.stderr + r.stdout:
            self.skipTest("setuptools 65.5.0 is not on this fixture index "
                          "(no ../shared/data)")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stdout, re.compile(
            r"^Package setuptools:65\.5\.0 has known vulnerabilities: "
            r"(.*, )?PYSEC-2022-43012 \(fixed in 65\.5\.1\)", re.M))
        self.assertIn("Summary:\n  - Vulnerabilities in the following package(s) "
                      "were found: setuptools:65.5.0.\n", r.stdout)


if __name__ == "__main__":
    unittest.main()
