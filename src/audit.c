/* audit.c - STUB until the audit issue lands: see audit.h. */
#include "audit.h"

int audit_run(const struct options *opts, const struct input *in,
	      const struct scan_result *scan, struct audit_result *res)
{
	(void)opts;
	(void)in;
	(void)scan;
	(void)res;
	warnx("audit: not implemented yet");
	return 0;
}
