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


def dump(obj):
    """Prints obj as JSON on stdout (TOML dates as ISO 8601 strings)."""
    json.dump(obj, sys.stdout, default=_default)


def main():
    data, rc = load(sys.argv[1])
    if data is not None:
        dump(data)
    return rc


if __name__ == "__main__":
    sys.exit(main())
