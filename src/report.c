/*
 * report.c - the text report (the brief's wording), JSON
 * (docs/report-schema.json, built with jansson) and SARIF 2.1.0.
 */
#include "report.h"
#include "version.h"

#include <jansson.h>
#include <string.h>

/* ---- small helpers ---- */

#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_YELLOW "\033[1;33m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

/* A colour escape only when colours are on (terminal, no NO_COLOR). */
static const char *col(const struct options *opts, const char *code)
{
	return opts && opts->color ? code : "";
}

/* ---- control characters (defence in depth: the parsers check too) ---- */

static bool is_c1(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

bool report_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (*p < 0x20 || *p == 0x7f || is_c1(p))
			return true;
	return false;
}

void report_add_printable(struct strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(sb, "\\x%02x", *p);
		} else if (is_c1(p)) {
			strbuf_addf(sb, "\\xc2\\x%02x", p[1]);
			p++;
		} else {
			strbuf_addch(sb, (char)*p);
		}
	}
}

/*
 * The text report prints data with printf("%s"): safe(s) returns s, or an
 * escaped copy kept in a pool when s holds a control character. Each
 * public entry point brackets its work with pool_enter()/pool_leave(); the
 * copies live until the outermost one returns.
 */
static struct strvec pool = STRVEC_INIT;
static int pool_depth;

static void pool_enter(void)
{
	pool_depth++;
}

static void pool_leave(void)
{
	if (--pool_depth == 0)
		strvec_clear(&pool);
}

static const char *safe(const char *s)
{
	if (!report_has_control(s))
		return s;
	struct strbuf sb = STRBUF_INIT;
	report_add_printable(&sb, s);
	strvec_push_nodup(&pool, strbuf_detach(&sb));
	return pool.v[pool.nr - 1];
}

static const char *or_unknown(const char *s)
{
	return s && *s ? safe(s) : "(unknown)";
}

static const char *display(const struct dist_audit *d)
{
	if (d->display_name && *d->display_name)
		return safe(d->display_name);
	return or_unknown(d->normalised);
}

/* The newest upload time, or why there is none. */
static const char *upload_of(const struct dist_audit *d)
{
	if (d->cooldown.newest_upload)
		return safe(d->cooldown.newest_upload);
	return d->cooldown.upload_invalid ? "invalid upload time"
					  : "upload time unknown";
}

bool report_cooldown_warns(const struct dist_audit *d)
{
	return d->status == AUDIT_OK && d->cooldown.too_recent &&
	       !d->cooldown.allowed;
}

void report_add_advisories(struct strbuf *sb, const struct advisory *v,
			   size_t n)
{
	pool_enter();
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, or_unknown(v[i].id));
		if (v[i].fixed_in.nr) {
			_cleanup_free_ char *fixed =
				strvec_join(&v[i].fixed_in, ", ");
			strbuf_addf(sb, " (fixed in %s)", safe(fixed));
		} else {
			strbuf_addstr(sb, " (no fix available)");
		}
	}
	pool_leave();
}

void report_add_vuln_line(struct strbuf *sb, const struct dist_audit *d)
{
	pool_enter();
	strbuf_addf(sb, "Package %s:%s has known vulnerabilities: ", display(d),
		    or_unknown(d->version));
	report_add_advisories(sb, d->vulns, d->nr_vulns);
	strbuf_addch(sb, '.');
	pool_leave();
}

void report_add_cooldown_line(struct strbuf *sb, const struct dist_audit *d)
{
	pool_enter();
	strbuf_addf(sb, "Package %s %s was updated too recently: %s.",
		    display(d), or_unknown(d->version), upload_of(d));
	pool_leave();
}

/* ---- text: the scan ---- */

static void finding_details(FILE *f, const struct finding *x)
{
	fprintf(f, "Path: %s\n", or_unknown(x->path));
	fprintf(f, "System call: %s\n", or_unknown(x->syscall));
	fprintf(f, "Process: %d %s\n", x->pid, or_unknown(x->argv));
	fprintf(f, "Phase: %s\n", or_unknown(x->phase));
	fprintf(f, "Rule: %s (category %s, severity %s)\n",
		or_unknown(x->rule_id), or_unknown(x->category),
		severity_name(x->severity));
}

