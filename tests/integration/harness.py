"""Shared helpers of the integration tests: the fixture server's lifetime
and running the pipcanary binary.

The fixture index itself (tests/fixtures/) is built and served by
tests/fixtures/build_index.py and tests/fixtures/server.py; this module only
starts it once per run and tells the tests where it is through environment
variables.
"""
import contextlib
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
INDEX_DIR = os.path.join(ROOT, "build", "index")


def binary():
    return os.environ.get("PIPCANARY_BIN", os.path.join(ROOT, "build", "pipcanary"))


def smoke():
    return os.environ.get("PIPCANARY_SMOKE") == "1"


def run(args, timeout=900, env=None, **kw):
    """Runs pipcanary with args; returns CompletedProcess (text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([binary()] + list(args), capture_output=True,
                          text=True, timeout=timeout, env=e, **kw)


def index_url():
    return os.environ["PIPCANARY_INDEX_URL"]


def api_url():
    return os.environ["PIPCANARY_API_URL"]


@contextlib.contextmanager
def fixture_server():
    """Builds the index when tests/fixtures/build_index.py exists and serves
    it for the duration of the block."""
    build = os.path.join(FIXTURES, "build_index.py")
    server = os.path.join(FIXTURES, "server.py")
    if not (os.path.exists(build) and os.path.exists(server)):
        yield None
        return
    subprocess.run([sys.executable, build, "--out", INDEX_DIR], check=True)
    with tempfile.TemporaryDirectory(prefix="pipcanary-server-") as tmp:
        port_file = os.path.join(tmp, "port")
        proc = subprocess.Popen([sys.executable, server, "--root", INDEX_DIR,
                                 "--port-file", port_file],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 30
            while not os.path.exists(port_file) or not open(port_file).read().strip():
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("fixture server did not start")
                time.sleep(0.05)
            port = int(open(port_file).read().strip())
            base = "http://127.0.0.1:%d" % port
            os.environ["PIPCANARY_INDEX_URL"] = base + "/simple/"
            os.environ["PIPCANARY_API_URL"] = base + "/pypi"
            os.environ["PIPCANARY_INDEX_DIR"] = INDEX_DIR
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def index_meta():
    """The fixture index's meta.json (reference time, real files found)."""
    import json
    path = os.path.join(os.environ.get("PIPCANARY_INDEX_DIR", INDEX_DIR), "meta.json")
    try:
        with open(path) as f:
            return json.load(f)
    except OSError:
        return {}
