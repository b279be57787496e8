/*
 * scan.h - the dynamic scan: install, then import, in a bubblewrap sandbox
 * under strace; stops at the first finding at or above --stop-at.
 */
#ifndef PIPCANARY_SCAN_H
#define PIPCANARY_SCAN_H

#include "model.h"
#include "options.h"

/*
 * Runs the scan of `in` (or, with opts->no_scan, only a monitored
 * `pip install --dry-run --report` resolution) and fills *res (zeroed by the
 * caller): the resolved distributions, findings, notes, timings.
 * The workspace is removed before it returns, whatever happened.
 * Returns 0 when the scan ran (findings or not). Missing bwrap, strace or
 * Python, or an index that cannot be reached: one line and exit 69.
 */
int scan_run(const struct options *opts, const struct input *in,
	     struct scan_result *res);

#endif