static void notes_text(FILE *f, const struct options *opts,
		       const struct scan_result *scan)
{
	if (!scan->nr_notes && !scan->messages.nr)
		return;
	fprintf(f, "Notes (below the stop level %s):\n",
		severity_name(opts->stop_at));
	for (size_t i = 0; i < scan->nr_notes; i++) {
		const struct finding *x = &scan->notes[i];
		fprintf(f, "  - %s: %s Access to %s in package %s (%s %s, "
			   "phase %s, rule %s).\n",
			severity_name(x->severity), or_unknown(x->description),
			or_unknown(x->shown_path ? x->shown_path : x->path),
			or_unknown(x->package), or_unknown(x->syscall),
			or_unknown(x->path), or_unknown(x->phase),
			or_unknown(x->rule_id));
	}
	for (size_t i = 0; i < scan->messages.nr; i++)
		fprintf(f, "  - %s\n", safe(scan->messages.v[i]));
}

void report_scan_text(FILE *f, const struct options *opts,
		      const struct scan_result *scan)
{
	bool verbose = opts->verbosity > 0;
	pool_enter();
	for (size_t i = 0; i < scan->nr_findings; i++) {
		const struct finding *x = &scan->findings[i];
		fprintf(f, "%sFound suspicious access to %s in package %s.%s\n\n",
			col(opts, C_RED),
			or_unknown(x->shown_path ? x->shown_path : x->path),
			or_unknown(x->package), col(opts, C_RESET));
		fprintf(f, "Description: %s\n", or_unknown(x->description));
		fprintf(f, "Explanation: %s\n", or_unknown(x->explanation));
		if (verbose)
			finding_details(f, x);
		fputc('\n', f);
	}
	if (scan->nr_findings) {
		fprintf(f, "%sThis could be dangerous!!!%s\n", col(opts, C_RED),
			col(opts, C_RESET));
		fputs("Don't install this package under any circumstances until "
		      "you know for sure that this is a false positive!\n"
		      "In doubt, contact the package maintainers!\n\n"
		      "Note that PipCanary immediately kills the scanning "
		      "process once it detects suspicious behavior to prevent "
		      "damage!\n",
		      f);
	}
	if (scan->limit_hit) {
		if (scan->limit_package)
			fprintf(f, "%sPackage %s reached the %s and was stopped: "
				   "the scan is incomplete.%s\n",
				col(opts, C_YELLOW), safe(scan->limit_package),
				safe(scan->limit_hit), col(opts, C_RESET));
		else
			fprintf(f, "%sThe scan reached the %s and was stopped: "
				   "it is incomplete.%s\n",
				col(opts, C_YELLOW), safe(scan->limit_hit),
				col(opts, C_RESET));
	} else if (scan->stopped && !scan->nr_findings) {
		fputs("The scan was stopped before it finished.\n", f);
	}
	if (!scan->nr_findings && !scan->limit_hit && !scan->stopped)
		fprintf(f, "%sAll packages appear to be safe!%s\n",
			col(opts, C_GREEN), col(opts, C_RESET));
	if (verbose) {
		notes_text(f, opts, scan);
		fprintf(f, "Timings: set-up %.1f s, install %.1f s, import "
			   "%.1f s.\n",
			scan->seconds_setup, scan->seconds_install,
			scan->seconds_import);
	}
	pool_leave();
}

/* ---- text: the audit ---- */

