"""The local PyPI fixture index (tests/fixtures/): answers checked against
the real data (hashes, upload times, advisory ids from PyPI and the PyPA
advisory database, as recorded in ../shared/data and its READMEs), the
protocol (redirects, JSON 404, PEP 503/691), every fault mode of the server,
the guard of the malicious packages, and a real pip install of Jinja2 3.1.2
that builds MarkupSafe 2.1.2 from its sdist.

Starts nothing itself: run.py's harness built the index and started the
server (PIPCANARY_INDEX_URL, PIPCANARY_INDEX_DIR).
"""
import ast
import hashlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

import harness

FIXTURES = harness.FIXTURES
SHARED = os.path.join(os.path.dirname(harness.ROOT), "shared", "data")
sys.path.insert(0, FIXTURES)

RULE_IDS = set("""ssh-private-key aws-credentials gcp-credentials azure-credentials
kube-config docker-config netrc pypirc npmrc git-credentials gnupg shell-history
browser-chromium browser-firefox discord telegram wallet-electrum wallet-exodus
wallet-atomic wallet-metamask etc-shadow etc-sudoers proc-environ persist-shell-rc
persist-autostart persist-systemd-user persist-cron pth-injection exec-downloader
exec-netcat exec-shell-payload exec-dropped-file memfd-exec net-import
net-unexpected-peer dns-odd-name ptrace io-uring""".split())


def load(path):
    with open(path) as f:
        return json.load(f)


def base_url():
    url = os.environ.get("PIPCANARY_INDEX_URL")
    if not url:
        raise unittest.SkipTest("fixture server not running (no PIPCANARY_INDEX_URL)")
    return url[:-len("/simple/")]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


