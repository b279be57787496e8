/* Unit tests of report.c: the text report against the brief's example
 * outputs word for word (seed/how-pipcanary-works.txt, copied here), exit
 * codes, JSON validated against docs/report-schema.json, and SARIF. */
#include "testutil.h"
#include "model_builders.h"
#include "options.h"
#include "report.h"

#include <jansson.h>

/* ---- helpers ---- */

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

/* Closes the stream; the text stays in c->buf (free it). */
static const char *cap_close(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static void default_opts(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->stop_at = SEV_MEDIUM;
	o->lock_hashes = LOCK_HASHES_ALL;
}

static struct finding *add_finding(struct finding **v, size_t *n,
				   size_t *alloc, const char *package)
{
	GROW(*v, *alloc, *n + 1);
	struct finding *x = &(*v)[(*n)++];
	memset(x, 0, sizeof(*x));
	x->rule_id = xstrdup("ssh-private-key");
	x->category = xstrdup("credentials");
	x->severity = SEV_CRITICAL;
	x->description = xstrdup("SSH private key exfiltration.");
	x->explanation = xstrdup("The package might be trying to steal your "
				 "Secure Shell private keys.");
	x->shown_path = xstrdup("/home/sebastian/.ssh");
	x->path = xstrdup("/home/sebastian/.ssh/id_rsa");
	x->syscall = xstrdup("openat");
	x->package = xstrdup(package);
	x->phase = xstrdup("build");
	x->pid = 4242;
	x->argv = xstrdup("python3 setup.py egg_info");
	return x;
}

static const char brief_finding[] =
	"Found suspicious access to /home/sebastian/.ssh in package evilpack.\n"
	"\n"
	"Description: SSH private key exfiltration.\n"
	"Explanation: The package might be trying to steal your Secure Shell "
	"private keys.\n"
	"\n"
	"This could be dangerous!!!\n"
	"Don't install this package under any circumstances until you know for "
	"sure that this is a false positive!\n"
	"In doubt, contact the package maintainers!\n"
	"\n"
	"Note that PipCanary immediately kills the scanning process once it "
	"detects suspicious behavior to prevent damage!\n";

/* ---- text: the scan ---- */

static void test_scan_safe(void **state)
{
	struct options o;
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	tb_dist(&s, "Jinja2", "3.1.2", NULL, true, NULL);
	report_scan_text(cap_open(&c), &o, &s);
	assert_string_equal(cap_close(&c), "All packages appear to be safe!\n");
	free(c.buf);
	assert_int_equal(report_exit_code(&s, NULL), 0);
	scan_result_clear(&s);
}

static void test_scan_finding_as_in_the_brief(void **state)
{
	struct options o;
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	add_finding(&s.findings, &s.nr_findings, &s.alloc_findings,
		    "evilpack");
	s.stopped = true;
	report_scan_text(cap_open(&c), &o, &s);
	assert_string_equal(cap_close(&c), brief_finding);
	free(c.buf);
	assert_int_equal(report_exit_code(&s, NULL), 2);
	scan_result_clear(&s);
}

static void test_scan_finding_verbose_has_details_and_notes(void **state)
{
	struct options o;
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	o.verbosity = 1;
	add_finding(&s.findings, &s.nr_findings, &s.alloc_findings,
		    "evilpack");
	struct finding *n =
		add_finding(&s.notes, &s.nr_notes, &s.alloc_notes, "requests");
	n->severity = SEV_LOW;
	n->phase[0] = 'x'; /* "xuild": shows the note's own phase is used */
	strvec_push(&s.messages, "import of optional module foo failed: "
				 "No module named 'bar'");
	s.stopped = true;
	s.seconds_install = 12.34;
	report_scan_text(cap_open(&c), &o, &s);
	const char *out = cap_close(&c);
	/* The brief's lines, with the details between Explanation and the
	 * warning. */
	assert_non_null(strstr(out, "Explanation: The package might be trying "
				    "to steal your Secure Shell private keys.\n"
				    "Path: /home/sebastian/.ssh/id_rsa\n"
				    "System call: openat\n"
				    "Process: 4242 python3 setup.py egg_info\n"
				    "Phase: build\n"
				    "Rule: ssh-private-key (category "
				    "credentials, severity critical)\n\n"
				    "This could be dangerous!!!\n"));
	assert_non_null(strstr(out, "Notes (below the stop level medium):\n"
				    "  - low: SSH private key exfiltration. "
				    "Access to /home/sebastian/.ssh in package "
				    "requests (openat /home/sebastian/.ssh/"
				    "id_rsa, phase xuild, rule "
				    "ssh-private-key).\n"
				    "  - import of optional module foo failed: "
				    "No module named 'bar'\n"));
	assert_non_null(strstr(out, "install 12.3 s"));
	free(c.buf);

	/* Without -v: no notes, no details. */
	o.verbosity = 0;
	report_scan_text(cap_open(&c), &o, &s);
	assert_string_equal(cap_close(&c), brief_finding);
	free(c.buf);
	scan_result_clear(&s);
}

static void test_scan_limit_names_the_package(void **state)
{
	struct options o;
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	s.limit_hit = xstrdup("install phase time limit (600 s)");
	s.limit_package = xstrdup("slowpack");
	report_scan_text(cap_open(&c), &o, &s);
	assert_string_equal(cap_close(&c),
			    "Package slowpack reached the install phase time "
			    "limit (600 s) and was stopped: the scan is "
			    "incomplete.\n");
	free(c.buf);
	/* An incomplete scan is not "nothing found". */
	assert_int_equal(report_exit_code(&s, NULL), 1);
	scan_result_clear(&s);
}

static void test_colours_only_when_asked(void **state)
{
	struct options o;
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	add_finding(&s.findings, &s.nr_findings, &s.alloc_findings,
		    "evilpack");
	s.stopped = true;
	o.color = true;
	report_scan_text(cap_open(&c), &o, &s);
	assert_non_null(strstr(cap_close(&c),
			       "\033[1;31mFound suspicious access to "
			       "/home/sebastian/.ssh in package evilpack."
			       "\033[0m\n"));
	free(c.buf);
	o.color = false;
	report_scan_text(cap_open(&c), &o, &s);
	assert_null(strchr(cap_close(&c), '\033'));
	free(c.buf);
	scan_result_clear(&s);
}

/* ---- text: the audit ---- */

/* The brief's "Known vulnerabilities detected" example: 9 packages. */
static void vulns_world(struct audit_result *a)
{
	static const char *const clean[] = {"Jinja2", "MarkupSafe",
					     "Werkzeug", "click",
					     "itsdangerous", "blinker",
					     "setuptools"};
	struct dist_audit *d = tb_audit(a, "Flask", "3.1.2", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "GHSA-68rp-wp8r-4726", "3.1.3", NULL);
	for (size_t i = 0; i < 4; i++)
		tb_audit(a, clean[i], "1.0", NULL);
	d = tb_audit(a, "Pygments", "1.1", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "PYSEC-2021-141", "2.7.4", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "GHSA-pq64-v7f5-gqh8", "2.7.4", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "PYSEC-2023-117", "2.15.1", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "GHSA-mrwq-x4v8-fh7p", "2.15.0", NULL);
	tb_vuln(&d->vulns, &d->nr_vulns, "GHSA-5239-wwwm-4pmq", "2.20.0", NULL);
	for (size_t i = 4; i < 7; i++)
		tb_audit(a, clean[i], "1.0", NULL);
}

static void test_audit_vulnerabilities_as_in_the_brief(void **state)
{
	struct options o;
	struct audit_result a = {0};
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	vulns_world(&a);
	assert_int_equal(a.nr, 9);
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(
		cap_close(&c),
		"Auditing 9 packages...\n"
		"Package Flask:3.1.2 has known vulnerabilities: "
		"GHSA-68rp-wp8r-4726 (fixed in 3.1.3).\n"
		"Package Pygments:1.1 has known vulnerabilities: PYSEC-2021-141 "
		"(fixed in 2.7.4), GHSA-pq64-v7f5-gqh8 (fixed in 2.7.4), "
		"PYSEC-2023-117 (fixed in 2.15.1), GHSA-mrwq-x4v8-fh7p (fixed in "
		"2.15.0), GHSA-5239-wwwm-4pmq (fixed in 2.20.0).\n"
		"Summary:\n"
		"  - Vulnerabilities in the following package(s) were found: "
		"Flask:3.1.2, Pygments:1.1.\n");
	free(c.buf);
	assert_int_equal(report_exit_code(&s, &a), 1);
	/* -v: the same, and the audit's wall time last. */
	o.verbosity = 1;
	a.seconds = 1.5;
	report_audit_text(cap_open(&c), &o, &a);
	const char *out = cap_close(&c);
	assert_true(str_starts_with(out, "Auditing 9 packages...\n"));
	assert_true(str_ends_with(out, "Flask:3.1.2, Pygments:1.1.\n"
				       "Timings: audit 1.5 s.\n"));
	free(c.buf);
	/* -q: only findings and summaries. */
	o.verbosity = -1;
	report_audit_text(cap_open(&c), &o, &a);
	assert_true(str_starts_with(cap_close(&c), "Package Flask:3.1.2 "));
	free(c.buf);
	audit_result_clear(&a);
}

/* The brief's "Recently uploaded packages" example: 3 packages. */
static void cooldown_world(struct audit_result *a)
{
	struct dist_audit *d = tb_audit(a, "MarkupSafe", "3.0.3", NULL);
	d->cooldown.too_recent = true;
	d->cooldown.newest_upload = xstrdup("2025-09-27T18:37:40");
	d->cooldown.suggestion = xstrdup("2.1.3");
	tb_audit(a, "Jinja2", "3.1.6", NULL);
	d = tb_audit(a, "Werkzeug", "3.1.8", NULL);
	struct cooldown *w = &d->cooldown;
	w->too_recent = true;
	w->newest_upload = xstrdup("2026-04-02T18:49:14");
	w->suggestion = xstrdup("2.3.6");
	struct advisory **v = &w->suggestion_vulns;
	size_t *n = &w->nr_suggestion_vulns;
	tb_vuln(v, n, "GHSA-hrfv-mqp8-q5rw", "3.0.1", "2.3.8", NULL);
	tb_vuln(v, n, "PYSEC-2023-221", "2.3.8", "3.0.1", NULL);
	tb_vuln(v, n, "GHSA-2g68-c3qc-8985", "3.0.3", NULL);
	tb_vuln(v, n, "GHSA-f9vj-2wh5-fj8j", "3.0.6", NULL);
	tb_vuln(v, n, "GHSA-q34m-jh98-gwm2", "3.0.6", NULL);
	tb_vuln(v, n, "GHSA-hgf8-39gv-g3f2", "3.1.4", NULL);
	tb_vuln(v, n, "GHSA-87hc-h4r5-73f7", "3.1.5", NULL);
	tb_vuln(v, n, "GHSA-29vq-49wr-vm6x", "3.1.6", NULL);
}

static void test_audit_cooldown_as_in_the_brief(void **state)
{
	struct options o;
	struct audit_result a = {0};
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	cooldown_world(&a);
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(
		cap_close(&c),
		"Auditing 3 packages...\n"
		"Package MarkupSafe 3.0.3 was updated too recently: "
		"2025-09-27T18:37:40.\n"
		"  - Consider MarkupSafe<=2.1.3 which has no known "
		"vulnerabilities\n"
		"  - If you are certain that the latest upload is secure, add the "
		"following argument: "
		"--allow-upload-time='MarkupSafe<=2025-09-27T18:37:40'\n"
		"Package Werkzeug 3.1.8 was updated too recently: "
		"2026-04-02T18:49:14.\n"
		"  - The next suitable release Werkzeug: 2.3.6 has known "
		"vulnerabilities though: GHSA-hrfv-mqp8-q5rw (fixed in 3.0.1, "
		"2.3.8), PYSEC-2023-221 (fixed in 2.3.8, 3.0.1), "
		"GHSA-2g68-c3qc-8985 (fixed in 3.0.3), GHSA-f9vj-2wh5-fj8j (fixed "
		"in 3.0.6), GHSA-q34m-jh98-gwm2 (fixed in 3.0.6), "
		"GHSA-hgf8-39gv-g3f2 (fixed in 3.1.4), GHSA-87hc-h4r5-73f7 (fixed "
		"in 3.1.5), GHSA-29vq-49wr-vm6x (fixed in 3.1.6)\n"
		"  - If you are certain that the latest upload is secure, add the "
		"following argument: "
		"--allow-upload-time='Werkzeug<=2026-04-02T18:49:14'\n"
		"Summary:\n"
		"  - The following package(s) were uploaded too recently: "
		"MarkupSafe, Werkzeug.\n");
	free(c.buf);
	assert_int_equal(report_exit_code(&s, &a), 1);

	/* Allowed by --allow-upload-time: no warning, exit 0. */
	a.items[0].cooldown.allowed = true;
	a.items[2].cooldown.allowed = true;
	assert_int_equal(report_exit_code(&s, &a), 0);
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(cap_close(&c),
			    "Auditing 3 packages...\n"
			    "No known vulnerabilities were found and no "
			    "package was uploaded too recently.\n");
	free(c.buf);
	/* A stopped scan outranks everything. */
	s.stopped = true;
	a.items[0].cooldown.allowed = false;
	assert_int_equal(report_exit_code(&s, &a), 2);
	audit_result_clear(&a);
}

static void test_audit_no_suggestion_unknown_time_and_no_fix(void **state)
{
	struct options o;
	struct audit_result a = {0};
	struct capture c;
	default_opts(&o);
	struct dist_audit *d = tb_audit(&a, "evenpack", "2.0", NULL);
	d->cooldown.too_recent = true;
	d->cooldown.upload_unknown = true;
	tb_vuln(&d->vulns, &d->nr_vulns, "PYSEC-2099-1", NULL);
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(
		cap_close(&c),
		"Auditing 1 package...\n"
		"Package evenpack:2.0 has known vulnerabilities: PYSEC-2099-1 "
		"(no fix available).\n"
		"Package evenpack 2.0 was updated too recently: upload time "
		"unknown.\n"
		"  - No older release of evenpack satisfies the requirements and "
		"was uploaded before the cool-down period\n"
		"Summary:\n"
		"  - Vulnerabilities in the following package(s) were found: "
		"evenpack:2.0.\n"
		"  - The following package(s) were uploaded too recently: "
		"evenpack.\n");
	free(c.buf);
	audit_result_clear(&a);
}

/* Control characters from the API never reach the terminal raw (breaker
 * report 1, mode esc), and an invalid upload time is named as such. */
static void test_audit_text_escapes_control_characters(void **state)
{
	struct options o;
	struct audit_result a = {0};
	struct capture c;
	default_opts(&o);
	struct dist_audit *d = tb_audit(&a, "evil", "1.0", NULL);
	free(d->display_name);
	d->display_name = xstrdup("evil\x1b]0;PWNED\x07\x1b[2J\xc2\x9b");
	d->cooldown.too_recent = true;
	d->cooldown.upload_unknown = true;
	d->cooldown.upload_invalid = true;
	tb_vuln(&d->vulns, &d->nr_vulns, "X-1\r\nFAKE", "2.0\x7f", NULL);
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(
		cap_close(&c),
		"Auditing 1 package...\n"
		"Package evil\\x1b]0;PWNED\\x07\\x1b[2J\\xc2\\x9b:1.0 has known "
		"vulnerabilities: X-1\\x0d\\x0aFAKE (fixed in 2.0\\x7f).\n"
		"Package evil\\x1b]0;PWNED\\x07\\x1b[2J\\xc2\\x9b 1.0 was updated "
		"too recently: invalid upload time.\n"
		"  - No older release of evil\\x1b]0;PWNED\\x07\\x1b[2J\\xc2\\x9b "
		"satisfies the requirements and was uploaded before the "
		"cool-down period\n"
		"Summary:\n"
		"  - Vulnerabilities in the following package(s) were found: "
		"evil\\x1b]0;PWNED\\x07\\x1b[2J\\xc2\\x9b:1.0.\n"
		"  - The following package(s) were uploaded too recently: "
		"evil\\x1b]0;PWNED\\x07\\x1b[2J\\xc2\\x9b.\n");
	free(c.buf);
	audit_result_clear(&a);
}

static void test_audit_summary_of_ignored_missing_and_errors(void **state)
{
	struct options o;
	struct audit_result a = {0};
	struct scan_result s = {0};
	struct capture c;
	default_opts(&o);
	struct dist_audit *d = tb_audit(&a, "setuptools", "65.5.0", NULL);
	strvec_push(&d->ignored, "PYSEC-2022-43012");
	d = tb_audit(&a, "private-pkg", "1.0", NULL);
	d->status = AUDIT_NOT_FOUND;
	d = tb_audit(&a, "broken", "0.1", NULL);
	d->status = AUDIT_ERROR;
	d->error = xstrdup("truncated JSON");
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(
		cap_close(&c),
		"Auditing 3 packages...\n"
		"Package broken:0.1 could not be audited: truncated JSON.\n"
		"Summary:\n"
		"  - 1 known vulnerability was ignored (--ignore-vuln): "
		"PYSEC-2022-43012.\n"
		"  - The following package(s) are not on the index, so they were "
		"not audited: private-pkg:1.0.\n"
		"  - The following package(s) could not be audited: broken:0.1.\n");
	free(c.buf);
	/* An ignored advisory or a 404 is not a warning, but a release that
	 * could not be audited leaves the check incomplete: exit 1. */
	assert_int_equal(report_exit_code(&s, &a), 1);
	a.items[2].status = AUDIT_OK;
	assert_int_equal(report_exit_code(&s, &a), 0);
	a.items[2].status = AUDIT_ERROR;

	/* Only ignored: the clean line, then how many were ignored. */
	a.items[1].status = AUDIT_OK;
	a.items[2].status = AUDIT_OK;
	report_audit_text(cap_open(&c), &o, &a);
	assert_string_equal(cap_close(&c),
			    "Auditing 3 packages...\n"
			    "No known vulnerabilities were found and no "
			    "package was uploaded too recently.\n"
			    "Summary:\n"
			    "  - 1 known vulnerability was ignored "
			    "(--ignore-vuln): PYSEC-2022-43012.\n");
	free(c.buf);
	audit_result_clear(&a);
}

/* ---- JSON, validated against docs/report-schema.json ---- */

/*
 * A validator for the subset of JSON Schema (2020-12) the schema uses:
 * type, enum, minimum, required, properties, additionalProperties (false),
 * items, $ref to "#/$defs/NAME". Any other keyword fails the test, so the
 * schema cannot silently rely on something this does not check.
 */
static bool validate(json_t *root, json_t *schema, json_t *v, const char *at);

static bool type_ok(const char *t, json_t *v)
{
	if (!strcmp(t, "object"))
		return json_is_object(v);
	if (!strcmp(t, "array"))
		return json_is_array(v);
	if (!strcmp(t, "string"))
		return json_is_string(v);
	if (!strcmp(t, "integer"))
		return json_is_integer(v);
	if (!strcmp(t, "number"))
		return json_is_number(v);
	if (!strcmp(t, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(t, "null"))
		return json_is_null(v);
	fail_msg("schema: unknown type %s", t);
	return false;
}

static bool fails(const char *at, const char *what)
{
	print_message("schema violation at %s: %s\n", at, what);
	return false;
}

static bool validate(json_t *root, json_t *schema, json_t *v, const char *at)
{
	const char *key;
	json_t *kw;
	json_object_foreach(schema, key, kw)
	{
		if (!strcmp(key, "description") || !strcmp(key, "title") ||
		    !strcmp(key, "$schema") || !strcmp(key, "$id") ||
		    !strcmp(key, "$defs"))
			continue;
		if (!strcmp(key, "$ref")) {
			const char *ref = json_string_value(kw);
			assert_true(str_starts_with(ref, "#/$defs/"));
			json_t *target = json_object_get(
				json_object_get(root, "$defs"), ref + 8);
			assert_non_null(target);
			if (!validate(root, target, v, at))
				return false;
		} else if (!strcmp(key, "type")) {
			bool ok = false;
			if (json_is_string(kw)) {
				ok = type_ok(json_string_value(kw), v);
			} else {
				size_t i;
				json_t *t;
				json_array_foreach(kw, i, t) ok =
					ok || type_ok(json_string_value(t), v);
			}
			if (!ok)
				return fails(at, "wrong type");
		} else if (!strcmp(key, "enum")) {
			bool ok = false;
			size_t i;
			json_t *e;
			json_array_foreach(kw, i, e) ok = ok || json_equal(e, v);
			if (!ok)
				return fails(at, "not in enum");
		} else if (!strcmp(key, "minimum")) {
			if (json_is_number(v) &&
			    json_number_value(v) < json_number_value(kw))
				return fails(at, "below minimum");
		} else if (!strcmp(key, "required")) {
			size_t i;
			json_t *r;
			if (!json_is_object(v))
				continue;
			json_array_foreach(kw, i, r) if (!json_object_get(
							 v, json_string_value(r)))
				return fails(at, json_string_value(r));
		} else if (!strcmp(key, "properties") ||
			   !strcmp(key, "additionalProperties")) {
			if (!json_is_object(v))
				continue;
			json_t *props = json_object_get(schema, "properties");
			json_t *extra =
				json_object_get(schema, "additionalProperties");
			if (!strcmp(key, "additionalProperties"))
				assert_true(json_is_false(extra));
			const char *k;
			json_t *val;
			json_object_foreach(v, k, val)
			{
				json_t *sub = json_object_get(props, k);
				char *where = xasprintf("%s.%s", at, k);
				bool ok = true;
				if (sub)
					ok = validate(root, sub, val, where);
				else if (json_is_false(extra))
					ok = fails(where, "unexpected key");
				free(where);
				if (!ok)
					return false;
			}
		} else if (!strcmp(key, "items")) {
			size_t i;
			json_t *item;
			if (!json_is_array(v))
				continue;
			json_array_foreach(v, i, item)
			{
				char *where = xasprintf("%s[%zu]", at, i);
				bool ok = validate(root, kw, item, where);
				free(where);
				if (!ok)
					return false;
			}
		} else {
			fail_msg("schema keyword %s is not supported by the "
				 "test's validator",
				 key);
		}
	}
	return true;
}

static json_t *load_schema(void)
{
	json_error_t err;
	json_t *s = json_load_file("docs/report-schema.json", 0, &err);
	if (!s)
		fail_msg("docs/report-schema.json: %s (line %d); run from the "
			 "source tree",
			 err.text, err.line);
	return s;
}

/* A run with everything: input, dists, finding below the stop level,
 * notes, the vulnerability and cool-down examples, ignored, 404, error. */
static void full_world(struct input *in, struct scan_result *s,
		       struct audit_result *a)
{
	strvec_push(&in->files, "requirements.txt");
	tb_req(in, "Flask", "==3.1.2", NULL, "requirements.txt", 1);
	tb_req(in, "Pygments", "==1.1", "python_version >= \"3\"",
	       "requirements.txt", 2);
	strvec_pushl(&in->pip_options, "--index-url", "http://127.0.0.1/simple",
		     NULL);
	tb_dist(s, "Flask", "3.1.2", "ab", true, NULL);
	tb_dist(s, "Pygments", "1.1", "cd", true, NULL);
	tb_dist(s, "MarkupSafe", "3.0.3", "ef", false, "jinja2", NULL);
	tb_dist(s, "Jinja2", "3.1.6", "01", false, "flask", NULL);
	tb_dist(s, "Werkzeug", "3.1.8", "23", false, "flask", NULL);
	struct finding *n =
		add_finding(&s->notes, &s->nr_notes, &s->alloc_notes, "Flask");
	n->severity = SEV_LOW;
	strvec_push(&s->messages, "a note");
	s->python_version = xstrdup("3.11.2");
	s->platform = xstrdup("linux-x86_64");
	s->seconds_install = 3.5;
	vulns_world(a);
	/* Keep Flask and Pygments, add the cool-down example. */
	struct audit_result cool = {0};
	cooldown_world(&cool);
	a->items = xrealloc(a->items, (a->nr + cool.nr) * sizeof(*a->items));
	memcpy(a->items + a->nr, cool.items, cool.nr * sizeof(*a->items));
	a->nr += cool.nr;
	free(cool.items);
	strvec_push(&a->items[1].ignored, "PYSEC-2022-1");
	a->items[2].status = AUDIT_NOT_FOUND;
	a->items[3].status = AUDIT_ERROR;
	a->items[3].error = xstrdup("HTTP 500 three times");
	a->items[0].vulns[0].summary = xstrdup("Flask session cookie");
	strvec_push(&a->items[0].vulns[0].aliases, "CVE-2025-0001");
	a->seconds = 0.25;
}

static void test_json_validates_and_holds_the_values(void **state)
{
	struct options o;
	struct input in = {0};
	struct scan_result s = {0};
	struct audit_result a = {0};
	struct capture c;
	default_opts(&o);
	full_world(&in, &s, &a);
	report_json(cap_open(&c), &o, &in, &s, &a, 1);
	cap_close(&c);
	json_error_t err;
	json_t *doc = json_loads(c.buf, 0, &err);
	assert_non_null(doc);
	json_t *schema = load_schema();
	assert_true(validate(schema, schema, doc, "$"));

	/* Values, worked out from the hand-built world. */
	int code = -1;
	const char *pyver = NULL, *flask_url = NULL, *kind = NULL;
	json_t *resolved, *audit, *ignored;
	assert_int_equal(json_unpack(doc, "{s:i, s:{s:s}, s:o, s:o, s:o}",
				     "exit_code", &code, "python", "version",
				     &pyver, "resolved", &resolved, "audit",
				     &audit, "ignored", &ignored),
			 0);
	assert_int_equal(code, 1);
	assert_string_equal(pyver, "3.11.2");
	assert_int_equal(json_array_size(resolved), 5);
	assert_int_equal(json_unpack(json_array_get(resolved, 0), "{s:s, s:s}",
				     "url", &flask_url, "kind", &kind),
			 0);
	assert_string_equal(flask_url, "http://127.0.0.1/files/Flask-3.1.2-"
				       "py3-none-any.whl");
	assert_string_equal(kind, "requested");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(resolved, 2), "kind")),
			    "dependency");
	json_t *pkgs = json_object_get(audit, "packages");
	assert_int_equal(json_array_size(pkgs), 12);
	json_t *flask = json_array_get(pkgs, 0);
	json_t *vuln = json_array_get(json_object_get(flask, "vulnerabilities"),
				      0);
	assert_string_equal(json_string_value(json_object_get(vuln, "id")),
			    "GHSA-68rp-wp8r-4726");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(vuln, "fixed_in"), 0)),
			    "3.1.3");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(vuln, "aliases"), 0)),
			    "CVE-2025-0001");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(pkgs, 2),
						  "status")),
		"not_found");
	json_t *werkzeug = json_array_get(pkgs, 11);
	json_t *cd = json_object_get(werkzeug, "cool_down");
	assert_true(json_is_true(json_object_get(cd, "warning")));
	json_t *sug = json_object_get(cd, "suggestion");
	assert_string_equal(json_string_value(json_object_get(sug, "version")),
			    "2.3.6");
	assert_int_equal(json_array_size(json_object_get(sug,
							 "vulnerabilities")),
			 8);
	assert_int_equal(json_array_size(ignored), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(ignored, 0), "id")),
			    "PYSEC-2022-1");
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(doc, "scan"), "notes")),
			 1);

	/* The validator is not a rubber stamp: a stray key or a wrong type
	 * fails it. */
	json_object_set_new(json_object_get(doc, "timings"), "bogus",
			    json_integer(1));
	assert_false(validate(schema, schema, doc, "$"));
	json_object_del(json_object_get(doc, "timings"), "bogus");
	json_object_set_new(doc, "exit_code", json_string("1"));
	assert_false(validate(schema, schema, doc, "$"));

	json_decref(schema);
	json_decref(doc);
	free(c.buf);
	input_clear(&in);
	scan_result_clear(&s);
	audit_result_clear(&a);
}

