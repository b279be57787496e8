/*
 * runcmd.h - run a helper program and capture what it prints (after git's
 * run-command.h).
 *
 * For the small trusted helpers PipCanary runs on the host (the TOML
 * readers in probe/, `python3 -c` queries). Package code never runs through
 * this: it runs only in the sandbox (sandbox.h, monitor.h).
 */
#ifndef PIPCANARY_RUNCMD_H
#define PIPCANARY_RUNCMD_H

#include "util.h"

/*
 * Runs argv (argv[0] looked up in PATH), stdin from /dev/null. Its stdout
 * is appended to *out and its stderr to *err (either may be NULL: stdout is
 * then discarded, stderr inherited). Each stream is capped at max_bytes
 * (0 = 64 MiB): past it the child is killed and EFBIG reported.
 * Returns the exit status (0-255), 128+N when killed by signal N, or -1 with
 * errno set when it could not be run (ENOENT: no such program) or its
 * output was too large (EFBIG).
 */
int run_capture(const char *const *argv, struct strbuf *out,
		struct strbuf *err, size_t max_bytes);

#endif
