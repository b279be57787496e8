#!/bin/sh
# demo.sh - `make demo`: starts the local fixture index and scans the examples.
exec python3 "$(dirname "$0")/demo.py" "$@"