static void test_json_after_a_finding_has_no_audit(void **state)
{
	struct options o;
	struct input in = {0};
	struct scan_result s = {0};
	struct audit_result a = {0};
	struct capture c;
	default_opts(&o);
	struct finding *x = add_finding(&s.findings, &s.nr_findings,
					&s.alloc_findings, "evilpack");
	/* Attacker-chosen bytes in a path: invalid UTF-8. */
	free(x->path);
	x->path = xstrdup("/home/sebastian/.ssh/\xff\xfe\xc3(");
	s.stopped = true;
	report_json(cap_open(&c), &o, &in, &s, &a, 2);
	cap_close(&c);
	json_error_t err;
	json_t *doc = json_loads(c.buf, 0, &err);
	assert_non_null(doc);
	json_t *schema = load_schema();
	assert_true(validate(schema, schema, doc, "$"));
	assert_true(json_is_null(json_object_get(doc, "audit")));
	json_t *f = json_array_get(
		json_object_get(json_object_get(doc, "scan"), "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "path")),
			    "/home/sebastian/.ssh/\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd(");
	assert_string_equal(json_string_value(json_object_get(f, "phase")),
			    "build");
	assert_int_equal(json_integer_value(json_object_get(f, "pid")), 4242);
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")),
			 2);
	json_decref(schema);
	json_decref(doc);
	free(c.buf);
	scan_result_clear(&s);
}

