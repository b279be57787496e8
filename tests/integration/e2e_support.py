"""Shared by test_lock.py and test_report.py: when an end-to-end run can
happen at all, and a validator for the subset of JSON Schema that
docs/report-schema.json uses.

An end-to-end test needs the fixture index (tests/fixtures/build_index.py
and server.py, started by run.py) and a working scan. Until those land the
tests skip, naming what is missing. Only those two reasons skip: once the
scan is implemented, anything else it does wrong is a failure.
"""
import json
import os
import tempfile

import harness

ROOT = harness.ROOT
SCHEMA = os.path.join(ROOT, "docs", "report-schema.json")

# A package that the fixture index always has: from ../shared/data/dists/ or,
# in a fresh clone, from Debian's python3-wheel-whl (issue 3).
SAFE_REQUIREMENT = "wheel\n"

_ready = None


def _probe():
    if "PIPCANARY_INDEX_URL" not in os.environ:
        return ("the fixture index is not available "
                "(tests/fixtures/build_index.py and server.py are not there yet)")
    with tempfile.TemporaryDirectory(prefix="pipcanary-probe-") as d:
        req = os.path.join(d, "requirements.txt")
        with open(req, "w") as f:
            f.write(SAFE_REQUIREMENT)
        r = harness.run(["-r", req, "--no-audit"] + index_args())
    if "not implemented yet" in r.stderr:
        return "a stage of the pipeline is still a stub: " + r.stderr.strip().splitlines()[0]
    return None


def skip_reason():
    """None when end-to-end runs can happen, else why not (one line)."""
    global _ready
    if _ready is None:
        _ready = [_probe()]
    return _ready[0]


def index_args():
    return ["--index-url", os.environ.get("PIPCANARY_INDEX_URL", ""),
            "--api-url", os.environ.get("PIPCANARY_API_URL", "")]


# ---- JSON Schema subset: type, enum, minimum, required, properties,
# additionalProperties (false), items, $ref "#/$defs/NAME". Any other
# keyword is an error, so the schema cannot rely on something unchecked.

_ANNOTATIONS = {"description", "title", "$schema", "$id", "$defs"}


def _type_ok(t, v):
    return {
        "object": lambda: isinstance(v, dict),
        "array": lambda: isinstance(v, list),
        "string": lambda: isinstance(v, str),
        "integer": lambda: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda: isinstance(v, bool),
        "null": lambda: v is None,
    }[t]()


def validate(doc, schema=None, root=None, at="$"):
    """Returns a list of violations ("where: what"); empty when valid."""
    if root is None:
        with open(SCHEMA) as f:
            root = json.load(f)
        schema = root
    errors = []
    for key, kw in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key == "$ref":
            assert kw.startswith("#/$defs/"), kw
            errors += validate(doc, root["$defs"][kw[8:]], root, at)
        elif key == "type":
            types = [kw] if isinstance(kw, str) else kw
            if not any(_type_ok(t, doc) for t in types):
                errors.append("%s: %r is not %s" % (at, doc, kw))
        elif key == "enum":
            if not any(doc == e and type(doc) is type(e) for e in kw):
                errors.append("%s: %r not in %r" % (at, doc, kw))
        elif key == "minimum":
            if isinstance(doc, (int, float)) and doc < kw:
                errors.append("%s: %r below %r" % (at, doc, kw))
        elif key == "required":
            if isinstance(doc, dict):
                errors += ["%s: missing %s" % (at, k) for k in kw if k not in doc]
        elif key in ("properties", "additionalProperties"):
            if key == "additionalProperties":
                assert kw is False, "only additionalProperties: false is supported"
                continue
            if isinstance(doc, dict):
                for k, v in doc.items():
                    if k in kw:
                        errors += validate(v, kw[k], root, "%s.%s" % (at, k))
                    elif schema.get("additionalProperties") is False:
                        errors.append("%s: unexpected key %s" % (at, k))
        elif key == "items":
            if isinstance(doc, list):
                for i, v in enumerate(doc):
                    errors += validate(v, kw, root, "%s[%d]" % (at, i))
        else:
            raise AssertionError("schema keyword %s is not supported by the "
                                 "test's validator" % key)
    return errors
