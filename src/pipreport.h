/*
 * pipreport.h - reads pip's installation report (`pip install --report FILE`,
 * format version "1": https://pip.pypa.io/en/stable/reference/installation-report/)
 * into the scan's list of distributions.
 *
 * The report is written inside the sandbox, where package code ran: it is
 * untrusted input. Every field is type-checked; a malformed report gives one
 * message, never a crash.
 */
#ifndef PIPCANARY_PIPREPORT_H
#define PIPCANARY_PIPREPORT_H

#include "model.h"

/*
 * Parses the report (json, len bytes) and appends one struct dist per
 * "install" item to res->dists, in the report's order:
 *   name, version      <- metadata.name, metadata.version (required)
 *   normalised         <- PEP 503 form of the name
 *   url                <- download_info.url
 *   sha256             <- download_info.archive_info.hashes.sha256, else the
 *                         legacy archive_info.hash "sha256=<hex>"; NULL for
 *                         a local folder or VCS checkout (no archive) or a
 *                         value that is not 64 hex digits
 *   is_wheel           <- the URL's path ends in ".whl"
 *   requested          <- "requested"
 *   requires_dist      <- metadata.requires_dist, as written
 *   required_by        <- normalised names of the other reported
 *                         distributions whose requires_dist names this one
 *                         and applies (marker evaluated in the report's
 *                         "environment", with the extras requested of the
 *                         requiring distribution: by `in`, when not NULL, or
 *                         by another distribution's requirement)
 * The distributions are appended sorted by normalised name.
 * When the report also names "environment", res->python_version and
 * res->platform are filled if still NULL ("3.11.7", "linux-x86_64").
 * Returns 0, or -1 with *err set to one line (caller frees); res->dists is
 * then unchanged.
 */
int pipreport_parse(const char *json, size_t len, const struct input *in,
		    struct scan_result *res, char **err);

#endif