static void cooldown_text(FILE *f, const struct options *opts,
			  const struct dist_audit *d)
{
	struct strbuf sb = STRBUF_INIT;
	const struct cooldown *c = &d->cooldown;
	report_add_cooldown_line(&sb, d);
	fprintf(f, "%s%s%s\n", col(opts, C_YELLOW), sb.buf, col(opts, C_RESET));
	if (c->upload_unknown && c->newest_upload && c->upload_invalid)
		fputs("  - A file of this release has an invalid upload time, "
		      "so it is treated as uploaded too recently\n",
		      f);
	else if (c->upload_unknown && c->newest_upload)
		fputs("  - A file of this release has no upload time, so it is "
		      "treated as uploaded too recently\n",
		      f);
	if (c->suggestion && !c->nr_suggestion_vulns) {
		fprintf(f, "  - Consider %s<=%s which has no known "
			   "vulnerabilities\n",
			display(d), safe(c->suggestion));
	} else if (c->suggestion) {
		strbuf_reset(&sb);
		report_add_advisories(&sb, c->suggestion_vulns,
				      c->nr_suggestion_vulns);
		/* No final period: the brief has none here. */
		fprintf(f, "  - The next suitable release %s: %s has known "
			   "vulnerabilities though: %s\n",
			display(d), safe(c->suggestion), sb.buf);
	} else if (c->error) {
		fprintf(f, "  - No older release of %s could be suggested: %s\n",
			display(d), safe(c->error));
	} else {
		fprintf(f, "  - No older release of %s satisfies the "
			   "requirements and was uploaded before the cool-down "
			   "period\n",
			display(d));
	}
	if (c->newest_upload)
		fprintf(f, "  - If you are certain that the latest upload is "
			   "secure, add the following argument: "
			   "--allow-upload-time='%s<=%s'\n",
			display(d), safe(c->newest_upload));
	strbuf_release(&sb);
}

/* Appends "name" or ", name" to a summary list. */
static void list_add(struct strbuf *sb, const char *s)
{
	if (sb->len)
		strbuf_addstr(sb, ", ");
	strbuf_addstr(sb, s);
}

void report_audit_text(FILE *f, const struct options *opts,
		       const struct audit_result *audit)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf vulnerable = STRBUF_INIT, recent = STRBUF_INIT,
		      missing = STRBUF_INIT, failed = STRBUF_INIT;
	struct strvec ignored = STRVEC_INIT;

	pool_enter();
	if (opts->verbosity >= 0)
		fprintf(f, "Auditing %zu package%s...\n", audit->nr,
			audit->nr == 1 ? "" : "s");
	for (size_t i = 0; i < audit->nr; i++) {
		const struct dist_audit *d = &audit->items[i];
		for (size_t k = 0; k < d->ignored.nr; k++)
			strvec_push(&ignored, safe(d->ignored.v[k]));
		if (d->status == AUDIT_NOT_FOUND) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s:%s", display(d),
				    or_unknown(d->version));
			list_add(&missing, sb.buf);
			continue;
		}
		if (d->status == AUDIT_ERROR) {
			fprintf(f, "Package %s:%s could not be audited: %s.\n",
				display(d), or_unknown(d->version),
				or_unknown(d->error));
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s:%s", display(d),
				    or_unknown(d->version));
			list_add(&failed, sb.buf);
			continue;
		}
		if (!d->nr_vulns)
			continue;
		strbuf_reset(&sb);
		report_add_vuln_line(&sb, d);
		fprintf(f, "%s%s%s\n", col(opts, C_RED), sb.buf,
			col(opts, C_RESET));
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s:%s", display(d), or_unknown(d->version));
		list_add(&vulnerable, sb.buf);
	}
	for (size_t i = 0; i < audit->nr; i++) {
		const struct dist_audit *d = &audit->items[i];
		if (report_cooldown_warns(d)) {
			cooldown_text(f, opts, d);
			list_add(&recent, display(d));
		} else if (d->status == AUDIT_OK && d->cooldown.too_recent &&
			   opts->verbosity > 0) {
			fprintf(f, "Package %s %s was uploaded recently (%s) but "
				   "--allow-upload-time accepts it.\n",
				display(d), or_unknown(d->version), upload_of(d));
		}
	}

	bool clean = !vulnerable.len && !recent.len && !missing.len &&
		     !failed.len && !audit->unreachable;
	if (clean)
		fprintf(f, "%sNo known vulnerabilities were found and no package "
			   "was uploaded too recently.%s\n",
			col(opts, C_GREEN), col(opts, C_RESET));
	if (!clean || ignored.nr) {
		fprintf(f, "%sSummary:%s\n", col(opts, C_BOLD),
			col(opts, C_RESET));
		if (vulnerable.len)
			fprintf(f, "  - Vulnerabilities in the following "
				   "package(s) were found: %s.\n",
				vulnerable.buf);
		if (recent.len)
			fprintf(f, "  - The following package(s) were uploaded "
				   "too recently: %s.\n",
				recent.buf);
		if (ignored.nr) {
			_cleanup_free_ char *ids = strvec_join(&ignored, ", ");
			fprintf(f, "  - %zu known vulnerabilit%s ignored "
				   "(--ignore-vuln): %s.\n",
				ignored.nr, ignored.nr == 1 ? "y was" : "ies were",
				ids);
		}
		if (missing.len)
			fprintf(f, "  - The following package(s) are not on the "
				   "index, so they were not audited: %s.\n",
				missing.buf);
		if (failed.len)
			fprintf(f, "  - The following package(s) could not be "
				   "audited: %s.\n",
				failed.buf);
		if (audit->unreachable)
			fprintf(f, "  - The audit is incomplete: %s.\n",
				safe(audit->unreachable));
	}
	if (opts->verbosity > 0)
		fprintf(f, "Timings: audit %.1f s.\n", audit->seconds);
	strbuf_release(&sb);
	strbuf_release(&vulnerable);
	strbuf_release(&recent);
	strbuf_release(&missing);
	strbuf_release(&failed);
	strvec_clear(&ignored);
	pool_leave();
}

