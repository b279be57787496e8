#!/bin/bash
# bench.sh - `make bench`: runs every benchmark of the project (issue 9) and
# prints ONE table: measured value, target, pass/fail. Benchmarks report
# what one run measured on this machine; they are not tests (not part of
# `make check`). The table is also written to build/bench/results.md.
#
#   1. overhead: monitored scan / the same install+import in the same
#      sandbox without strace (PIPCANARY_BENCH_UNMONITORED=1) on the fixture
#      index's real packages (examples/requirements.txt)  tests/bench/bench_scan.py
#      plus, to show where that time goes, strace alone (the monitor's
#      options, output to /dev/null) around `python3 -m venv` + pip install
#      of a local wheel, against the same command untraced
#   2. audit of 200 releases, 50 ms latency: concurrent / sequential
#                                                      tests/bench/bench_audit.sh
#   3. strace line parser throughput on a trace of a real install (recorded
#      here with the monitor's strace options)         tests/bench/bench_strace.c
#   4. fixed cost of a scan of an empty requirements file (median)
#   5. peak memory: audit_run of 200 releases (bench_audit's own max RSS,
#      the code pipcanary runs), and pipcanary's VmHWM during the scan of 1.
#
# BENCH_RUNS=N (default 3) scans of each kind for 1 (4 uses max(5, N)).
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${BENCH_RUNS:-3}
out=build/bench
mkdir -p $out
tmp=$(mktemp -d /tmp/pipcanary-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
libs=$(pkg-config --libs libcurl jansson 2>/dev/null || echo -lcurl -ljansson)
make --no-print-directory BUILD=$out all >/dev/null || exit 70
python3 tests/fixtures/build_index.py --out build/index >/dev/null || exit 70

rows=()
row() { # name measured target verdict
	rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")")
}
verdict() { # value op limit -> "pass" / "FAIL"
	if python3 -c "import sys; v,o,l=float(sys.argv[1]),sys.argv[2],float(sys.argv[3]); sys.exit(0 if (v<=l if o=='le' else v>=l) else 1)" "$1" "$2" "$3"; then
		echo pass
	else
		echo FAIL
	fi
}

# ---- 3. trace parser throughput (recorded trace first: 1 uses it too)
echo "bench: recording a trace of python3 -m venv + pip install (wheel)..." >&2
printf '#include "monitor.h"\n#include <stdio.h>\nint main(void){puts(monitor_trace_set());return 0;}\n' |
	cc -std=gnu11 -Isrc -o $out/trace_set -x c - -x none $out/libpipcanary.a $libs -lm || exit 70
trace_set=$($out/trace_set)
whl=$(ls build/index/files/wheel-*.whl | sort -V | tail -1)
install_cmd=(sh -c 'python3 -m venv "$1/venv" && "$1/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check --no-cache-dir "$2" && "$1/venv/bin/python" -c "import wheel.bdist_wheel"' sh)
strace_opts=(-f --seccomp-bpf -q -yy --decode-pids=pidns -s 4096 -e signal=none "--trace=$trace_set")
timeout 600 strace "${strace_opts[@]}" -o $out/install.trace "${install_cmd[@]}" "$tmp/rec" "$whl" >/dev/null 2>&1 ||
	{ echo "bench: recording the trace failed" >&2; exit 70; }
rm -rf "$tmp/rec"
cc -std=gnu11 -O2 -Isrc -o $out/bench_strace tests/bench/bench_strace.c $out/libpipcanary.a $libs -lm || exit 70
s=$($out/bench_strace $out/install.trace 20) || exit 70
echo "$s" >&2
lps=$(grep -oE '[0-9]+ lines/s' <<<"$s" | head -1 | cut -d' ' -f1)
cpu=$(grep -oE '[0-9]+ lines/s CPU' <<<"$s" | cut -d' ' -f1)
lines=$(wc -l <$out/install.trace)
num() { python3 -c "import sys; print('{:,}'.format(int(sys.argv[1])))" "$1"; }
row "3. trace parser throughput ($lines-line trace of a real install, x20)" \
	"$(num "$lps") lines/s wall${cpu:+, $(num "$cpu") lines/s of CPU time}" \
	">= 1,000,000 lines/s" "$(verdict "$lps" ge 1000000)"

# ---- 1 and 4 (and 5b): whole scans on the fixture index
echo "bench: scans on the fixture index ($runs of each)..." >&2
sc=$(timeout 3600 python3 tests/bench/bench_scan.py $out/pipcanary --runs "$runs") ||
	{ echo "bench: bench_scan.py failed" >&2; exit 70; }
echo "$sc" >&2
field() { awk -F'\t' -v k="$1" -v f="$2" '$1 == k { print $f }' <<<"$sc"; }
ratio=$(field overhead 2)
row "1. monitored scan / unmonitored install+import (setuptools, wheel, Jinja2+MarkupSafe sdist)" \
	"$ratio ($(field overhead 3 | sed 's/ (medians.*//'))" "<= 1.15" "$(verdict "$ratio" le 1.15)"

