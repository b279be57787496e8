#!/usr/bin/env python3
"""make_corpus.py [--trace TRACE] - (re)writes the seed corpora in
tests/fuzz/corpus/<target>/ from the unit tests' inputs:

  every C string literal of the target's unit tests (adjacent literals
  joined, C escapes decoded), shaped as the target reads its input;
  pep440: "SPEC\\nVERSION" pairs; pypi: tests/unit/data/pypi-*.json;
  pyproject: the JSON that probe/pyproject_reqs.py prints for each TOML
  text of test_pyproject.c; rules: rules/default.rules; strace: lines and
  40-line runs of TRACE, a trace of a real install recorded with the
  monitor's strace options (see README.md in this folder).

Files are named by the SHA-1 of their content (libFuzzer's convention), so
running it twice adds nothing. Seeds only: the fuzzer's own finds stay in
the working folder scripts/fuzz.sh uses, not here.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
UNIT = os.path.join(ROOT, "tests", "unit")

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def decode(body):
    """C escapes of a string literal's body to bytes."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        i += 1
        e = body[i]
        simple = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, "a": 7,
                  "b": 8, "\\": 92, '"': 34, "'": 39, "?": 63}
        if e in simple:
            out.append(simple[e])
            i += 1
        elif e == "x":
            j = i + 1
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 1:j] or "0", 16) & 0xFF)
            i = j
        elif e in "01234567":
            j = i
            while j < len(body) and j < i + 3 and body[j] in "01234567":
                j += 1
            out.append(int(body[i:j], 8) & 0xFF)
            i = j
        else:
            out += e.encode()
            i += 1
    return bytes(out)


def literals(path):
    """The string literals of a C file, adjacent ones joined."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"^\s*#\s*include.*$", " ", text, flags=re.M)
    found, cur, last_end = [], None, -1
    for m in LITERAL.finditer(text):
        between = text[last_end:m.start()] if last_end >= 0 else "x"
        if cur is not None and between.strip() == "":
            cur += decode(m.group(1))
        else:
            if cur is not None:
                found.append(cur)
            cur = decode(m.group(1))
        last_end = m.end()
    if cur is not None:
        found.append(cur)
    return [s for s in found if s]


def write(target, data, seen):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    if name in seen:
        return
    seen.add(name)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def unit(*names):
    out = []
    for n in names:
        out += literals(os.path.join(UNIT, n))
    return out


def toml_json(texts):
    """JSON of the TOML helper for each TOML text that it accepts."""
    helper = os.path.join(ROOT, "probe", "pyproject_reqs.py")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "pyproject.toml")
        for t in texts:
            with open(p, "wb") as f:
                f.write(t)
            r = subprocess.run([sys.executable, "-I", helper, p],
                               capture_output=True, timeout=60)
            if r.returncode == 0 and r.stdout.strip():
                out.append(r.stdout)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trace", help="a recorded strace trace of an install")
    a = ap.parse_args()
    seen = set()

    for s in unit("test_reqfile.c", "test_input.c"):
        write("reqfile", s, seen)
    for s in unit("test_pep508.c"):
        write("pep508", s, seen)
    vers = unit("test_pep440.c")
    for s in vers:
        write("pep440", b"\n" + s, seen)
        write("pep440", s + b"\n1.0", seen)
    for i in range(0, len(vers) - 1, 2):
        write("pep440", vers[i] + b"\n" + vers[i + 1], seen)
    for s in unit("test_rules.c"):
        write("rules", s, seen)
    with open(os.path.join(ROOT, "rules", "default.rules"), "rb") as f:
        write("rules", f.read(), seen)
    for s in unit("test_pypi.c", "test_cooldown.c"):
        if s.lstrip().startswith(b"{"):
            write("pypi", s, seen)
    data = os.path.join(UNIT, "data")
    for n in sorted(os.listdir(data)):
        if n.startswith("pypi-") and n.endswith(".json"):
            with open(os.path.join(data, n), "rb") as f:
                write("pypi", f.read(), seen)
    tomls = [s for s in unit("test_pyproject.c", "test_input.c")
             if b"[" in s and b"=" in s]
    for j in toml_json(tomls):
        write("pyproject", j, seen)
    for s in unit("test_strace.c", "test_monitor.c", "test_proctree.c"):
        write("strace", s, seen)
    if a.trace:
        with open(a.trace, "rb") as f:
            lines = f.read().split(b"\n")
        per_call = {}
        for ln in lines:
            m = re.match(rb"\d+ +(?:<\.\.\. )?([a-z_0-9]+)", ln)
            key = m.group(1) if m else ln[:12]
            if len(per_call.setdefault(key, [])) < 3:
                per_call[key].append(ln)
        for group in per_call.values():
            for ln in group:
                write("strace", ln, seen)
        step = max(1, len(lines) // 25)
        for i in range(0, len(lines), step):
            write("strace", b"\n".join(lines[i:i + 40]), seen)
    for t in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        n = len(os.listdir(os.path.join(HERE, "corpus", t)))
        print("corpus/%s: %d files" % (t, n))


if __name__ == "__main__":
    main()
