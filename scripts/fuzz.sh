#!/bin/bash
# fuzz.sh [SECONDS] - `make fuzz FUZZ_SECONDS=N` (default 60): builds every
# fuzz target of tests/fuzz/ with clang -fsanitize=fuzzer,address,undefined
# from the src/*.c files except main.c, runs each for SECONDS with
# libFuzzer (FUZZ_JOBS targets at once, default 2: the machines have 2
# cores), and prints the executions each reached.
#
# Seeds: tests/fuzz/corpus/<target>/ (read only here); what the fuzzer
# finds grows build/fuzz-clang/work/<target>/ (kept between runs). A crash,
# leak or timeout leaves its input in build/fuzz-clang/artifacts/<target>/:
# fix it, then copy the input to tests/fuzz/regressions/<target>/ so that
# `make check` replays it for ever. Exit 1 when any target failed.
#
# Environment: FUZZ_TARGETS="pep440 strace" runs only those; FUZZ_JOBS=N.
set -u
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ -n "$seconds" ] || seconds=60
jobs=${FUZZ_JOBS:-2}
out=build/fuzz-clang
CC=${FUZZ_CC:-clang}

if ! command -v "$CC" >/dev/null; then
	echo "fuzz: $CC not found (Debian: apt-get install clang)" >&2
	exit 69
fi
case $seconds in '' | *[!0-9]*)
	echo "fuzz: FUZZ_SECONDS must be whole seconds, not '$seconds'" >&2
	exit 64 ;;
esac

targets=()
for f in tests/fuzz/fuzz_*.c; do
	t=${f#tests/fuzz/fuzz_}; t=${t%.c}
	if [ -n "${FUZZ_TARGETS:-}" ] && ! grep -qw -- "$t" <<<"$FUZZ_TARGETS"; then
		continue
	fi
	targets+=("$t")
done

# ---- build: the library once (instrumented), then one binary per target
flags=(-std=gnu11 -g -O1 -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
	$(pkg-config --cflags libcurl jansson 2>/dev/null)
	-DPIPCANARY_RULES_DIR="\"$PWD/rules\""
	-DPIPCANARY_PROBE_DIR="\"$PWD/probe\"")
libs=($(pkg-config --libs libcurl jansson 2>/dev/null || echo -lcurl -ljansson) -lm)
mkdir -p "$out/obj" "$out/bin"
objs=()
for src in src/*.c; do
	[ "$src" = src/main.c ] && continue
	obj=$out/obj/$(basename "${src%.c}").o
	objs+=("$obj")
	if [ ! -e "$obj" ] || [ -n "$(find src -name '*.[ch]' -newer "$obj" | head -1)" ]; then
		$CC "${flags[@]}" -fsanitize=fuzzer-no-link -c -o "$obj" "$src" || exit 70
	fi
done
for t in "${targets[@]}"; do
	$CC "${flags[@]}" -fsanitize=fuzzer -Isrc -o "$out/bin/fuzz_$t" \
		"tests/fuzz/fuzz_$t.c" "${objs[@]}" "${libs[@]}" || exit 70
done

# ---- run
max_len() {
	case $1 in
	strace) echo 16384 ;;   # 4 KiB strings (-s 4096) with escapes
	pypi | pyproject) echo 65536 ;;
	*) echo 4096 ;;
	esac
}
run_one() {
	local t=$1 work=$out/work/$1 art=$out/artifacts/$1/ log=$out/logs/$1.log
	mkdir -p "$work" "$art" "$out/logs"
	# -close_fd_mask=3: the targets' own messages (problems printed on
	# stderr by the loaders) are noise; libFuzzer and the sanitizers
	# report on a duplicate of stderr.
	"$out/bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" -close_fd_mask=3 \
		-artifact_prefix="$art" -print_final_stats=1 \
		"$work" "tests/fuzz/corpus/$t" </dev/null >"$log" 2>&1
	local rc=$? execs
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	local cov
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		printf '%-10s %12s executions in %ss, %s, corpus %s files: ok\n' \
			"$t" "${execs:-?}" "$seconds" "${cov:-cov: ?}" \
			"$(ls "$work" | wc -l)"
	else
		printf '%-10s %12s executions: FAILED (exit %d), see %s and %s\n' \
			"$t" "${execs:-?}" "$rc" "$log" "$art"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -5
		return 1
	fi
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at once"
fail=0
running=0
for t in "${targets[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || fail=1
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || fail=1
	running=$((running - 1))
done
[ "$fail" -eq 0 ] && echo "fuzz: no crash, leak or timeout" || echo "fuzz: failures above"
exit "$fail"
