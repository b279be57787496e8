/*
 * report.h - what the user reads: the brief's text wording, JSON, SARIF.
 *
 * Text wording is the brief's (seed/how-pipcanary-works.txt, "Example
 * Outputs"), word for word; what the brief does not show (notes, limits,
 * errors, the clean audit) keeps its style. JSON follows
 * docs/report-schema.json; SARIF follows the OASIS SARIF 2.1.0 standard.
 */
#ifndef PIPCANARY_REPORT_H
#define PIPCANARY_REPORT_H

#include "model.h"
#include "options.h"

/*
 * Text: each finding (brief §Suspicious behavior detected), or a limit hit
 * naming the package, or "All packages appear to be safe!". With
 * opts->verbosity > 0 also each finding's exact path, syscall, pid, argv,
 * phase and rule, the notes (findings below --stop-at, scan->messages) and
 * the phase timings. ANSI colours only when opts->color.
 */
void report_scan_text(FILE *f, const struct options *opts,
		      const struct scan_result *scan);

/*
 * Text: "Auditing N packages...", vulnerabilities, cool-down warnings and
 * the summary (brief §Known vulnerabilities, §Recently uploaded), plus
 * ignored advisories, releases not on the index and per-package errors.
 * When there is nothing to report: "No known vulnerabilities were found and
 * no package was uploaded too recently." -q leaves out the "Auditing" line.
 */
void report_audit_text(FILE *f, const struct options *opts,
		       const struct audit_result *audit);

/* The exit code for these results (DESIGN.md §Exit codes): 2 when the scan
 * stopped, else 1 for a reported vulnerability or a cool-down warning that
 * --allow-upload-time does not cover, else 0. audit may be NULL. */
int report_exit_code(const struct scan_result *scan,
		     const struct audit_result *audit);

/* One JSON document (docs/report-schema.json) / SARIF 2.1.0 log, each
 * ending in a newline. The audit part is null when opts->no_audit, when
 * the scan stopped, or when audit is NULL. */
void report_json(FILE *f, const struct options *opts, const struct input *in,
		 const struct scan_result *scan,
		 const struct audit_result *audit, int exit_code);
void report_sarif(FILE *f, const struct options *opts, const struct input *in,
		  const struct scan_result *scan,
		  const struct audit_result *audit);

/* ---- pieces of the text report, shared with the lock file's header ---- */

/* Appends "ID (fixed in A, B), ID2 (no fix available)" (brief). */
void report_add_advisories(struct strbuf *sb, const struct advisory *v,
			   size_t n);
/* Appends "Package Flask:3.1.2 has known vulnerabilities: ... ." (brief;
 * display name, else the normalised name). */
void report_add_vuln_line(struct strbuf *sb, const struct dist_audit *d);
/* Appends "Package MarkupSafe 3.0.3 was updated too recently: <time>."
 * (brief), "upload time unknown" in place of the time when there is none. */
void report_add_cooldown_line(struct strbuf *sb, const struct dist_audit *d);
/* True when d's cool-down is a warning: too recent and not allowed. */
bool report_cooldown_warns(const struct dist_audit *d);

/*
 * Appends s to sb with every control character written as \xNN: C0 bytes
 * 0x00-0x1f, DEL 0x7f and the C1 controls U+0080-U+009F (UTF-8 c2 80 to
 * c2 9f). So text from the scan or the JSON API (untrusted) stays on its
 * line: it cannot add a line to the lock file nor send a terminal escape.
 * Other bytes, UTF-8 included, are copied. s may be NULL (nothing added).
 */
void report_add_printable(struct strbuf *sb, const char *s);
/* True when s holds a character report_add_printable() would escape. */
bool report_has_control(const char *s);

#endif
