/* scan.c - STUB until the dynamic-scan issue lands: see scan.h. */
#include "scan.h"

int scan_run(const struct options *opts, const struct input *in,
	     struct scan_result *res)
{
	(void)opts;
	(void)in;
	(void)res;
	warnx("dynamic scan: not implemented yet");
	return 0;
}
