/* strace.c - STUB (being written): parses nothing yet. */
#include "strace.h"
#include "util.h"
#include <string.h>

int strace_parse_line(const char *line, size_t len, struct strace_line *out)
{
	(void)line; (void)len;
	memset(out, 0, sizeof(*out));
	out->kind = STRACE_OTHER;
	return -1;
}
void strace_line_clear(struct strace_line *l) { (void)l; }
struct strace_joiner { int dummy; };
struct strace_joiner *strace_joiner_new(void) { return xcalloc(1, sizeof(struct strace_joiner)); }
void strace_joiner_free(struct strace_joiner *j) { free(j); }
int strace_joiner_feed(struct strace_joiner *j, const char *line, size_t len, struct strace_line *out)
{
	(void)j;
	strace_parse_line(line, len, out);
	return 1;
}
