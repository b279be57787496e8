"""[tool.pipcanary] settings: read from the scanned pyproject.toml or
--config, errors exit 64 before anything is installed, expired entries say
so."""
import os
import tempfile
import textwrap
import unittest

import harness

# Nothing listens on port 1: a scan that gets that far stops with exit 69,
# which shows the settings were accepted.
DEAD_INDEX = ["--index-url", "http://127.0.0.1:1/simple/", "--no-audit"]


class TestConfig(unittest.TestCase):
    SMOKE = True

    def write(self, d, name, text):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(textwrap.dedent(text))
        return p

    def test_unknown_key_and_bad_value(self):
        with tempfile.TemporaryDirectory() as d:
            p = self.write(d, "pyproject.toml", """\
                [project]
                name = "x"
                version = "1"
                dependencies = ["pc-pure"]
                [tool.pipcanary]
                colour = "red"
                cool-down = "soon"
                """)
            r = harness.run(["-r", p] + DEAD_INDEX)
            self.assertEqual(r.returncode, 64, r.stderr)
            self.assertIn("%s: tool.pipcanary.colour: unknown setting" % p, r.stderr)
            self.assertIn("%s: tool.pipcanary.cool-down: must be a whole number" % p,
                          r.stderr)
            self.assertIn("2 problems in the settings", r.stderr)

    def test_pyproject_without_tool_table_has_no_settings(self):
        # [project] and [dependency-groups] are not settings (a bug once).
        with tempfile.TemporaryDirectory() as d:
            p = self.write(d, "pyproject.toml", """\
                [project]
                name = "x"
                version = "1"
                dependencies = ["pc-pure"]
                [dependency-groups]
                dev = ["pc-console"]
                """)
            r = harness.run(["-r", p, "--group", "dev"] + DEAD_INDEX)
            self.assertNotIn("tool.pipcanary", r.stderr)
            self.assertEqual(r.returncode, 69, r.stderr)

    def test_expired_entry_says_so(self):
        with tempfile.TemporaryDirectory() as d:
            req = self.write(d, "requirements.txt", "pc-pure\n")
            cfg = self.write(d, "pipcanary.toml", """\
                ignore-vuln = [{id = "PYSEC-2099-2", expires = 2026-01-31, reason = "triaged"}]
                """)
            r = harness.run(["-r", req, "--config", cfg, "--now", "2026-02-01T00:00:00"]
                            + DEAD_INDEX)
            self.assertIn("%s: ignore-vuln PYSEC-2099-2 expired on 2026-01-31 and "
                          "applies no more (reason: triaged)" % cfg, r.stderr)
            self.assertNotEqual(r.returncode, 64, r.stderr)
            # The day itself still counts.
            r = harness.run(["-r", req, "--config", cfg, "--now", "2026-01-31T23:00:00"]
                            + DEAD_INDEX)
            self.assertNotIn("expired", r.stderr)

    def test_toml_syntax_error_names_the_line(self):
        with tempfile.TemporaryDirectory() as d:
            req = self.write(d, "requirements.txt", "pc-pure\n")
            cfg = self.write(d, "bad.toml", "cool-down = 3\nstop-at = \n")
            r = harness.run(["-r", req, "--config", cfg] + DEAD_INDEX)
            self.assertEqual(r.returncode, 64, r.stderr)
            self.assertIn("%s:2:" % cfg, r.stderr)


if __name__ == "__main__":
    unittest.main()
