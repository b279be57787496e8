"""pyproject_reqs.py FILE - prints the dependency tables of a pyproject.toml
as one JSON object, for pipcanary's pyproject reader (src/pyproject.c).

The C side does not parse TOML: Python's tomllib (3.11+; the tomli package
on older Pythons) does. Only the tables that name dependencies are printed:

    {"project": {...} | null,            # PEP 621 [project]
     "dependency-groups": {...} | null,  # PEP 735
     "poetry": {...} | null}             # [tool.poetry]

Dates and times become ISO 8601 strings. Exit 0 on success; 1 with
"FILE:LINE: message" on stderr for a TOML error; 2 when the file cannot be
read or no TOML parser is available.
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
        sys.stderr.write("%s: reading pyproject.toml needs Python 3.11 or newer "
                         "(tomllib) or the tomli package\n" % sys.argv[1])
        sys.exit(2)


def default(o):
    if isinstance(o, (datetime.date, datetime.time, datetime.datetime)):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def main():
    path = sys.argv[1]
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (path, e.strerror))
        return 2
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        text = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", text)
        line = m.group(1) if m else "1"
        text = re.sub(r" \(at line \d+, column \d+\)", "", text)
        text = re.sub(r" \(at end of document\)", " (at the end of the file)", text)
        sys.stderr.write("%s:%s: invalid TOML: %s\n" % (path, line, text))
        return 1
    tool = data.get("tool")
    out = {
        "project": data.get("project"),
        "dependency-groups": data.get("dependency-groups"),
        "poetry": tool.get("poetry") if isinstance(tool, dict) else None,
    }
    json.dump(out, sys.stdout, default=default)
    return 0


if __name__ == "__main__":
    sys.exit(main())
