/*
 * bench_strace.c - benchmark (not a test) of the strace line parser.
 * Reads a trace file (strace -f -yy output) into memory, then parses every
 * line through the joiner REPEAT times and prints lines/s.
 *   cc -O2 -Isrc tests/bench/bench_strace.c build/libpipcanary.a -o bench
 *   ./bench trace.txt [repeat]
 * A corpus like the monitor's input:
 *   strace -f --seccomp-bpf -q -yy -s 4096 -e signal=none \
 *     --trace="$(monitor's trace_set)" -o venv.txt python3 -m venv /tmp/v
 * Target (issue 5): >= 1,000,000 lines/s.
 */
#include "strace.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s TRACE [REPEAT]\n", argv[0]);
		return 64;
	}
	long repeat = 20;
	if (argc > 2 && !parse_long(argv[2], 1, 1000000, &repeat)) {
		fprintf(stderr, "bad REPEAT: %s\n", argv[2]);
		return 64;
	}
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, argv[1], 0) < 0) {
		perror(argv[1]);
		return 66;
	}
	long long lines = 0, syscalls = 0, other = 0;
	double t0 = now_monotonic();
	clock_t c0 = clock();
	for (long r = 0; r < repeat; r++) {
		struct strace_joiner *j = strace_joiner_new();
		const char *p = sb.buf, *end = sb.buf + sb.len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			struct strace_line l;
			if (strace_joiner_feed(j, p, n, &l)) {
				if (l.kind == STRACE_SYSCALL)
					syscalls++;
				else if (l.kind == STRACE_OTHER)
					other++;
				strace_line_clear(&l);
			}
			lines++;
			p += n + 1;
		}
		strace_joiner_free(j);
	}
	double dt = now_monotonic() - t0;
	/* CPU time too: the build machines are shared, so wall time alone
	 * mostly measures the neighbours */
	double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
	printf("%lld lines in %.3f s: %.0f lines/s wall, %.0f lines/s CPU (%lld complete syscalls, %lld not understood)\n",
	       lines, dt, dt > 0 ? (double)lines / dt : 0.0,
	       cpu > 0 ? (double)lines / cpu : 0.0, syscalls, other);
	strbuf_release(&sb);
	return 0;
}
