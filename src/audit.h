/*
 * audit.h - vulnerabilities and cool-down of every installed release, from
 * the PyPI JSON API (GET <api-url>/<name>/<version>/json and
 * <api-url>/<name>/json), requested concurrently (pypi.h).
 */
#ifndef PIPCANARY_AUDIT_H
#define PIPCANARY_AUDIT_H

#include "model.h"
#include "options.h"

/*
 * Fills *res (zeroed by the caller) with one item per scan->dists entry, in
 * that order. Returns 0; when the API could not be reached at all sets
 * res->unreachable ("cannot reach URL: reason") and returns -1 (the caller
 * exits 69 after printing what it has).
 */
int audit_run(const struct options *opts, const struct input *in,
	      const struct scan_result *scan, struct audit_result *res);

#endif