/* ---- SARIF ---- */

static void test_sarif_results_at_requirement_lines(void **state)
{
	struct options o;
	struct input in = {0};
	struct scan_result s = {0};
	struct audit_result a = {0};
	struct capture c;
	default_opts(&o);
	full_world(&in, &s, &a);
	report_sarif(cap_open(&c), &o, &in, &s, &a);
	cap_close(&c);
	json_error_t err;
	json_t *doc = json_loads(c.buf, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "version")),
			    "2.1.0");
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *rules = json_object_get(
		json_object_get(json_object_get(run, "tool"), "driver"),
		"rules");
	json_t *results = json_object_get(run, "results");
	/* 1 note + 1 Flask + 5 Pygments advisories + 2 cool-down warnings
	 * (Werkzeug's suggestion's advisories are not results). */
	assert_int_equal(json_array_size(results), 9);
	/* Rules: the note's rule, 6 advisories, one cool-down rule. */
	assert_int_equal(json_array_size(rules), 8);
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r)
	{
		/* ruleIndex points at the rule with the same id. */
		json_t *rule = json_array_get(
			rules, (size_t)json_integer_value(
				       json_object_get(r, "ruleIndex")));
		assert_string_equal(
			json_string_value(json_object_get(r, "ruleId")),
			json_string_value(json_object_get(rule, "id")));
	}
	/* Pygments' first advisory: requirements.txt line 2. */
	json_t *pyg = json_array_get(results, 2);
	assert_string_equal(json_string_value(json_object_get(pyg, "ruleId")),
			    "PYSEC-2021-141");
	const char *uri = NULL;
	int line = 0;
	assert_int_equal(
		json_unpack(json_array_get(json_object_get(pyg, "locations"), 0),
			    "{s:{s:{s:s}, s:{s:i}}}", "physicalLocation",
			    "artifactLocation", "uri", &uri, "region",
			    "startLine", &line),
		0);
	assert_string_equal(uri, "requirements.txt");
	assert_int_equal(line, 2);
	/* MarkupSafe (cool-down) is a dependency of Jinja2, a dependency of
	 * Flask: located at Flask's line 1. */
	json_t *ms = json_array_get(results, 7);
	assert_string_equal(json_string_value(json_object_get(ms, "ruleId")),
			    "pipcanary/cool-down");
	assert_int_equal(
		json_unpack(json_array_get(json_object_get(ms, "locations"), 0),
			    "{s:{s:{s:s}, s:{s:i}}}", "physicalLocation",
			    "artifactLocation", "uri", &uri, "region",
			    "startLine", &line),
		0);
	assert_int_equal(line, 1);
	assert_string_equal(json_string_value(json_object_get(ms, "level")),
			    "warning");
	/* The note (low severity) is a SARIF note. */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(results, 0), "level")),
			    "note");
	json_decref(doc);
	free(c.buf);
	input_clear(&in);
	scan_result_clear(&s);
	audit_result_clear(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_safe),
		cmocka_unit_test(test_scan_finding_as_in_the_brief),
		cmocka_unit_test(test_scan_finding_verbose_has_details_and_notes),
		cmocka_unit_test(test_scan_limit_names_the_package),
		cmocka_unit_test(test_colours_only_when_asked),
		cmocka_unit_test(test_audit_vulnerabilities_as_in_the_brief),
		cmocka_unit_test(test_audit_cooldown_as_in_the_brief),
		cmocka_unit_test(test_audit_no_suggestion_unknown_time_and_no_fix),
		cmocka_unit_test(test_audit_text_escapes_control_characters),
		cmocka_unit_test(test_audit_summary_of_ignored_missing_and_errors),
		cmocka_unit_test(test_json_validates_and_holds_the_values),
		cmocka_unit_test(test_json_after_a_finding_has_no_audit),
		cmocka_unit_test(test_sarif_results_at_requirement_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
