/*
 * report.h - what the user reads: the brief's text wording, JSON, SARIF.
 */
#ifndef PIPCANARY_REPORT_H
#define PIPCANARY_REPORT_H

#include "model.h"
#include "options.h"

/* Text: the finding (brief §Suspicious behavior detected) or
 * "All packages appear to be safe!". */
void report_scan_text(FILE *f, const struct options *opts,
		      const struct scan_result *scan);

/* Text: "Auditing N packages...", vulnerabilities, cool-down warnings and
 * the summary (brief §Known vulnerabilities, §Recently uploaded). */
void report_audit_text(FILE *f, const struct options *opts,
		       const struct audit_result *audit);

/* The exit code for these results (DESIGN.md §Exit codes). audit may be
 * NULL. */
int report_exit_code(const struct scan_result *scan,
		     const struct audit_result *audit);

/* One JSON document (docs/report-schema.json) / SARIF 2.1.0 log. */
void report_json(FILE *f, const struct options *opts, const struct input *in,
		 const struct scan_result *scan,
		 const struct audit_result *audit, int exit_code);
void report_sarif(FILE *f, const struct options *opts, const struct input *in,
		  const struct scan_result *scan,
		  const struct audit_result *audit);

#endif
