"""toml2json.py FILE - prints the TOML file FILE as one JSON document.

Used by pipcanary's config reader ([tool.pipcanary]): the C side does not
parse TOML itself (Python's tomllib is the well-kept parser). Dates and times
become ISO 8601 strings. Exit 0 on success; 1 with "FILE:LINE: message" on
stderr for a TOML error; 2 when the file cannot be read.
"""
import datetime
import json
import re
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.stderr.write("%s: Python 3.11 or newer is needed to read TOML (tomllib)\n" % sys.argv[1])
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
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        line = m.group(1) if m else "1"
        msg = re.sub(r" \(at line \d+, column \d+\)", "", str(e))
        sys.stderr.write("%s:%s: %s\n" % (path, line, msg))
        return 1
    json.dump(data, sys.stdout, default=default)
    return 0


if __name__ == "__main__":
    sys.exit(main())