int report_exit_code(const struct scan_result *scan,
		     const struct audit_result *audit)
{
	if (scan->stopped)
		return EXIT_MALICIOUS;
	/* An incomplete check is never "nothing found": a package that hit a
	 * limit was not fully watched, a release the API could not describe
	 * was not audited. A 404 (a private package) is a note, not this. */
	if (scan->limit_hit)
		return EXIT_WARNINGS;
	for (size_t i = 0; audit && i < audit->nr; i++) {
		const struct dist_audit *d = &audit->items[i];
		if (d->nr_vulns || report_cooldown_warns(d) ||
		    d->status == AUDIT_ERROR)
			return EXIT_WARNINGS;
	}
	return EXIT_OK;
}

/* ---- JSON ---- */

/*
 * Replaces every byte that does not start a well-formed UTF-8 sequence
 * (RFC 3629: no overlongs, no surrogates, at most U+10FFFF) with U+FFFD:
 * paths and argv come from the trace and may hold any bytes, and JSON
 * strings must be Unicode.
 */
static char *utf8_sanitise(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = 0;
		unsigned int cp = 0, min = 0;
		if (*p < 0x80) {
			strbuf_addch(&sb, *p++);
			continue;
		} else if ((*p & 0xe0) == 0xc0) {
			n = 1, cp = *p & 0x1f, min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2, cp = *p & 0x0f, min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3, cp = *p & 0x07, min = 0x10000;
		}
		bool ok = n > 0;
		for (size_t k = 1; ok && k <= n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				ok = false;
			else
				cp = (cp << 6) | (p[k] & 0x3f);
		}
		if (ok && (cp < min || cp > 0x10ffff ||
			   (cp >= 0xd800 && cp <= 0xdfff)))
			ok = false;
		if (ok) {
			strbuf_add(&sb, p, n + 1);
			p += n + 1;
		} else {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			p++;
		}
	}
	return strbuf_detach(&sb);
}