# Where the overhead goes: pipcanary's own CPU time (reading, attributing,
# matching the trace), and strace alone (no pipcanary, output thrown away)
# around a plain venv + pip install, against the same command untraced.
row "1a. (where it goes) pipcanary's own CPU time during the monitored scan" \
	"$(field cpu 2) s of $(field overhead 3 | sed -n 's/^monitored \([0-9.]*\) s.*/\1/p') s" "(information)" "-"
"${install_cmd[@]}" "$tmp/warm" "$whl" >/dev/null 2>&1 # warm-up
rm -rf "$tmp/warm"
t_plain=0 t_traced=0
for i in 1 2 3; do
	a=$(date +%s.%N)
	if [ $((i % 2)) -eq 1 ]; then
		"${install_cmd[@]}" "$tmp/p$i" "$whl" >/dev/null 2>&1
		b=$(date +%s.%N)
		strace "${strace_opts[@]}" -o /dev/null "${install_cmd[@]}" "$tmp/s$i" "$whl" >/dev/null 2>&1
		c=$(date +%s.%N)
		t_plain=$(python3 -c "print($t_plain + $b - $a)")
		t_traced=$(python3 -c "print($t_traced + $c - $b)")
	else
		strace "${strace_opts[@]}" -o /dev/null "${install_cmd[@]}" "$tmp/s$i" "$whl" >/dev/null 2>&1
		b=$(date +%s.%N)
		"${install_cmd[@]}" "$tmp/p$i" "$whl" >/dev/null 2>&1
		c=$(date +%s.%N)
		t_traced=$(python3 -c "print($t_traced + $b - $a)")
		t_plain=$(python3 -c "print($t_plain + $c - $b)")
	fi
	rm -rf "$tmp/p$i" "$tmp/s$i"
done
sr=$(python3 -c "print('%.2f' % ($t_traced / $t_plain))")
row "1b. (where it goes) strace alone, output to /dev/null / untraced: venv + pip install of a wheel, 3 runs each" \
	"$sr ($(python3 -c "print('%.2f s / %.2f s' % ($t_traced / 3, $t_plain / 3))"))" "(information)" "-"

fixed=$(field fixed 2)
row "4. fixed cost: scan of an empty requirements file (--no-audit)" \
	"$fixed s ($(field fixed 3))" "<= 0.5 s" "$(verdict "$fixed" le 0.5)"

# ---- 2 and 5: the audit
echo "bench: audit of 200 releases with 50 ms latency..." >&2
au=$(timeout 1800 tests/bench/bench_audit.sh 200 50 16 2>&1) || { echo "$au" >&2; echo "bench: bench_audit failed" >&2; exit 70; }
echo "$au" >&2
speed=$(sed -n 's/.*speed-up: \([0-9.]*\)x.*/\1/p' <<<"$au")
conc=$(sed -n 's/.*concurrent (--jobs \([0-9]*\)): *\([0-9.]*\) s.*/\2 s with --jobs \1/p' <<<"$au")
seq=$(sed -n 's/.*sequential (--jobs 1): *\([0-9.]*\) s.*/\1 s/p' <<<"$au")
mem=$(sed -n 's/.*peak memory (max RSS): \([0-9.]*\) MB.*/\1/p' <<<"$au")
row "2. audit of 200 releases, 50 ms latency: concurrent vs sequential" \
	"${speed}x ($conc, $seq sequential)" ">= 12x" "$(verdict "$speed" ge 12)"
row "5. peak memory (max RSS) of the 200-release audit (audit_run in bench_audit)" \
	"$mem MB" "<= 20 MB" "$(verdict "$mem" le 20)"
# Where the audit's time goes: the same audit without added latency shows
# the floor set by the fixture server (Python, one GIL for all requests).
au0=$(timeout 1800 tests/bench/bench_audit.sh 200 0 16 2>&1) || { echo "$au0" >&2; echo "bench: bench_audit (0 ms) failed" >&2; exit 70; }
echo "$au0" >&2
conc0=$(sed -n 's/.*concurrent (--jobs \([0-9]*\)): *\([0-9.]*\) s.*/\2 s/p' <<<"$au0")
seq0=$(sed -n 's/.*sequential (--jobs 1): *\([0-9.]*\) s.*/\1 s/p' <<<"$au0")
row "2a. (where it goes) the same audit with 0 ms added latency: the fixture server's own cost" \
	"$conc0 concurrent, $seq0 sequential" "(information)" "-"
rss=$(field rss 2)
row "5b. peak memory of pipcanary itself during the monitored scan of 1" \
	"$rss MB" "<= 20 MB" "$(verdict "$rss" le 20)"

{
	echo "| Benchmark | Measured | Target | Result |"
	echo "|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) CPU(s), $(uname -sr), $(strace -V | head -1), $(python3 -V)."
} | tee $out/results.md
