#!/bin/bash
# bench_audit.sh - benchmark of the vulnerability audit (not a test):
# 200 releases audited against the fixture server with 50 ms added latency
# per request (/fault/latency-50/), concurrent (--jobs 16) beside
# sequential (--jobs 1); target >= 12x, and peak memory <= 20 MB.
#
#   tests/bench/bench_audit.sh [N [LATENCY_MS [JOBS]]]
# BENCH_SERVER=PATH runs another server script (same interface) instead of
# tests/fixtures/server.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200} latency=${2:-50} jobs=${3:-16}
build=build/bench
make --no-print-directory BUILD=$build all >/dev/null
cc -std=gnu11 -O2 -Isrc -o $build/bench_audit tests/bench/bench_audit.c \
	$build/libpipcanary.a $(pkg-config --libs libcurl jansson) -lm
python3 tests/fixtures/build_index.py --out $build/index >/dev/null

tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
python3 ${BENCH_SERVER:-tests/fixtures/server.py} --root $build/index --port-file "$tmp/port" \
	>/dev/null 2>&1 &
server=$!
for _ in $(seq 300); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

# Every release of the index that has a per-version JSON answer, repeated
# until there are n (the same release twice is still two requests).
python3 - "$build/index" "$n" >"$tmp/list" <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
pairs = []
for name in sorted(os.listdir(os.path.join(root, "pypi"))):
    d = os.path.join(root, "pypi", name)
    for v in sorted(os.listdir(d)):
        if os.path.isfile(os.path.join(d, v, "json")):
            pairs.append("%s %s" % (name, v))
print("\n".join((pairs * (n // len(pairs) + 1))[:n]))
PY
$build/bench_audit "http://127.0.0.1:$port/fault/latency-$latency/pypi" "$tmp/list" "$jobs"