/* A JSON string of s (null for NULL), never failing on bad bytes. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	_cleanup_free_ char *clean = utf8_sanitise(s);
	j = json_string(clean);
	return j ? j : json_string("(not representable)");
}

static json_t *jstrvec(const struct strvec *sv)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sv->nr; i++)
		json_array_append_new(a, jstr(sv->v[i]));
	return a;
}

static json_t *requirement_json(const struct requirement *r)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:b}",
			 "name", jstr(r->name), "normalised",
			 jstr(r->normalised), "extras", jstrvec(&r->extras),
			 "specifier", jstr(r->specifier), "marker",
			 jstr(r->marker), "url", jstr(r->url), "text",
			 jstr(r->text), "file", jstr(r->file), "line", r->line,
			 "constraint", r->constraint);
}

static json_t *finding_json(const struct finding *x)
{
	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:i, s:o}",
			 "rule_id", jstr(x->rule_id), "category",
			 jstr(x->category), "severity",
			 severity_name(x->severity), "description",
			 jstr(x->description), "explanation",
			 jstr(x->explanation), "package", jstr(x->package),
			 "phase", jstr(x->phase), "syscall", jstr(x->syscall),
			 "shown_path", jstr(x->shown_path), "path",
			 jstr(x->path), "pid", x->pid, "argv", jstr(x->argv));
}

static json_t *advisories_json(const struct advisory *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id",
				     jstr(v[i].id), "aliases",
				     jstrvec(&v[i].aliases), "fixed_in",
				     jstrvec(&v[i].fixed_in), "summary",
				     jstr(v[i].summary), "details",
				     jstr(v[i].details), "link",
				     jstr(v[i].link)));
	return a;
}

static const char *status_name(enum audit_status s)
{
	switch (s) {
	case AUDIT_OK:
		return "ok";
	case AUDIT_NOT_FOUND:
		return "not_found";
	default:
		return "error";
	}
}

static json_t *cooldown_json(const struct dist_audit *d)
{
	const struct cooldown *c = &d->cooldown;
	json_t *suggestion = json_null();
	if (c->suggestion)
		suggestion = json_pack(
			"{s:o, s:o}", "version", jstr(c->suggestion),
			"vulnerabilities",
			advisories_json(c->suggestion_vulns,
					c->nr_suggestion_vulns));
	return json_pack("{s:b, s:b, s:b, s:b, s:o, s:o, s:o}", "too_recent",
			 c->too_recent, "allowed", c->allowed, "warning",
			 report_cooldown_warns(d), "upload_unknown",
			 c->upload_unknown, "newest_upload",
			 jstr(c->newest_upload), "suggestion", suggestion,
			 "error", jstr(c->error));
}

static json_t *audit_json(const struct audit_result *audit)
{
	json_t *pkgs = json_array();
	for (size_t i = 0; i < audit->nr; i++) {
		const struct dist_audit *d = &audit->items[i];
		json_t *files = json_array();
		for (size_t k = 0; k < d->nr_files; k++) {
			const struct release_file *rf = &d->files[k];
			json_array_append_new(
				files,
				json_pack("{s:o, s:o, s:o, s:o, s:b}",
					  "filename", jstr(rf->filename),
					  "packagetype", jstr(rf->packagetype),
					  "sha256", jstr(rf->sha256),
					  "upload_time", jstr(rf->upload_time),
					  "yanked", rf->yanked));
		}
		json_array_append_new(
			pkgs,
			json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, "
				  "s:o}",
				  "normalised", jstr(d->normalised),
				  "display_name", jstr(d->display_name),
				  "version", jstr(d->version), "status",
				  status_name(d->status), "error",
				  jstr(d->error), "vulnerabilities",
				  advisories_json(d->vulns, d->nr_vulns),
				  "ignored", jstrvec(&d->ignored), "files",
				  files, "cool_down", cooldown_json(d)));
	}
	return json_pack("{s:o, s:f, s:o}", "unreachable",
			 jstr(audit->unreachable), "seconds", audit->seconds,
			 "packages", pkgs);
}

/* The audit of distribution d, if there is one. Borrowed. */
static const struct dist_audit *audit_of(const struct audit_result *audit,
					 const struct dist *d)
{
	for (size_t i = 0; audit && i < audit->nr; i++)
		if (audit->items[i].normalised && d->normalised &&
		    !strcmp(audit->items[i].normalised, d->normalised))
			return &audit->items[i];
	return NULL;
}

static bool audit_ran(const struct options *opts,
		      const struct scan_result *scan,
		      const struct audit_result *audit)
{
	return audit && !opts->no_audit && !scan->stopped;
}

