/* lockfile.c - STUB until the lock issue lands: see lockfile.h. */
#include "lockfile.h"

int lockfile_write(const struct options *opts, const struct input *in,
		   const struct scan_result *scan,
		   const struct audit_result *audit)
{
	(void)opts;
	(void)in;
	(void)scan;
	(void)audit;
	warnx("lock file: not implemented yet");
	return -1;
}
