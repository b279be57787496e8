/*
 * monitor.h - runs a command under strace (outside the sandbox), reads the
 * trace live from a pipe, keeps the process tree, attributes every event to a
 * package and phase, matches the rules, kills the whole sandbox on a finding
 * at or above stop_at, or at the time limit.
 */
#ifndef PIPCANARY_MONITOR_H
#define PIPCANARY_MONITOR_H

#include "model.h"

#include <stdbool.h>
#include <stdio.h>

struct ruleset; /* rules.h */

struct monitor_config {
	const char *phase;               /* "install", "resolve" or "import" */
	const char *home;                /* sandbox home path, e.g. "/home/u" */
	const struct ruleset *rules;     /* rules.h */
	enum severity stop_at;
	const char *const *allowed_peers;/* NULL-terminated "127.0.0.1:8080", resolver "x:53" */
	double timeout;                  /* seconds of wall time for this run */
	FILE *trace_copy;                /* --keep-trace: every raw line appended, or NULL */
	const char *build_root;          /* install: where pip unpacks sdists
	                                    (the sandbox path of pip's TMPDIR) */
	/* Called with the host pid of the sandbox's pid-namespace init (from
	 * bwrap --info-fd) once known; the monitor kills with kill(pid, SIGKILL),
	 * which ends the whole pid namespace. Set by the scan engineer's code. */
	int info_fd;                     /* read end of bwrap --info-fd pipe, or -1 */
};

struct monitor_outcome {
	bool finding;          /* stopped on a finding (res->findings has it) */
	bool timed_out;        /* the time limit hit; res->limit_hit says which */
	int exit_status;       /* of the traced command (bwrap), -1 if killed */
	long long lines;       /* trace lines read */
};

/*
 * Runs argv (bwrap ... -- command) under `strace -f --seccomp-bpf -qq -yy
 * -s 4096 -e trace=<set>` with the trace on a pipe. Appends findings
 * (>= stop_at) and notes (< stop_at) to res, with package and phase filled:
 * install phase: the sdist being built (from the build process's cwd or
 * argv under build_root), otherwise "pip"; import phase: the distribution
 * named by the probe's argv ("import_probe.py DIST"), or ".pth at interpreter
 * start" for the bare start (argv "-c pass" / probe "--startup"). Returns 0,
 * or -1 if strace could not be started (message printed). No process of
 * the sandbox is alive when it returns.
 */
int monitor_run(const char *const *argv, const struct monitor_config *cfg,
		struct scan_result *res, struct monitor_outcome *out);

/*
 * Kills the running sandbox (if any) at once: for signal handlers (async
 * signal safe).
 */
void monitor_kill_current(void);

#endif