void report_json(FILE *f, const struct options *opts, const struct input *in,
		 const struct scan_result *scan,
		 const struct audit_result *audit, int exit_code)
{
	bool audited = audit_ran(opts, scan, audit);
	json_t *reqs = json_array();
	for (size_t i = 0; i < in->nr; i++)
		json_array_append_new(reqs, requirement_json(&in->reqs[i]));

	json_t *resolved = json_array();
	for (size_t i = 0; i < scan->nr_dists; i++) {
		const struct dist *d = &scan->dists[i];
		const struct dist_audit *a = audited ? audit_of(audit, d) : NULL;
		const char *shown = a && a->display_name ? a->display_name
							 : d->name;
		json_array_append_new(
			resolved,
			json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:s, "
				  "s:o}",
				  "name", jstr(d->name), "display_name",
				  jstr(shown), "normalised",
				  jstr(d->normalised), "version",
				  jstr(d->version), "url", jstr(d->url),
				  "sha256", jstr(d->sha256), "is_wheel",
				  d->is_wheel, "kind",
				  d->requested ? "requested" : "dependency",
				  "required_by", jstrvec(&d->required_by)));
	}

	json_t *findings = json_array(), *notes = json_array();
	for (size_t i = 0; i < scan->nr_findings; i++)
		json_array_append_new(findings, finding_json(&scan->findings[i]));
	for (size_t i = 0; i < scan->nr_notes; i++)
		json_array_append_new(notes, finding_json(&scan->notes[i]));
	json_t *limit = json_null();
	if (scan->limit_hit)
		limit = json_pack("{s:o, s:o}", "what", jstr(scan->limit_hit),
				  "package", jstr(scan->limit_package));

	json_t *ignored = json_array();
	double audit_seconds = 0;
	if (audited) {
		audit_seconds = audit->seconds;
		for (size_t i = 0; i < audit->nr; i++)
			for (size_t k = 0; k < audit->items[i].ignored.nr; k++)
				json_array_append_new(
					ignored,
					json_pack("{s:o, s:o}", "package",
						  jstr(audit->items[i].normalised),
						  "id",
						  jstr(audit->items[i]
							       .ignored.v[k])));
	}

	json_t *root = json_pack(
		"{s:{s:s, s:s}, s:{s:o, s:o}, s:{s:o, s:o, s:o}, s:o, "
		"s:{s:b, s:s, s:o, s:o, s:o, s:o}, s:o, s:o, "
		"s:{s:f, s:f, s:f, s:f}, s:i}",
		"tool", "name", "pipcanary", "version", PIPCANARY_VERSION,
		"python", "version", jstr(scan->python_version), "platform",
		jstr(scan->platform),
		"input", "files",
		jstrvec(in->files.nr ? &in->files : &opts->req_files),
		"pip_options", jstrvec(&in->pip_options), "requirements", reqs,
		"resolved", resolved,
		"scan", "stopped", scan->stopped, "stop_at",
		severity_name(opts->stop_at), "limit", limit, "findings",
		findings, "notes", notes, "messages", jstrvec(&scan->messages),
		"audit", audited ? audit_json(audit) : json_null(),
		"ignored", ignored,
		"timings", "setup", scan->seconds_setup, "install",
		scan->seconds_install, "import", scan->seconds_import, "audit",
		audit_seconds,
		"exit_code", exit_code);
	if (!root)
		die(EXIT_INTERNAL, "cannot build the JSON report");
	json_dumpf(root, f, JSON_INDENT(2));
	fputc('\n', f);
	json_decref(root);
}

/* ---- SARIF 2.1.0 ---- */

struct sarif {
	json_t *rules;   /* tool.driver.rules */
	json_t *index;   /* rule id -> index in rules */
	json_t *results;
	const struct options *opts;
	const struct input *in;
	const struct scan_result *scan;
};

/* GitHub code scanning reads properties."security-severity" (0-10). */
static const char *security_severity(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return "9.5";
	case SEV_HIGH:
		return "8.0";
	case SEV_MEDIUM:
		return "5.5";
	case SEV_LOW:
		return "3.0";
	default:
		return "1.0";
	}
}

