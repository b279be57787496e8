/* monitor.c - strace runner, process tree, attribution, kill (monitor.h).
 * STUB: being written; monitor_run() refuses until then. */
#include "monitor.h"

int monitor_run(const char *const *argv, const struct monitor_config *cfg,
		struct scan_result *res, struct monitor_outcome *out)
{
	(void)argv; (void)cfg; (void)res;
	if (out)
		*out = (struct monitor_outcome){.exit_status = -1};
	warnx("monitor: not implemented yet");
	return -1;
}

void monitor_kill_current(void)
{
}
