"""toml2json.py FILE - prints the TOML file FILE as one JSON document.

Used by pipcanary's config reader ([tool.pipcanary], src/config.c), and as a
module by pyproject_reqs.py: the C side does not parse TOML itself (Python's
tomllib, or the tomli package on older Pythons, is the well-kept parser).
Dates and times become ISO 8601 strings. Exit 0 on success; 1 with
"FILE:LINE: invalid TOML: message" on stderr for a TOML error; 2 when the
file cannot be read or no TOML parser is available.
"""
import datetime
import json
import re
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None


def load(path):
    """Returns (data, 0), or (None, exit code) after one line on stderr."""
    if tomllib is None:
        sys.stderr.write("%s: reading TOML needs Python 3.11 or newer "
                         "(tomllib) or the tomli package\n" % path)
        return None, 2
    try:
        with open(path, "rb") as f:
            return tomllib.load(f), 0
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (path, e.strerror))
        return None, 2
    except RecursionError:
        sys.stderr.write("%s: invalid TOML: arrays or tables nested too "
                         "deeply to read\n" % path)
        return None, 1
    except MemoryError:
        sys.stderr.write("%s: invalid TOML: too large to read\n" % path)
        return None, 1
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        text = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", text)
        line = m.group(1) if m else "1"
        text = re.sub(r" \(at line \d+, column \d+\)", "", text)
        text = re.sub(r" \(at end of document\)", " (at the end of the file)", text)
        sys.stderr.write("%s:%s: invalid TOML: %s\n" % (path, line, text))
        return None, 1


def _default(o):
    if isinstance(o, (datetime.date, datetime.time, datetime.datetime)):
        return o.isoformat()
    raise TypeError(type(o).__name__)


INT64 = (-(1 << 63), (1 << 63) - 1)


def json_safe(obj, odd=None):
    """Returns obj with what JSON readers (jansson) refuse replaced: NaN and
    infinite floats, integers beyond 64 bits. odd(kind, text) gives the
    replacement (default: the TOML text as a string, which a reader wanting
    a number refuses by its type). Iterative: nesting depth costs no stack.
    Dates and times are left to dump()."""
    if odd is None:
        def odd(kind, text):
            return text
    def fix(v):
        if isinstance(v, bool):
            return v
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            return odd("float", repr(v))
        if isinstance(v, int) and not INT64[0] <= v <= INT64[1]:
            return odd("integer", str(v))
        return v
    root = [fix(obj)]
    stack = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        v = parent[key]
        items = v.items() if isinstance(v, dict) else \
            enumerate(v) if isinstance(v, list) else ()
        for k, c in list(items):
            v[k] = fix(c)
            if isinstance(v[k], (dict, list)):
                stack.append((v, k))
    return root[0]


def dump(obj):
    """Prints obj as JSON on stdout (TOML dates as ISO 8601 strings, NaN,
    infinities and integers beyond 64 bits as their TOML text)."""
    obj = json_safe(obj)
    try:
        json.dump(obj, sys.stdout, default=_default, allow_nan=False)
    except RecursionError:
        sys.stdout.write("null")  # unreachable after load() at tomllib's depth


def main():
    data, rc = load(sys.argv[1])
    if data is not None:
        dump(data)
    return rc


if __name__ == "__main__":
    sys.exit(main())