static const char *sarif_level(enum severity s)
{
	return s >= SEV_HIGH ? "error" : s == SEV_MEDIUM ? "warning" : "note";
}

/* Index of rule id, adding it (built by make()) when new. */
static size_t sarif_rule(struct sarif *s, const char *id, json_t *rule)
{
	json_t *known = json_object_get(s->index, id);
	if (known) {
		json_decref(rule);
		return (size_t)json_integer_value(known);
	}
	size_t i = json_array_size(s->rules);
	json_array_append_new(s->rules, rule);
	json_object_set_new(s->index, id, json_integer((json_int_t)i));
	return i;
}

/*
 * Where a package is in the input: its requirement line, or for a
 * dependency the line of the first requested distribution that pulls it in
 * (breadth-first over required_by). NULL when none is known. Borrowed.
 */
static const struct requirement *locate(const struct sarif *s,
					const char *normalised)
{
	const struct scan_result *scan = s->scan;
	struct strvec queue = STRVEC_INIT;
	const struct requirement *r = NULL;
	if (normalised)
		strvec_push(&queue, normalised);
	for (size_t q = 0; q < queue.nr && !r; q++) {
		r = input_find(s->in, queue.v[q]);
		if (r && !r->file)
			r = NULL;
		for (size_t i = 0; !r && i < scan->nr_dists; i++) {
			const struct dist *d = &scan->dists[i];
			if (!d->normalised || strcmp(d->normalised, queue.v[q]))
				continue;
			for (size_t k = 0; k < d->required_by.nr; k++)
				if (!strvec_contains(&queue, d->required_by.v[k]))
					strvec_push(&queue, d->required_by.v[k]);
		}
	}
	strvec_clear(&queue);
	return r;
}

static json_t *sarif_locations(const struct sarif *s, const char *normalised)
{
	const struct requirement *r = locate(s, normalised);
	const char *file = r ? r->file : NULL;
	int line = r && r->line > 0 ? r->line : 1;
	if (!file) {
		const struct strvec *files =
			s->in->files.nr ? &s->in->files : &s->opts->req_files;
		file = files->nr ? files->v[0] : NULL;
	}
	if (!file)
		return json_array();
	return json_pack("[{s:{s:{s:o}, s:{s:i}}}]", "physicalLocation",
			 "artifactLocation", "uri", jstr(file), "region",
			 "startLine", line);
}

static void sarif_finding(struct sarif *s, const struct finding *x)
{
	const char *id = x->rule_id ? x->rule_id : "unknown";
	json_t *rule = json_pack(
		"{s:o, s:o, s:{s:o}, s:{s:o}, s:{s:s}, s:{s:[o, s], s:s}}",
		"id", jstr(id), "name", jstr(id), "shortDescription", "text",
		jstr(or_unknown(x->description)), "fullDescription", "text",
		jstr(or_unknown(x->explanation)), "defaultConfiguration",
		"level", sarif_level(x->severity), "properties", "tags",
		jstr(or_unknown(x->category)), "security",
		"security-severity", security_severity(x->severity));
	size_t idx = sarif_rule(s, id, rule);
	struct strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, "Found suspicious access to %s in package %s. %s %s",
		    or_unknown(x->shown_path ? x->shown_path : x->path),
		    or_unknown(x->package), or_unknown(x->description),
		    or_unknown(x->explanation));
	json_array_append_new(
		s->results,
		json_pack("{s:o, s:i, s:s, s:{s:o}, s:o, s:{s:o, s:o, s:o, "
			  "s:i, s:o, s:s}}",
			  "ruleId", jstr(id), "ruleIndex", (int)idx,
			  "level", sarif_level(x->severity), "message", "text",
			  jstr(msg.buf), "locations",
			  sarif_locations(s, x->package), "properties", "package",
			  jstr(x->package), "path", jstr(x->path), "syscall",
			  jstr(x->syscall), "pid", x->pid, "phase",
			  jstr(x->phase), "severity",
			  severity_name(x->severity)));
	strbuf_release(&msg);
}