def meta():
    return load(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json"))


def need_real(*files):
    missing = [f for f in files if f not in meta()["real"]]
    if missing:
        raise unittest.SkipTest("real files not on this machine: %s" % ", ".join(missing))


def get(path, accept=None, follow=True, timeout=30):
    """(status, headers, body bytes) of GET base+path; HTTP errors too."""
    req = urllib.request.Request(base_url() + path)
    if accept:
        req.add_header("Accept", accept)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(path):
    status, headers, body = get(path)
    assert status == 200, (path, status)
    assert headers["Content-Type"] == "application/json", headers["Content-Type"]
    return json.loads(body)


class TestRealData(unittest.TestCase):
    """Values from PyPI as recorded in ../shared/data (READMEs and JSON)."""
    SMOKE = False

    def release(self, name, version):
        return get_json("/pypi/%s/%s/json" % (name, version))

    def file_of(self, rel, filename):
        return next(u for u in rel["urls"] if u["filename"] == filename)

    def test_setuptools_65_5_0(self):
        rel = self.release("setuptools", "65.5.0")
        vulns = {v["id"]: v for v in rel["vulnerabilities"]}
        self.assertEqual(sorted(vulns), ["GHSA-r9hx-vwmv-q579", "PYSEC-2022-43012"])
        self.assertEqual(vulns["PYSEC-2022-43012"]["fixed_in"], ["65.5.1"])
        self.assertEqual(vulns["PYSEC-2022-43012"]["aliases"], ["CVE-2022-40897"])
        self.assertIsNone(vulns["PYSEC-2022-43012"]["withdrawn"])
        self.assertEqual(vulns["PYSEC-2022-43012"]["link"],
                         "https://osv.dev/vulnerability/PYSEC-2022-43012")
        f = self.file_of(rel, "setuptools-65.5.0-py3-none-any.whl")
        self.assertEqual(f["digests"]["sha256"],
                         "f62ea9da9ed6289bfe868cd6845968a2c854d1427f8548d52cae02a42b4f0356")
        self.assertEqual(f["size"], 1232695)
        self.assertEqual(f["upload_time_iso_8601"], "2022-10-14T12:35:21.095451Z")
        self.assertEqual(f["upload_time"], "2022-10-14T12:35:21")
        self.assertEqual(f["requires_python"], ">=3.7")
        self.assertEqual(f["packagetype"], "bdist_wheel")
        self.assertEqual(f["url"], base_url() + "/files/setuptools-65.5.0-py3-none-any.whl")
        self.assertIs(f["yanked"], False)

    def test_setuptools_65_5_1_is_fixed(self):
        ids = [v["id"] for v in self.release("setuptools", "65.5.1")["vulnerabilities"]]
        self.assertNotIn("PYSEC-2022-43012", ids)

    def test_pip_23_2_1(self):
        rel = self.release("pip", "23.2.1")
        vulns = {v["id"]: v for v in rel["vulnerabilities"]}
        self.assertIn("PYSEC-2023-228", vulns)
        self.assertEqual(vulns["PYSEC-2023-228"]["fixed_in"], ["23.3"])
        f = self.file_of(rel, "pip-23.2.1-py3-none-any.whl")
        self.assertEqual(f["digests"]["sha256"],
                         "7ccf472345f20d35bdc9d1841ff5f313260c2c33fe417f48c30ac46cccabf5be")
        self.assertEqual(f["size"], 2086091)

    def test_wheel_yanked_release_and_old_advisory(self):
        # wheel 0.38.0 is yanked on PyPI with this reason (shared README);
        # PYSEC-2022-43017 applies to wheel < 0.38.1 (advisories README)
        rel = self.release("wheel", "0.38.0")
        self.assertTrue(all(u["yanked"] for u in rel["urls"]))
        self.assertEqual({u["yanked_reason"] for u in rel["urls"]},
                         {"Circular dependency with setuptools on --no-binary=:all:"})
        self.assertIn("PYSEC-2022-43017", [v["id"] for v in rel["vulnerabilities"]])
        self.assertNotIn("PYSEC-2022-43017",
                         [v["id"] for v in self.release("wheel", "0.38.1")["vulnerabilities"]])

    def test_sdists_hashes(self):
        need_real("Jinja2-3.1.2.tar.gz", "MarkupSafe-2.1.2.tar.gz")
        for name, version, fn, sha in [
                ("jinja2", "3.1.2", "Jinja2-3.1.2.tar.gz",
                 "31351a702a408a9e7595a8fc6150fc3f43bb6bf7e319770cbc0db9df9437e852"),
                ("markupsafe", "2.1.2", "MarkupSafe-2.1.2.tar.gz",
                 "abcabc8c2b26036d62d4c746381a6f7cf60aafcc653198ad678306986b09450d")]:
            f = self.file_of(self.release(name, version), fn)
            self.assertEqual(f["digests"]["sha256"], sha)
            status, _, body = get("/files/" + fn)
            self.assertEqual(status, 200)
            self.assertEqual(hashlib.sha256(body).hexdigest(), sha)

    def test_project_json_history(self):
        proj = get_json("/pypi/setuptools/json")
        self.assertEqual(proj["info"]["name"], "setuptools")
        self.assertIn("0.6b1", proj["releases"])       # oldest (README)
        self.assertEqual(proj["releases"]["13.0"], [])  # present with no files (README)
        self.assertNotIn("67.3.0", proj["releases"])   # absent upstream (README)
        self.assertEqual(len(proj["releases"]), 549)

    @unittest.skipUnless(os.path.isdir(SHARED), "no ../shared/data (fresh clone)")
    def test_sample_against_shared_json(self):
        # every file of a sample of releases: filename, sha256 and upload
        # time exactly as in the shared PyPI JSON (Debian rebuilds excepted)
        meta = load(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json"))
        rebuilt = {fn for fn, d in meta["real_details"].items() if not d["identical_to_pypi"]}
        for name, versions in [("setuptools", ["65.5.0", "67.6.1", "0.6b1", "51.1.0.post20201221"]),
                               ("pip", ["20.3.2", "23.2.1", "24.2"]),
                               ("wheel", ["0.40.0", "0.43.0"]),
                               ("markupsafe", ["2.1.2", "2.1.3"]), ("jinja2", ["3.1.2"])]:
            shared = load(os.path.join(SHARED, "pypi-json", name + ".json"))
            for v in versions:
                served = self.release(name, v)
                want = [(f["filename"], f["digests"]["sha256"], f["upload_time_iso_8601"],
                         f["yanked"], f["yanked_reason"])
                        for f in shared["releases"][v] if f["filename"] not in rebuilt]
                got = [(u["filename"], u["digests"]["sha256"], u["upload_time_iso_8601"],
                        u["yanked"], u["yanked_reason"])
                       for u in served["urls"] if u["filename"] not in rebuilt]
                self.assertEqual(got, want, (name, v))
                if v in shared["versions"]:
                    self.assertEqual(served["vulnerabilities"],
                                     shared["versions"][v]["vulnerabilities"])

    def test_simple_page_matches_files(self):
        # each link's #sha256= is the digest of the file it points to
        served = meta()["packages"]
        for name in ["setuptools", "pip", "wheel", "jinja2", "markupsafe", "pc-sdist"]:
            status, headers, body = get("/simple/%s/" % name)
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/html"))
            links = re.findall(r'href="([^"#]+)#sha256=([0-9a-f]{64})"', body.decode())
            self.assertEqual(sorted(fn for _, fn in re.findall(
                r'href="([^"#]+)#sha256=[0-9a-f]{64}"[^>]*>([^<]+)<', body.decode())),
                served[name]["served"], name)
            for href, sha in links:
                url = urllib.parse.urljoin("/simple/%s/" % name, href)
                s, _, data = get(url)
                self.assertEqual(s, 200, url)
                self.assertEqual(hashlib.sha256(data).hexdigest(), sha, url)


class TestBriefData(unittest.TestCase):
    """The synthetic data behind the brief's example outputs
    (seed/how-pipcanary-works.txt), values copied from the brief."""
    SMOKE = False

    def vulns(self, name, version):
        return [(v["id"], v["fixed_in"]) for v in
                get_json("/pypi/%s/%s/json" % (name, version))["vulnerabilities"]]

    def test_flask(self):
        rel = get_json("/pypi/flask/3.1.2/json")
        self.assertEqual(rel["info"]["name"], "Flask")
        self.assertEqual(self.vulns("flask", "3.1.2"), [("GHSA-68rp-wp8r-4726", ["3.1.3"])])

    def test_pygments(self):
        self.assertEqual(get_json("/pypi/pygments/1.1/json")["info"]["name"], "Pygments")
        self.assertEqual(self.vulns("pygments", "1.1"), [
            ("PYSEC-2021-141", ["2.7.4"]), ("GHSA-pq64-v7f5-gqh8", ["2.7.4"]),
            ("PYSEC-2023-117", ["2.15.1"]), ("GHSA-mrwq-x4v8-fh7p", ["2.15.0"]),
            ("GHSA-5239-wwwm-4pmq", ["2.20.0"])])

    def test_werkzeug(self):
        proj = get_json("/pypi/werkzeug/json")
        self.assertEqual(proj["info"]["name"], "Werkzeug")
        self.assertEqual([u["upload_time_iso_8601"][:19] for u in proj["releases"]["3.1.8"]],
                         ["2026-04-02T18:49:14"])
        self.assertEqual(self.vulns("werkzeug", "3.1.8"), [])
        self.assertEqual(self.vulns("werkzeug", "2.3.6"), [
            ("GHSA-hrfv-mqp8-q5rw", ["3.0.1", "2.3.8"]), ("PYSEC-2023-221", ["2.3.8", "3.0.1"]),
            ("GHSA-2g68-c3qc-8985", ["3.0.3"]), ("GHSA-f9vj-2wh5-fj8j", ["3.0.6"]),
            ("GHSA-q34m-jh98-gwm2", ["3.0.6"]), ("GHSA-hgf8-39gv-g3f2", ["3.1.4"]),
            ("GHSA-87hc-h4r5-73f7", ["3.1.5"]), ("GHSA-29vq-49wr-vm6x", ["3.1.6"])])

    def test_markupsafe(self):
        proj = get_json("/pypi/markupsafe/json")
        self.assertEqual(proj["info"]["name"], "MarkupSafe")
        self.assertEqual([u["upload_time_iso_8601"][:19] for u in proj["releases"]["3.0.3"]],
                         ["2025-09-27T18:37:40"])
        # 2.1.3 is real, clean, and all its files are older than 2.1.4's
        self.assertEqual(self.vulns("markupsafe", "2.1.3"), [])
        newest_213 = max(u["upload_time_iso_8601"] for u in proj["releases"]["2.1.3"])
        oldest_214 = min(u["upload_time_iso_8601"] for u in proj["releases"]["2.1.4"])
        self.assertEqual(newest_213, "2023-09-07T16:00:57.770768Z")
        self.assertEqual(oldest_214, "2024-01-19T22:48:20.932819Z")
        # the synthetic 3.0.3 wheel is in the overlay index only
        _, _, main = get("/simple/markupsafe/")
        _, _, overlay = get("/overlay/simple/markupsafe/")
        self.assertNotIn(b"markupsafe-3.0.3", main)
        self.assertIn(b"markupsafe-3.0.3-py3-none-any.whl", overlay)
        if "MarkupSafe-2.1.2.tar.gz" in meta()["real"]:
            self.assertIn(b"MarkupSafe-2.1.2.tar.gz", overlay)
        else:  # a fresh clone: the real sdist is not on the machine
            self.assertNotIn(b"MarkupSafe-2.1.2.tar.gz", overlay)

    def test_withdrawn_and_no_fix(self):
        rel = get_json("/pypi/pc-vulnerable/1.0/json")
        by_id = {v["id"]: v for v in rel["vulnerabilities"]}
        self.assertEqual(by_id["PYSEC-2099-2"]["fixed_in"], [])
        self.assertEqual(by_id["GHSA-pc2x-fx22-0003"]["withdrawn"], "2024-02-01T00:00:00Z")
        self.assertIn("PYSEC-2099-1", by_id["GHSA-pc2x-fx22-0001"]["aliases"])
        self.assertIn("GHSA-pc2x-fx22-0001", by_id["PYSEC-2099-1"]["aliases"])
        for v in rel["vulnerabilities"]:
            self.assertIn("Synthetic advisory", v["details"])

    def test_recent_relative_to_reference(self):
        meta = load(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json"))
        self.assertEqual(meta["reference_now"], "2026-04-04T12:00:00Z")  # build_index default
        rel = get_json("/pypi/pc-recent/json")["releases"]
        self.assertEqual(rel["1.2.0"][0]["upload_time_iso_8601"], "2026-04-02T12:00:00.000000Z")
        self.assertEqual(rel["1.1.0"][0]["upload_time_iso_8601"], "2026-02-23T12:00:00.000000Z")
        self.assertEqual(rel["1.0.0"][0]["upload_time_iso_8601"], "2025-02-28T12:00:00.000000Z")
        self.assertEqual([v["id"] for v in get_json("/pypi/pc-recent/1.1.0/json")["vulnerabilities"]],
                         ["GHSA-pc2x-rcnt-0001"])
        files = get_json("/pypi/pc-no-upload-time/1.0.0/json")["urls"]
        self.assertIsNone(files[0]["upload_time_iso_8601"])
        mixed = get_json("/pypi/pc-mixed-age/2.0.0/json")["urls"]
        self.assertEqual(sorted(u["upload_time_iso_8601"] for u in mixed),
                         ["2025-12-25T12:00:00.000000Z", "2026-04-03T12:00:00.000000Z"])


class TestProtocol(unittest.TestCase):
    SMOKE = False

    def test_redirects(self):
        for path, where in [("/simple/MarkupSafe/", "/simple/markupsafe/"),
                            ("/simple/markupsafe", "/simple/markupsafe/"),
                            ("/simple/PC_Pure/", "/simple/pc-pure/"),
                            ("/simple", "/simple/"),
                            ("/overlay/simple/Werkzeug/", "/overlay/simple/werkzeug/"),
                            ("/pypi/Flask/json", "/pypi/flask/json"),
                            ("/pypi/Flask/3.1.2/json", "/pypi/flask/3.1.2/json"),
                            ("/fault/latency-1/pypi/Flask/json",
                             "/fault/latency-1/pypi/flask/json")]:
            status, headers, _ = get(path, follow=False)
            self.assertEqual(status, 301, path)
            self.assertEqual(urllib.parse.urlsplit(headers["Location"]).path, where, path)

    def test_quoted_file_name(self):
        # pip asks for local versions with '+' quoted as %2B
        status, _, body = get("/files/pc_postlocal-1.0.0%2Bfixture.1-py3-none-any.whl")
        self.assertEqual(status, 200)
        rel = get_json("/pypi/pc-postlocal/1.0.0+fixture.1/json")
        self.assertEqual(hashlib.sha256(body).hexdigest(), rel["urls"][0]["digests"]["sha256"])

    def test_not_found_is_json(self):
        for path in ["/pypi/no-such-project/json", "/pypi/flask/9.9.9/json",
                     "/simple/no-such-project/", "/files/no-such.whl", "/nothing",
                     "/fault/bogus-mode/pypi/flask/json", "/files/../meta.json"]:
            status, headers, body = get(path)
            self.assertEqual(status, 404, path)
            self.assertEqual(headers["Content-Type"], "application/json", path)
            self.assertEqual(json.loads(body), {"message": "Not Found"}, path)

    def test_pep691(self):
        status, headers, body = get("/simple/pc-yanked-file/",
                                    accept="application/vnd.pypi.simple.v1+json")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/vnd.pypi.simple.v1+json")
        page = json.loads(body)
        self.assertEqual(page["name"], "pc-yanked-file")
        self.assertEqual(page["meta"]["api-version"][:2], "1.")
        files = {f["filename"]: f for f in page["files"]}
        self.assertEqual(files["pc_yanked_file-1.0.0-py3-none-any.whl"]["yanked"],
                         "Wheel built wrongly (fixture)")
        self.assertIs(files["pc_yanked_file-1.0.0.tar.gz"]["yanked"], False)
        for f in page["files"]:
            s, _, data = get(urllib.parse.urljoin("/simple/pc-yanked-file/", f["url"]))
            self.assertEqual(hashlib.sha256(data).hexdigest(), f["hashes"]["sha256"])
        status, _, body = get("/simple/", accept="application/vnd.pypi.simple.v1+json")
        names = [p["name"] for p in json.loads(body)["projects"]]
        self.assertIn("MarkupSafe", names)
        self.assertIn("evil-ssh-import", names)

    def test_html_attributes(self):
        _, _, body = get("/simple/pc-yanked-file/")
        self.assertRegex(body.decode(), r'pc_yanked_file-1\.0\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"'
                                        r' data-requires-python="&gt;=3.8"'
                                        r' data-yanked="Wheel built wrongly \(fixture\)"')
        self.assertRegex(body.decode(), r'pc_yanked_file-1\.0\.0\.tar\.gz#sha256=[0-9a-f]{64}"'
                                        r' data-requires-python="&gt;=3.8">')

    def test_wheel_record_is_correct(self):
        import base64
        _, _, data = get("/files/pc_console-1.0.0-py3-none-any.whl")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w.whl")
            with open(path, "wb") as f:
                f.write(data)
            with zipfile.ZipFile(path) as z:
                record = z.read("pc_console-1.0.0.dist-info/RECORD").decode().splitlines()
                listed = set()
                for line in record:
                    name, h, size = line.rsplit(",", 2)
                    listed.add(name)
                    if name.endswith("RECORD"):
                        continue
                    body = z.read(name)
                    self.assertEqual(int(size), len(body))
                    self.assertEqual(h, "sha256=" + base64.urlsafe_b64encode(
                        hashlib.sha256(body).digest()).rstrip(b"=").decode())
                self.assertEqual(listed, set(z.namelist()))
                self.assertIn("pc-console = pc_console:main",
                              z.read("pc_console-1.0.0.dist-info/entry_points.txt").decode())


class TestFaults(unittest.TestCase):
    SMOKE = False

    def fresh(self, mode, path="/pypi/flask/json"):
        return "/fault/%s%s?run=%s" % (mode, path, uuid.uuid4().hex)

    def test_429_once(self):
        path = self.fresh("429-once")
        status, headers, _ = get(path)
        self.assertEqual(status, 429)
        self.assertEqual(headers["Retry-After"], "1")
        status, _, body = get(path)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["info"]["name"], "Flask")

    def test_500_once(self):
        path = self.fresh("500-once", "/simple/flask/")
        self.assertEqual(get(path)[0], 500)
        status, _, body = get(path)
        self.assertEqual(status, 200)
        self.assertIn(b"flask-3.1.2-py3-none-any.whl", body)

    def test_latency(self):
        status, _, body = get("/fault/latency-50/pypi/flask/json")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), get_json("/pypi/flask/json"))

    def test_truncated(self):
        full = get("/pypi/flask/json")[2]
        status, headers, body = get("/fault/truncated/pypi/flask/json")
        self.assertEqual(status, 200)
        self.assertIsNone(headers["Content-Length"])
        self.assertEqual(body, full[:len(full) // 2])
        with self.assertRaises(ValueError):
            json.loads(body)

    def test_stall(self):
        u = urllib.parse.urlsplit(base_url())
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1.0)
        try:
            conn.request("GET", "/fault/stall/pypi/flask/json")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            self.assertGreater(int(r.headers["Content-Length"]), 0)
            with self.assertRaises(socket.timeout):
                r.read()
        finally:
            conn.close()

    def test_close(self):
        u = urllib.parse.urlsplit(base_url())
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request("GET", "/fault/close/pypi/flask/json")
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                conn.getresponse()
        finally:
            conn.close()


class TestCatalogueAndGuard(unittest.TestCase):
    """The malicious packages: catalogued, and unable to act outside the
    sandbox (checked by reading their code, never by running a payload)."""
    SMOKE = False

    def test_catalogue(self):
        import malicious
        with open(os.path.join(FIXTURES, "README.md")) as f:
            readme = f.read()
        meta = load(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json"))
        for e in malicious.EVIL:
            self.assertTrue(e["name"].startswith("evil-"))
            self.assertIn(e["phase"], ("install", "import", "startup"))
            self.assertTrue(e["rule"] in RULE_IDS or e["rule"].startswith("(limit")
                            or e["rule"].startswith("(containment"), e["rule"])
            row = malicious.catalogue_row(e)
            self.assertTrue(row in readme, "README.md catalogue row missing or stale: " + row)
            m = meta["packages"][e["name"]]
            self.assertEqual((m["kind"], m["phase"], m["rule"]),
                             ("malicious", e["phase"], e["rule"]))

    def test_every_payload_is_guarded(self):
        # Top level of each malicious module (or setup.py): only the guard
        # and payload definitions, `if _pipcanary_in_sandbox(): _payload()`,
        # and for setup.py the import of setuptools and setup().
        index_dir = os.environ["PIPCANARY_INDEX_DIR"]
        import tarfile
        checked = 0
        for fn in sorted(os.listdir(os.path.join(index_dir, "files"))):
            if not fn.startswith("evil_"):
                continue
            path = os.path.join(index_dir, "files", fn)
            if fn.endswith(".whl"):
                with zipfile.ZipFile(path) as z:
                    sources = [z.read(n).decode() for n in z.namelist()
                               if n.endswith(".py") and "_payload" in z.read(n).decode()]
                    pth = [z.read(n).decode() for n in z.namelist() if n.endswith(".pth")]
                    for text in pth:
                        self.assertRegex(text, r"^import evil_\w+_hook\n$")
            else:
                with tarfile.open(path) as t:
                    sources = [t.extractfile(m).read().decode() for m in t.getmembers()
                               if m.name.endswith("/setup.py")]
            self.assertEqual(len(sources), 1, fn)
            tree = ast.parse(sources[0])
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    self.assertIn(node.name, ("_pipcanary_in_sandbox", "_payload"))
                elif isinstance(node, ast.If):
                    self.assertEqual(ast.unparse(node.test), "_pipcanary_in_sandbox()", fn)
                elif isinstance(node, ast.Expr):
                    ok = isinstance(node.value, ast.Constant) or ast.unparse(node.value).startswith("setup(")
                    self.assertTrue(ok, (fn, ast.unparse(node)))
                elif isinstance(node, ast.ImportFrom):
                    self.assertEqual(node.module, "setuptools")
                else:
                    self.fail("%s: unexpected top-level %s" % (fn, ast.unparse(node)))
            checked += 1
        import malicious
        self.assertEqual(checked, len(malicious.EVIL))

    def test_guard_refuses_outside_sandbox(self):
        # Runs only the guard function (no payload) in a child without
        # PIPCANARY_SANDBOX: it must say no.
        import malicious
        env = {k: v for k, v in os.environ.items() if k != "PIPCANARY_SANDBOX"}
        code = malicious.GUARD + "\nprint(_pipcanary_in_sandbox())\n"
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.stdout.strip(), "False", r.stderr)


class TestBuild(unittest.TestCase):
    SMOKE = False

    def test_deterministic_and_stamped(self):
        build = os.path.join(FIXTURES, "build_index.py")

        def digest_tree(root):
            h = {}
            for d, dirs, files in os.walk(root):
                dirs.sort()
                for fn in files:
                    p = os.path.join(d, fn)
                    with open(p, "rb") as f:
                        h[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
            return h
        with tempfile.TemporaryDirectory() as tmp:
            a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
            for out in (a, b):
                r = subprocess.run([sys.executable, build, "--out", out], capture_output=True,
                                   text=True, timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(digest_tree(a), digest_tree(b))
            r = subprocess.run([sys.executable, build, "--out", a], capture_output=True,
                               text=True, timeout=300)
            self.assertEqual(r.stdout.strip(), "fixture index: up to date (%s)" % a)
            r = subprocess.run([sys.executable, build, "--out", a, "--now", "2030-01-01T00:00:00Z"],
                               capture_output=True, text=True, timeout=300)
            self.assertNotIn("up to date", r.stdout)
            meta = load(os.path.join(a, "meta.json"))
            self.assertEqual(meta["reference_now"], "2030-01-01T00:00:00Z")
            rel = load(os.path.join(a, "pypi", "pc-recent", "json"))["releases"]
            self.assertEqual(rel["1.2.0"][0]["upload_time_iso_8601"], "2029-12-30T00:00:00.000000Z")

    def test_fresh_clone_without_shared(self):
        # no ../shared: real files only from the machine; the others are
        # skipped with one line each and stay in the JSON API, not in /simple/
        build = os.path.join(FIXTURES, "build_index.py")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "index")
            r = subprocess.run([sys.executable, build, "--out", out, "--shared",
                                os.path.join(tmp, "no-shared")],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            m = load(os.path.join(out, "meta.json"))
            skipped = {s["file"]: s["why"] for s in m["skipped"]}
            self.assertIn("Jinja2-3.1.2.tar.gz", skipped)
            self.assertIn("skipped: Jinja2-3.1.2.tar.gz: not found in ../shared/data/dists, "
                          "the ensurepip bundle or /usr/share/python-wheels\n", r.stdout)
            self.assertNotIn("Jinja2-3.1.2.tar.gz", m["real"])
            self.assertEqual(len(m["real"]) + len(m["skipped"]), 11)
            import ensurepip
            bundled = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
            for fn in os.listdir(bundled) if os.path.isdir(bundled) else []:
                if fn.startswith(("pip-", "setuptools-")):
                    self.assertIn(fn, m["real"])
                    self.assertTrue(m["real_details"][fn]["identical_to_pypi"], fn)
            # Debian's rebuilt setuptools (patched for Debian's Python) is
            # not served beside PyPI's own files: pip would prefer it.
            for fn in m["real"]:
                if fn.startswith(("pip-", "setuptools-")) and \
                        any(f.startswith(fn.split("-")[0] + "-") and
                            m["real_details"][f]["identical_to_pypi"] for f in m["real"]):
                    self.assertTrue(m["real_details"][fn]["identical_to_pypi"], fn)
            rel = load(os.path.join(out, "pypi", "jinja2", "3.1.2", "json"))
            self.assertEqual([u["digests"]["sha256"] for u in rel["urls"]
                              if u["filename"] == "Jinja2-3.1.2.tar.gz"],
                             ["31351a702a408a9e7595a8fc6150fc3f43bb6bf7e319770cbc0db9df9437e852"])
            with open(os.path.join(out, "simple", "jinja2", "index.html")) as f:
                self.assertNotIn("Jinja2-3.1.2.tar.gz", f.read())
            self.assertFalse(os.path.exists(os.path.join(out, "files", "Jinja2-3.1.2.tar.gz")))

    def test_meta_lists_real_and_skipped(self):
        meta = load(os.path.join(os.environ["PIPCANARY_INDEX_DIR"], "meta.json"))
        self.assertEqual(set(meta), {"reference_now", "real", "real_details", "skipped",
                                     "overlay_index", "packages"})
        for fn in meta["real"]:
            self.assertTrue(os.path.exists(os.path.join(os.environ["PIPCANARY_INDEX_DIR"],
                                                        "files", fn)))
        for s in meta["skipped"]:
            self.assertEqual(set(s), {"file", "why"})
        # pip 23.2.1 is in ../shared and in this Python's ensurepip bundle
        self.assertIn("pip-23.2.1-py3-none-any.whl", meta["real"])
        kinds = {m["kind"] for m in meta["packages"].values()}
        self.assertEqual(kinds, {"real", "benign", "vulnerable", "recent", "malicious"})


class TestPipInstall(unittest.TestCase):
    SMOKE = False

    def test_jinja2_builds_markupsafe_from_sdist(self):
        need_real("Jinja2-3.1.2.tar.gz", "MarkupSafe-2.1.2.tar.gz")
        with tempfile.TemporaryDirectory(prefix="pipcanary-fixture-venv-") as d:
            venv = os.path.join(d, "venv")
            subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
            env = dict(os.environ, PIP_CONFIG_FILE="/dev/null")
            for k in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"):
                env.pop(k, None)
            r = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--no-cache-dir",
                                "--disable-pip-version-check", "--index-url",
                                base_url() + "/simple/", "Jinja2==3.1.2"],
                               env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("Building wheel for MarkupSafe", r.stdout)
            self.assertIn("Successfully installed Jinja2-3.1.2 MarkupSafe-2.1.2", r.stdout)
            r = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                                "import jinja2, markupsafe; print(jinja2.__version__, "
                                "markupsafe.__version__)"],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.stdout.strip(), "3.1.2 2.1.2", r.stderr)


if __name__ == "__main__":
    unittest.main()
