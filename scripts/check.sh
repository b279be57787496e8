#!/bin/bash
# check.sh - runs every test of `make check` and ends with one line
# "N passed, N failed" (", N skipped" when any). Called by the Makefile after
# both builds (build/ and build/asan/) are made.
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 skipped=0
failures=()

# cmocka binaries print "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
run_cmocka() {
	local bin=$1 out rc p f
	out=$(timeout 600 "$bin" 2>&1)
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -1)
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or sanitizer report: count the binary as one failure
	fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$bin")
		echo "$out" | grep -vE '^\[ (RUN|      OK) ' | tail -40
	fi
	printf '%-45s %3d passed, %d failed\n' "$bin" "$p" "$f"
}

for bin in build/tests/test_* build/asan/tests/test_*; do
	[ -x "$bin" ] && [ ! -d "$bin" ] || continue
	case $bin in *.d) continue ;; esac
	run_cmocka "$bin"
done

# Fuzz targets (tests/fuzz/): each replays its seed corpus and crash
# regressions, plain and sanitizer build; one target counts as one test.
for bin in build/fuzz/replay_* build/asan/fuzz/replay_*; do
	[ -x "$bin" ] && [ ! -d "$bin" ] || continue
	case $bin in *.d) continue ;; esac
	name=${bin##*/replay_}
	if out=$(timeout 600 "$bin" "tests/fuzz/corpus/$name" \
		"tests/fuzz/regressions/$name" </dev/null 2>&1); then
		passed=$((passed + 1))
		printf '%-45s %s\n' "$bin" "$(tail -1 <<<"$out")"
	else
		failed=$((failed + 1)); failures+=("$bin")
		echo "$out" | tail -40
		printf '%-45s FAILED\n' "$bin"
	fi
done

# Lint (cppcheck) counts as one test.
if make --no-print-directory lint >/tmp/pipcanary-lint.$$ 2>&1; then
	passed=$((passed + 1)); echo "lint: clean"
else
	failed=$((failed + 1)); failures+=("lint"); cat /tmp/pipcanary-lint.$$
fi
rm -f /tmp/pipcanary-lint.$$

# Integration tests (Python unittest) print "integration: N passed, N failed,
# N skipped" as their last line; the sanitizer build runs the smoke subset.
run_integration() {
	local out rc line p f s
	out=$(python3 tests/integration/run.py "$@" 2>&1)
	rc=$?
	echo "$out" | tail -60
	line=$(grep -E '^integration: [0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1)
	p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		f=$((f + 1)); failures+=("integration $*")
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}
run_integration --binary build/pipcanary
run_integration --binary build/asan/pipcanary --smoke

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
