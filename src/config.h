/*
 * config.h - [tool.pipcanary] settings (issue "Everyday use", Configuration).
 *
 * Read from --config FILE, or else from the first pyproject.toml given with
 * -r that has a [tool.pipcanary] table. TOML is read by Python's tomllib
 * through probe/toml2json.py (we do not parse TOML in C). Keys:
 *
 *   cool-down = 14                       (days; like --cool-down)
 *   stop-at = "high"                     (like --stop-at)
 *   index-url = "https://..."            (like --index-url)
 *   rules = ["extra.rules"]              (like --rules; relative to the file)
 *   allow-upload-time = ["Name<=2025-09-27T18:37:40",
 *       {value = "Name<=...", expires = 2026-05-01, reason = "..."}]
 *   ignore-vuln = ["GHSA-...",
 *       {id = "PYSEC-...", expires = 2026-12-31, reason = "..."}]
 *
 * The command line wins: a scalar set there is not overridden; list entries
 * from the config are added to the command line's. An entry whose `expires`
 * date (UTC, the whole day counts) is before --now stops applying, and a
 * line on stderr says so.
 */
#ifndef PIPCANARY_CONFIG_H
#define PIPCANARY_CONFIG_H

#include "options.h"

/*
 * Applies the configuration to *opts. Returns 0 (also when there is no
 * configuration), or the number of problems after printing each as
 * "FILE: tool.pipcanary.KEY: what is wrong" on stderr (the caller exits 64).
 */
int config_apply(struct options *opts);

/*
 * Applies an already decoded TOML document, given as JSON text (what
 * probe/toml2json.py prints), read from `file` (for messages and relative
 * rule paths): its tool.pipcanary table; or, when own_file (the --config
 * file) and the document is not a pyproject.toml (no [tool], [project],
 * [build-system] or [dependency-groups]), its top level. Same returns as
 * config_apply.
 */
int config_apply_json(struct options *opts, const char *file,
		      const char *json_text, bool own_file);

#endif
