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
import os
import sys

# -I leaves the script's folder off sys.path: the shared reader is beside us.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import toml2json  # noqa: E402


def main():
    data, rc = toml2json.load(sys.argv[1])
    if data is None:
        return rc
    tool = data.get("tool")
    out = {
        "project": data.get("project"),
        "dependency-groups": data.get("dependency-groups"),
        "poetry": tool.get("poetry") if isinstance(tool, dict) else None,
    }
    toml2json.dump(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
