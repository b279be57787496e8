"""The cool-down (issue 7) against the fixture index with a fixed --now
(the index's reference_now, from which its "N days old" uploads were
computed), with --no-scan.

Expected text is the brief's (../shared/seed/how-pipcanary-works.txt) and,
for the corner-case projects, worked out by hand from
tests/fixtures/README.md: e.g. "1 day old" = 2026-04-03T12:00:00.
"""
import os
import unittest

import harness
from test_audit import AuditCase, EXAMPLES, NOW, base_url

BRIEF_MARKUPSAFE = """\
Package MarkupSafe 3.0.3 was updated too recently: 2025-09-27T18:37:40.
  - Consider MarkupSafe<=2.1.3 which has no known vulnerabilities
  - If you are certain that the latest upload is secure, add the following argument: --allow-upload-time='MarkupSafe<=2025-09-27T18:37:40'
"""
BRIEF_WERKZEUG = """\
Package Werkzeug 3.1.8 was updated too recently: 2026-04-02T18:49:14.
  - The next suitable release Werkzeug: 2.3.6 has known vulnerabilities though: GHSA-hrfv-mqp8-q5rw (fixed in 3.0.1, 2.3.8), PYSEC-2023-221 (fixed in 2.3.8, 3.0.1), GHSA-2g68-c3qc-8985 (fixed in 3.0.3), GHSA-f9vj-2wh5-fj8j (fixed in 3.0.6), GHSA-q34m-jh98-gwm2 (fixed in 3.0.6), GHSA-hgf8-39gv-g3f2 (fixed in 3.1.4), GHSA-87hc-h4r5-73f7 (fixed in 3.1.5), GHSA-29vq-49wr-vm6x (fixed in 3.1.6)
  - If you are certain that the latest upload is secure, add the following argument: --allow-upload-time='Werkzeug<=2026-04-02T18:49:14'
"""


def allow_line(name, when):
    return ("  - If you are certain that the latest upload is secure, add the "
            "following argument: --allow-upload-time='%s<=%s'\n" % (name, when))


class TestCoolDown(AuditCase):
    SMOKE = False

    def brief_run(self, *args):
        with open(os.path.join(EXAMPLES, "brief-cooldown.txt")) as f:
            text = f.read()
        # MarkupSafe 3.0.3 is on the overlay index only (fixture README).
        return self.audit(text, "--cool-down", "900", *args,
                          index=base_url() + "/overlay/simple/")

    def test_brief_example_both_forms(self):
        r = self.brief_run()
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("Auditing 3 packages...\n", r.stdout)
        # A clean older release, and one with advisories.
        self.assertIn(BRIEF_MARKUPSAFE, r.stdout)
        self.assertIn(BRIEF_WERKZEUG, r.stdout)
        self.assertRegex(r.stdout, r"  - The following package\(s\) were uploaded too "
                         r"recently: (MarkupSafe, Werkzeug|Werkzeug, MarkupSafe)\.\n")
        self.assertNotIn("pc-old", r.stdout)  # 2022: settled

    def test_allow_upload_time(self):
        # Werkzeug up to exactly its upload: accepted. MarkupSafe one second
        # short of its upload: still warned, but the allowance accepts the
        # older uploads, so the suggestion is the newest real release
        # before it, 3.0.1 (2024-10-08, clean), not 2.1.3.
        r = self.brief_run("--allow-upload-time", "Werkzeug<=2026-04-02T18:49:14",
                           "--allow-upload-time", "markupsafe<=2025-09-27T18:37:39")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertNotIn("Werkzeug 3.1.8 was updated too recently", r.stdout)
        self.assertIn(BRIEF_MARKUPSAFE.replace("<=2.1.3", "<=3.0.1"), r.stdout)
        self.assertIn("  - The following package(s) were uploaded too recently: "
                      "MarkupSafe.\n", r.stdout)
        # A date alone is the whole day; a Z suffix is UTC as well.
        r = self.brief_run("--allow-upload-time", "Werkzeug<=2026-04-02T18:49:14Z",
                           "--allow-upload-time", "MarkupSafe<=2025-09-27")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("was updated too recently", r.stdout)

    def test_malformed_allowance_is_a_usage_error(self):
        r = self.brief_run("--allow-upload-time", "Werkzeug<=next tuesday")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--allow-upload-time", r.stderr)

    def test_corner_cases(self):
        # Unpinned: pip takes the newest release, and the older ones still
        # satisfy the requirement.
        r = self.audit("pc-mixed-age\n"
                       "pc-no-upload-time\n"
                       "pc-cooldown-skips!=1.3.0\n"
                       "PC-Recent\n")
        self.assert_no_crash(r)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        out = r.stdout
        # Mixed age: the sdist is 100 days old, the wheel 1 day: recent;
        # 1.0.0 (300 days) is clean.
        self.assertIn("Package pc-mixed-age 2.0.0 was updated too recently: "
                      "2026-04-03T12:00:00.\n"
                      "  - Consider pc-mixed-age<=1.0.0 which has no known vulnerabilities\n"
                      + allow_line("pc-mixed-age", "2026-04-03T12:00:00"), out)
        # No upload time at all: treated as too recent, nothing older.
        self.assertIn("Package pc-no-upload-time 1.0.0 was updated too recently: "
                      "upload time unknown.\n", out)
        self.assertNotIn("--allow-upload-time='pc-no-upload-time", out)
        # 1.4.0 (1 day) recent; != excludes 1.3.0; 1.3.0rc1 is a pre-release,
        # 1.2.0 needs Python >=4, 1.1.0 is yanked: 1.0.0.
        self.assertIn("Package pc-cooldown-skips 1.4.0 was updated too recently: "
                      "2026-04-03T12:00:00.\n"
                      "  - Consider pc-cooldown-skips<=1.0.0 which has no known "
                      "vulnerabilities\n", out)
        # 1.2.0 (2 days) recent; 1.1.0 (40 days) is settled but vulnerable.
        self.assertIn("Package PC-Recent 1.2.0 was updated too recently: "
                      "2026-04-02T12:00:00.\n"
                      "  - The next suitable release PC-Recent: 1.1.0 has known "
                      "vulnerabilities though: GHSA-pc2x-rcnt-0001 (fixed in 1.2.0)\n"
                      + allow_line("PC-Recent", "2026-04-02T12:00:00"), out)

    def test_yanked_file_does_not_yank_the_release(self):
        # 1.3.0: wheel yanked, sdist not: the release is still suitable.
        r = self.audit("pc-cooldown-skips\n")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("  - Consider pc-cooldown-skips<=1.3.0 which has no known "
                      "vulnerabilities\n", r.stdout)

    def test_pre_releases_when_allowed(self):
        # --pre in the requirements file: 1.3.0rc1 (60 days) becomes the
        # newest suitable release once 1.3.0 is excluded.
        r = self.audit("--pre\npc-cooldown-skips!=1.3.0\n")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("  - Consider pc-cooldown-skips<=1.3.0rc1 which has no known "
                      "vulnerabilities\n", r.stdout)

    def test_cool_down_off(self):
        r = self.audit("PC-Recent==1.2.0\n", "--cool-down", "0")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("was updated too recently", r.stdout)


if __name__ == "__main__":
    unittest.main()
