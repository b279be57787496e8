/*
 * fuzz_strace.c - the strace line parser and joiner (strace.h) on
 * attacker-shaped lines: file names with quotes, escapes, newlines,
 * invalid UTF-8, 4 KiB+ strings, truncated "...". The input is split into
 * lines at '\n' (as the monitor does); each line goes through
 * strace_parse_line() and, in order, through one joiner (so unfinished /
 * resumed pairs meet); on every parsed syscall the monitor's helpers run
 * on each argument: open flags, sockaddr peer, fd peer, string arrays.
 */
#include "fuzz.h"
#include "strace.h"
#include "util.h"

static void use_line(const struct strace_line *l)
{
	for (size_t i = 0; i < l->nr_args; i++) {
		const struct strace_arg *a = &l->args[i];
		char *out = NULL;
		(void)strace_open_access(a->raw);
		if (strace_sockaddr_peer(a->raw, &out) == 0)
			free(out);
		out = NULL;
		if (a->fd_path && strace_fd_peer(a->fd_path, &out) == 0)
			free(out);
		struct strvec sv = STRVEC_INIT;
		bool truncated = false;
		(void)strace_arg_strings(a, &sv, &truncated);
		strvec_clear(&sv);
	}
	char *out = NULL;
	if (l->ret_fd_path && strace_fd_peer(l->ret_fd_path, &out) == 0)
		free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct strace_joiner *j = strace_joiner_new();
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* An exact-size copy: reads past the line are caught. */
		char *line = xmalloc(n ? n : 1);
		memcpy(line, p, n);

		struct strace_line l;
		memset(&l, 0, sizeof(l));
		if (strace_parse_line(line, n, &l) == 0)
			use_line(&l);
		strace_line_clear(&l);

		memset(&l, 0, sizeof(l));
		if (strace_joiner_feed(j, line, n, &l) == 1) {
			use_line(&l);
			strace_line_clear(&l);
		}
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	strace_joiner_free(j);
	return 0;
}