static void sarif_vuln(struct sarif *s, const struct dist_audit *d,
		       const struct advisory *v)
{
	const char *id = or_unknown(v->id);
	struct strbuf text = STRBUF_INIT;
	report_add_advisories(&text, v, 1);
	json_t *rule = json_pack(
		"{s:o, s:o, s:{s:o}, s:{s:o}, s:o, s:{s:s}, s:{s:[s, s], "
		"s:o}}",
		"id", jstr(id), "name", jstr(id), "shortDescription", "text",
		jstr(v->summary ? v->summary : id), "fullDescription", "text",
		jstr(v->details ? v->details : text.buf), "helpUri",
		jstr(v->link), "defaultConfiguration", "level", "warning",
		"properties", "tags", "security", "vulnerability", "aliases",
		jstrvec(&v->aliases));
	if (!v->link)
		json_object_del(rule, "helpUri");
	size_t idx = sarif_rule(s, id, rule);
	struct strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, "Package %s:%s has known vulnerabilities: %s.",
		    display(d), or_unknown(d->version), text.buf);
	json_array_append_new(
		s->results,
		json_pack("{s:o, s:i, s:s, s:{s:o}, s:o, s:{s:o, s:o}}",
			  "ruleId", jstr(id), "ruleIndex", (int)idx,
			  "level", "warning", "message", "text", jstr(msg.buf),
			  "locations", sarif_locations(s, d->normalised),
			  "properties", "package", jstr(display(d)), "version",
			  jstr(d->version)));
	strbuf_release(&msg);
	strbuf_release(&text);
}

static void sarif_cooldown(struct sarif *s, const struct dist_audit *d)
{
	const char *id = "pipcanary/cool-down";
	json_t *rule = json_pack(
		"{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}}", "id", id, "name",
		"CoolDown", "shortDescription", "text",
		"Release uploaded within the cool-down period",
		"fullDescription", "text",
		"New uploads are held back so that malicious releases can be "
		"found and taken down by others first.",
		"defaultConfiguration", "level", "warning");
	size_t idx = sarif_rule(s, id, rule);
	struct strbuf msg = STRBUF_INIT;
	report_add_cooldown_line(&msg, d);
	json_array_append_new(
		s->results,
		json_pack("{s:s, s:i, s:s, s:{s:o}, s:o}", "ruleId", id,
			  "ruleIndex", (int)idx, "level", "warning",
			  "message", "text", jstr(msg.buf), "locations",
			  sarif_locations(s, d->normalised)));
	strbuf_release(&msg);
}

void report_sarif(FILE *f, const struct options *opts, const struct input *in,
		  const struct scan_result *scan,
		  const struct audit_result *audit)
{
	struct sarif s = {json_array(), json_object(), json_array(), opts, in,
			  scan};
	pool_enter();
	for (size_t i = 0; i < scan->nr_findings; i++)
		sarif_finding(&s, &scan->findings[i]);
	for (size_t i = 0; i < scan->nr_notes; i++)
		sarif_finding(&s, &scan->notes[i]);
	if (audit_ran(opts, scan, audit)) {
		for (size_t i = 0; i < audit->nr; i++) {
			const struct dist_audit *d = &audit->items[i];
			for (size_t k = 0; k < d->nr_vulns; k++)
				sarif_vuln(&s, d, &d->vulns[k]);
			if (report_cooldown_warns(d))
				sarif_cooldown(&s, d);
		}
	}
	json_t *root = json_pack(
		"{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
		"https://json.schemastore.org/sarif-2.1.0.json", "version",
		"2.1.0", "runs", "tool", "driver", "name", "PipCanary",
		"version", PIPCANARY_VERSION, "rules", s.rules,
		"results", s.results);
	json_decref(s.index);
	pool_leave();
	if (!root)
		die(EXIT_INTERNAL, "cannot build the SARIF report");
	json_dumpf(root, f, JSON_INDENT(2));
	fputc('\n', f);
	json_decref(root);
}
