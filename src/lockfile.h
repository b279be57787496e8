/*
 * lockfile.h - the hash-locked requirements file (-l FILE).
 */
#ifndef PIPCANARY_LOCKFILE_H
#define PIPCANARY_LOCKFILE_H

#include "model.h"
#include "options.h"

/*
 * Writes opts->lock_file atomically: every scanned distribution pinned
 * (name==version) with --hash=sha256: lines, sorted by normalised name.
 * audit may be NULL (--no-audit): then only the scanned artifact's hash.
 * Returns 0, or -1 after printing one line on stderr (the scanned artifact's
 * hash missing from the API's list, a write error).
 */
int lockfile_write(const struct options *opts, const struct input *in,
		   const struct scan_result *scan,
		   const struct audit_result *audit);

#endif
