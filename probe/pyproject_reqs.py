"""pyproject_reqs.py FILE - prints the dependency tables of a pyproject.toml
as one JSON object, for pipcanary's pyproject reader (src/pyproject.c).

The C side does not parse TOML: Python's tomllib (3.11+; the tomli package
on older Pythons) does. Only the tables that name dependencies are printed:

    {"project": {...} | null,            # PEP 621 [project]
     "dependency-groups": {...} | null,  # PEP 735
     "poetry": {...} | null}             # [tool.poetry]

Values that are never valid in these tables and that JSON cannot carry
exactly (dates and times, NaN and infinite floats, integers beyond 64 bits)
become {"toml-value": "TEXT"}: an object, so the C side reports them by
their key as the wrong type instead of reading a date as a requirement
string. Deep nesting and any other failure give one "FILE: message" line,
never a traceback. Exit 0 on success; 1 with
"FILE:LINE: message" on stderr for a TOML error; 2 when the file cannot be
read or no TOML parser is available.
"""
import datetime
import os
import sys

# -I leaves the script's folder off sys.path: the shared reader is beside us.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import toml2json  # noqa: E402


def tag(kind, text):
    return {"toml-value": "%s %s" % (kind, text)}


def tag_dates(obj):
    """Dates and times as {"toml-value": ...} (iterative, like json_safe)."""
    dates = (datetime.date, datetime.time, datetime.datetime)
    root = [obj]
    stack = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        v = parent[key]
        if isinstance(v, dates):
            parent[key] = tag("date-time", v.isoformat())
            continue
        items = v.items() if isinstance(v, dict) else \
            enumerate(v) if isinstance(v, list) else ()
        for k, _ in list(items):
            stack.append((v, k))
    return root[0]


def main():
    path = sys.argv[1]
    data, rc = toml2json.load(path)
    if data is None:
        return rc
    tool = data.get("tool")
    if tool is not None and not isinstance(tool, dict):
        sys.stderr.write("%s:1: [tool] must be a table, not %s\n"
                         % (path, type(tool).__name__))
        return 1
    out = {
        "project": data.get("project"),
        "dependency-groups": data.get("dependency-groups"),
        "poetry": tool.get("poetry") if tool else None,
    }
    out = toml2json.json_safe(tag_dates(out), tag)
    toml2json.dump(out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # one line for the C side, never a traceback
        sys.stderr.write("%s: cannot read: %s: %s\n"
                         % (sys.argv[1] if len(sys.argv) > 1 else "pyproject",
                            type(e).__name__, e))
        sys.exit(2)
