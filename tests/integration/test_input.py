"""Input files end to end: `pipcanary --print-requirements -r FILE` prints
the flattened, normalised requirement list (options first), and bad input
prints every problem as FILE:LINE and exits 64 before anything is installed.
No network: --print-requirements never touches the index or the sandbox.
"""
import os
import shutil
import tempfile
import unittest

import harness

H1 = "sha256:86a8b5035fce64f5dcd1b794cf8ec4d31fe458cf6ce3986a30deb434df82a1d2"
H2 = "sha256:5602bdb96d52d2d0672f24f6ffe5218795736dd34807fd0fd55ccd6bf206168b"


class TestPrintRequirements(unittest.TestCase):
    SMOKE = True

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pipcanary-input-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text, encoding="utf-8"):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding=encoding, newline="") as f:
            f.write(text)
        return path

    def print_reqs(self, *args):
        r = harness.run(["--print-requirements"] + list(args), timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        return r.stdout

    def assert_bad(self, args, expected_lines):
        r = harness.run(list(args), timeout=60)
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.replace(self.dir + "/", "").splitlines()
        n = len(expected_lines)
        self.assertEqual(lines[:-1], expected_lines)
        self.assertEqual(lines[-1], "pipcanary: %d problem%s in the input: "
                         "nothing was installed" % (n, "" if n == 1 else "s"))

    def test_requirements_file_flattened(self):
        top = self.write("requirements.txt",
                         "# the app\n"
                         "-i https://idx.example/simple\n"
                         "--extra-index-url=https://extra.example/simple\n"
                         "-r sub/more.txt\n"
                         "-c constraints.txt\n"
                         "requests[Security] == 2.31.0 ; python_version >= \"3.8\" \\\n"
                         "    --hash=%s \\\n"
                         "    --hash=%s\n"
                         "-r py2.txt ; python_version < '3.0'\n" % (H1, H2))
        self.write("sub/more.txt", "Ruamel_YAML==0.17.21 --hash=%s  # pinned\n" % H1)
        self.write("constraints.txt", "urllib3<3\n")
        self.write("py2.txt", "futures==3.4.0\n")
        out = self.print_reqs("-r", top)
        self.assertEqual(out,
                         "--index-url https://idx.example/simple\n"
                         "--extra-index-url https://extra.example/simple\n"
                         "Ruamel_YAML==0.17.21 --hash=%s\n"
                         "requests[security]==2.31.0; python_version >= \"3.8\" "
                         "--hash=%s --hash=%s\n"
                         "# constraints (pip -c):\n"
                         "urllib3<3\n" % (H1, H1, H2))

    def test_several_files_and_encodings(self):
        a = self.write("a.txt", "requests\r\nsix==1.16.0\r\n", encoding="utf-8-sig")
        b = self.write("b.txt", "\ufeffidna>=3\n", encoding="utf-16-le")
        self.assertEqual(self.print_reqs("-r", a, "-r", b),
                         "requests\nsix==1.16.0\nidna>=3\n")

    def test_pyproject(self):
        p = self.write("pyproject.toml",
                       "[project]\n"
                       "name = \"demo\"\n"
                       "version = \"1.0\"\n"
                       "dependencies = [\"requests>=2\", \"ruamel.yaml\"]\n"
                       "[project.optional-dependencies]\n"
                       "test = [\"pytest>=7\"]\n"
                       "all = [\"demo[test]\"]\n"
                       "[dependency-groups]\n"
                       "lint = [\"ruff\", {include-group = \"types\"}]\n"
                       "types = [\"mypy==1.5.0\"]\n")
        self.assertEqual(self.print_reqs("-r", p), "requests>=2\nruamel.yaml\n")
        self.assertEqual(self.print_reqs("-r", p, "--extra", "all", "--group", "lint"),
                         "requests>=2\nruamel.yaml\npytest>=7\nruff\nmypy==1.5.0\n")
        self.assertEqual(self.print_reqs("-r", p, "--all-extras"),
                         "requests>=2\nruamel.yaml\npytest>=7\n")

    def test_poetry(self):
        p = self.write("pyproject.toml",
                       "[tool.poetry.dependencies]\n"
                       "python = \"^3.9\"\n"
                       "ruamel-yaml = \"^0.10.11.post1\"\n"
                       "uvicorn = {version = \"~0.23.1\", extras = [\"standard\"]}\n"
                       "[tool.poetry.group.dev.dependencies]\n"
                       "pytest = \"*\"\n")
        self.assertEqual(self.print_reqs("-r", p, "--group", "dev"),
                         "ruamel-yaml>=0.10.11.post1,<0.11\n"
                         "uvicorn[standard]>=0.23.1,<0.24\n"
                         "pytest\n")

    def test_bad_requirements_file(self):
        f = self.write("bad.txt",
                       "-e .\n"
                       "requests\n"
                       "    --hash=%s\n"
                       "foo>=\n"
                       "./local/pkg\n"
                       "-r bad.txt\n" % H1)
        self.assert_bad(["--print-requirements", "-r", f], [
            "bad.txt:1: editable requirement '-e .' cannot be scanned from an "
            "index: PipCanary installs from the package index only (to scan a "
            "local project, give its pyproject.toml with -r)",
            "bad.txt:3: --hash=%s without a requirement: the requirement line "
            "before it probably lacks its trailing '\\'" % H1,
            "bad.txt:4: invalid requirement 'foo>=': missing version after the "
            "operator at column 6",
            "bad.txt:5: local path './local/pkg' cannot be scanned from an index: "
            "give the project's requirements instead (its pyproject.toml with -r)",
            "bad.txt:6: -r bad.txt: include cycle: bad.txt -> bad.txt",
        ])

    def test_bad_input_installs_nothing(self):
        # Without --print-requirements the scan would start; bad input must
        # stop first (exit 64, not 69 for the unreachable index).
        f = self.write("bad.txt", "requests\n--hash=%s\n" % H1)
        self.assert_bad(["-r", f, "--index-url", "http://127.0.0.1:9/simple",
                         "--api-url", "http://127.0.0.1:9/pypi"], [
            "bad.txt:2: --hash=%s without a requirement: the requirement line "
            "before it probably lacks its trailing '\\'" % H1,
        ])

    def test_bad_pyproject(self):
        p = self.write("pyproject.toml",
                       "[project]\n"
                       "name = \"demo\"\n"
                       "dynamic = [\"dependencies\"]\n"
                       "[dependency-groups]\n"
                       "a = [{include-group = \"b\"}]\n"
                       "b = [{include-group = \"a\"}]\n")
        self.assert_bad(["--print-requirements", "-r", p, "--group", "a", "--extra", "x"], [
            "pyproject.toml:3: [project] dependencies are dynamic: the build "
            "backend computes them at build time, so they cannot be read "
            "statically; write them out (e.g. pip-compile or `pip install "
            "--dry-run --report`) to a requirements file and scan that with -r",
            "pyproject.toml: --extra x: no such extra (the file defines none)",
            "pyproject.toml:5: [dependency-groups] include-group cycle: a -> b -> a",
        ])
        t = self.write("broken.toml", "[project\nname = 1\n")
        r = harness.run(["--print-requirements", "-r", t], timeout=60)
        self.assertEqual(r.returncode, 64)
        self.assertTrue(r.stderr.startswith(t + ":1: invalid TOML: "), r.stderr)

    def test_extra_needs_pyproject(self):
        f = self.write("r.txt", "six\n")
        self.assert_bad(["--print-requirements", "-r", f, "--extra", "test"], [
            "r.txt: --extra applies to pyproject.toml input only "
            "(give -r pyproject.toml)",
        ])


if __name__ == "__main__":
    unittest.main()
