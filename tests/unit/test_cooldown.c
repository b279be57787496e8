/* Unit tests of cooldown.c (too recent, allowances, specifiers placed on a
 * package, the next suitable release) on real release histories
 * (tests/unit/data/pypi-wheel-project.json) and synthetic ones, and of
 * audit_run() end to end against an in-process HTTP server (httpd.h). */
#include "testutil.h"
#include "audit.h"
#include "cooldown.h"
#include "httpd.h"
#include "options.h"
#include "pep508.h"
#include "pypi.h"
#include "util.h"

#include <libgen.h>

static time_t ts(const char *s)
{
	time_t t;
	if (!parse_timestamp(s, &t))
		fail_msg("bad timestamp %s", s);
	return t;
}

static struct release_file file_at(const char *when)
{
	struct release_file f = {0};
	f.filename = xstrdup("x-1.0.tar.gz");
	f.upload_epoch = -1;
	if (when) {
		f.upload_epoch = ts(when);
		f.upload_time = xstrdup(when);
	}
	return f;
}

static void opts_init(struct options *o, const char *now)
{
	memset(o, 0, sizeof(*o));
	o->cool_down_days = 7;
	o->now = ts(now);
	o->jobs = 4;
}

static void add_allowance(struct options *o, const char *name, const char *until)
{
	GROW(o->allowances, o->alloc_allowances, o->nr_allowances + 1);
	o->allowances[o->nr_allowances].normalised = xstrdup(name);
	o->allowances[o->nr_allowances].until = ts(until);
	o->nr_allowances++;
}

static void opts_free(struct options *o)
{
	for (size_t i = 0; i < o->nr_allowances; i++)
		free(o->allowances[i].normalised);
	free(o->allowances);
	strvec_clear(&o->ignore_vulns);
	free(o->api_url);
}

static void files_free(struct release_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		release_file_clear(&f[i]);
}

/* ---- too recent ---- */

static void test_evaluate(void **state)
{
	struct options o;
	opts_init(&o, "2025-10-01T00:00:00");
	struct cooldown c = {0};

	/* Newest upload 2025-09-27T18:37:40: within 7 days of 10-01. */
	struct release_file f[2] = {file_at("2025-09-20T10:00:00"),
				    file_at("2025-09-27T18:37:40")};
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_true(c.too_recent);
	assert_false(c.allowed);
	assert_false(c.upload_unknown);
	assert_string_equal(c.newest_upload, "2025-09-27T18:37:40");

	/* Both files older than 7 days: fine. The boundary is inclusive of
	 * exactly 7 days ago (not "within"). */
	files_free(f, 2);
	f[0] = file_at("2025-09-20T10:00:00");
	f[1] = file_at("2025-09-24T00:00:00");
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_false(c.too_recent);
	assert_string_equal(c.newest_upload, "2025-09-24T00:00:00");
	files_free(f, 2);
	f[0] = file_at("2025-09-24T00:00:01");
	cooldown_evaluate("markupsafe", f, 1, &o, &c);
	assert_true(c.too_recent);

	/* Mixed-age release: an old sdist and a wheel added yesterday. */
	files_free(f, 1);
	f[0] = file_at("2024-01-01T00:00:00");
	f[1] = file_at("2025-09-30T12:00:00");
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_true(c.too_recent);
	assert_string_equal(c.newest_upload, "2025-09-30T12:00:00");

	/* --allow-upload-time up to exactly the newest upload: allowed; one
	 * second earlier or another package's: not. */
	add_allowance(&o, "markupsafe", "2025-09-30T11:59:59");
	add_allowance(&o, "werkzeug", "2026-01-01T00:00:00");
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_false(c.allowed);
	add_allowance(&o, "markupsafe", "2025-09-30T12:00:00");
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_true(c.too_recent);
	assert_true(c.allowed);

	/* Upload time unknown: too recent, never allowed; newest known kept. */
	files_free(f, 2);
	f[0] = file_at("2024-01-01T00:00:00");
	f[1] = file_at(NULL);
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_true(c.too_recent);
	assert_true(c.upload_unknown);
	assert_false(c.allowed);
	assert_string_equal(c.newest_upload, "2024-01-01T00:00:00");

	/* No files at all: unknown. */
	cooldown_evaluate("markupsafe", f, 0, &o, &c);
	assert_true(c.too_recent);
	assert_true(c.upload_unknown);
	assert_null(c.newest_upload);

	/* --cool-down 0: off. */
	o.cool_down_days = 0;
	f[1].upload_epoch = ts("2025-09-30T23:00:00");
	f[1].upload_time = xstrdup("2025-09-30T23:00:00");
	cooldown_evaluate("markupsafe", f, 2, &o, &c);
	assert_false(c.too_recent);
	files_free(f, 2);
	free(c.newest_upload);
	opts_free(&o);
}

/* ---- next suitable release ---- */

static struct pypi_project load_wheel(void)
{
	char here[] = __FILE__;
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addf(&path, "%s/data/pypi-wheel-project.json", dirname(here));
	assert_int_equal(strbuf_read_file(&sb, path.buf, 0), 0);
	struct pypi_project p;
	char *err = NULL;
	assert_int_equal(pypi_parse_project(sb.buf, sb.len, &p, &err), 0);
	strbuf_release(&path);
	strbuf_release(&sb);
	return p;
}

static void expect_suggestion(const struct pypi_project *p,
			      const struct cooldown_policy *pol,
			      const char *want)
{
	char *err = NULL;
	char *got = cooldown_suggest(p, pol, &err);
	assert_null(err);
	if (!want) {
		if (got)
			fail_msg("expected no suggestion, got %s", got);
		return;
	}
	if (!got)
		fail_msg("expected %s, got none", want);
	assert_string_equal(got, want);
	free(got);
}

static void test_suggest_real_wheel_history(void **state)
{
	struct pypi_project p = load_wheel();
	/* wheel 0.44.0 was uploaded 2024-08-04T14:55:12; on 2024-08-06 with
	 * a 7-day cool-down the newest settled release is 0.43.0 (2024-03-11). */
	struct cooldown_policy pol = {
		.specifier = "",
		.python_version = "3.11.2",
		.cutoff = ts("2024-08-06T00:00:00") - 7 * 86400,
		.allowed_until = -1,
	};
	expect_suggestion(&p, &pol, "0.43.0");

	/* 0.43.0 and 0.44.0 require Python >=3.8: on 3.7 it is 0.42.0. */
	pol.python_version = "3.7.0";
	expect_suggestion(&p, &pol, "0.42.0");
	/* 0.38.0 on require >=3.7; 0.37.1 has >=2.7,!=3.0.*,...,!=3.4.*. */
	pol.python_version = "2.7.18";
	expect_suggestion(&p, &pol, "0.37.1");
	pol.python_version = "3.4.10";
	expect_suggestion(&p, &pol, "0.33.6");
	pol.python_version = "3.11.2";

	/* 0.38.0 is yanked (both files): "<0.38.1" gives 0.37.1. */
	pol.specifier = "<0.38.1";
	expect_suggestion(&p, &pol, "0.37.1");
	pol.specifier = "==0.38.0";
	expect_suggestion(&p, &pol, NULL);
	/* Also when the Python version is unknown (nothing checks its files'
	 * requires_python then). */
	pol.python_version = NULL;
	expect_suggestion(&p, &pol, NULL);
	pol.specifier = "<0.38.1";
	expect_suggestion(&p, &pol, "0.37.1");
	pol.python_version = "3.11.2";
	/* Several requirements joined: >=0.40 from one, <0.42 from another. */
	pol.specifier = ">=0.40,<0.42,!=0.41.3";
	expect_suggestion(&p, &pol, "0.41.2");

	/* An allowance that reaches 0.44.0's upload accepts it. */
	pol.specifier = "";
	pol.allowed_until = ts("2024-08-04T14:55:12");
	expect_suggestion(&p, &pol, "0.44.0");
	pol.allowed_until = ts("2024-08-04T14:55:11");
	expect_suggestion(&p, &pol, "0.43.0");

	/* A malformed specifier is an error, not "no release". */
	pol.specifier = ">>=1";
	char *err = NULL;
	assert_null(cooldown_suggest(&p, &pol, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, ">>=1"));
	free(err);
	pypi_project_clear(&p);
}

/* A synthetic history: yanked file, pre-release, unknown and mixed upload
 * times, a version that is not PEP 440. */
static const char synthetic[] =
	"{\"info\": {\"name\": \"Demo\"}, \"releases\": {"
	"\"1.0\": [{\"filename\": \"demo-1.0.tar.gz\", \"upload_time_iso_8601\": \"2020-01-01T00:00:00Z\"}],"
	"\"1.1\": [{\"filename\": \"demo-1.1-py3-none-any.whl\", \"yanked\": true,"
	"           \"upload_time_iso_8601\": \"2020-02-01T00:00:00Z\", \"requires_python\": \">=2.0\"},"
	"          {\"filename\": \"demo-1.1.tar.gz\", \"yanked\": false,"
	"           \"upload_time_iso_8601\": \"2020-02-01T00:00:05Z\", \"requires_python\": \">=3.13\"}],"
	"\"1.2\": [{\"filename\": \"demo-1.2.tar.gz\", \"upload_time_iso_8601\": \"2020-03-01T00:00:00Z\"}],"
	"\"1.3\": [{\"filename\": \"demo-1.3.tar.gz\", \"upload_time_iso_8601\": \"2020-04-01T00:00:00Z\"},"
	"          {\"filename\": \"demo-1.3-py3-none-any.whl\", \"upload_time_iso_8601\": null}],"
	"\"1.4\": [{\"filename\": \"demo-1.4.tar.gz\", \"upload_time_iso_8601\": \"2020-05-01T00:00:00Z\"},"
	"          {\"filename\": \"demo-1.4-py3-none-any.whl\", \"upload_time_iso_8601\": \"2025-09-30T00:00:00Z\"}],"
	"\"1.5\": [],"
	"\"2.0rc1\": [{\"filename\": \"demo-2.0rc1.tar.gz\", \"upload_time_iso_8601\": \"2020-06-01T00:00:00Z\"}],"
	"\"banana\": [{\"filename\": \"demo-banana.tar.gz\", \"upload_time_iso_8601\": \"2020-07-01T00:00:00Z\"}],"
	"\"2.0\": [{\"filename\": \"demo-2.0.tar.gz\", \"upload_time_iso_8601\": \"2025-09-29T00:00:00Z\"}]"
	"}}";

static void test_suggest_synthetic(void **state)
{
	struct pypi_project p;
	char *err = NULL;
	assert_int_equal(pypi_parse_project(synthetic, strlen(synthetic), &p, &err), 0);
	struct cooldown_policy pol = {
		.specifier = "",
		.python_version = "3.12.1",
		.cutoff = ts("2025-10-01T00:00:00") - 7 * 86400,
		.allowed_until = -1,
	};
	/* 2.0 too recent, 2.0rc1 a pre-release, 1.5 has no files, 1.4 mixed
	 * age (a recent wheel), 1.3 a file without upload time; 1.2 is it. */
	expect_suggestion(&p, &pol, "1.2");
	/* --pre: the pre-release is the newest settled one. */
	pol.allow_pre = true;
	expect_suggestion(&p, &pol, "2.0rc1");
	/* A clause naming a pre-release admits it without --pre. */
	pol.allow_pre = false;
	pol.specifier = ">=2.0rc1";
	expect_suggestion(&p, &pol, "2.0rc1");
	/* 1.1 has a yanked wheel (>=2.0) and a live sdist (>=3.13): the
	 * release is not yanked, but only the live file's requires_python
	 * counts, so 3.12 skips 1.1 and 3.13 takes it. */
	pol.specifier = "<1.2";
	expect_suggestion(&p, &pol, "1.0");
	pol.python_version = "3.13.0";
	expect_suggestion(&p, &pol, "1.1");
	pypi_project_clear(&p);
}

/* ---- specifiers placed on a package ---- */

static void add_req(struct input *in, const char *name, const char *spec,
		    const char *marker, bool constraint, const char *extra)
{
	GROW(in->reqs, in->alloc, in->nr + 1);
	struct requirement *r = &in->reqs[in->nr++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->normalised = xstrdup(name);
	r->specifier = xstrdup(spec);
	r->marker = xstrdup(marker);
	r->constraint = constraint;
	r->file = xstrdup("requirements.txt");
	r->line = (int)in->nr;
	if (extra)
		strvec_push(&r->extras, extra);
}

static struct dist *add_dist(struct scan_result *s, const char *name,
			     const char *norm, const char *version)
{
	GROW(s->dists, s->alloc_dists, s->nr_dists + 1);
	struct dist *d = &s->dists[s->nr_dists++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->normalised = xstrdup(norm);
	d->version = xstrdup(version);
	return d;
}

static void test_specifiers(void **state)
{
	struct input in = {0};
	struct scan_result scan = {0};
	add_req(&in, "werkzeug", ">=2.0", NULL, false, NULL);
	add_req(&in, "werkzeug", "<3", NULL, true, NULL);            /* -c */
	add_req(&in, "werkzeug", "!=2.3.5", "sys_platform == 'win32'", false, NULL);
	add_req(&in, "foo", NULL, NULL, false, "x");
	struct dist *d = add_dist(&scan, "Flask", "flask", "3.1.2");
	strvec_pushl(&d->requires_dist, "Werkzeug>=3.0.0", "blinker>=1.9",
		     "asgiref>=3.2; extra == 'async'",
		     "Werkzeug<9; python_version < '3'",
		     "werkzeug >>= 1", NULL);
	d = add_dist(&scan, "foo", "foo", "1.0");
	strvec_pushl(&d->requires_dist, "Werkzeug (!=3.0.2) ; extra == 'x'",
		     "Werkzeug!=3.0.3; extra == 'y'", NULL);
	d = add_dist(&scan, "bar", "bar", "1.0");
	/* bar asks for foo[y]: foo's extra y applies too. */
	strvec_pushl(&d->requires_dist, "foo[y]>=1", NULL);
	d = add_dist(&scan, "Werkzeug", "werkzeug", "3.1.8");
	strvec_pushl(&d->requires_dist, "werkzeug<1", NULL); /* itself: not a requirement on it */

	struct marker_env env;
	marker_env_host(&env, "3.11.2");
	struct strvec specs = STRVEC_INIT, problems = STRVEC_INIT;
	cooldown_specifiers("werkzeug", &in, &scan, &env, &specs, &problems);
	assert_int_equal(specs.nr, 5);
	assert_string_equal(specs.v[0], ">=2.0");
	assert_string_equal(specs.v[1], "<3");
	assert_string_equal(specs.v[2], ">=3.0.0");
	assert_string_equal(specs.v[3], "!=3.0.2");
	assert_string_equal(specs.v[4], "!=3.0.3");
	assert_int_equal(problems.nr, 1);
	assert_non_null(strstr(problems.v[0], "Flask: Requires-Dist 'werkzeug >>= 1'"));
	strvec_clear(&specs);
	strvec_clear(&problems);
	input_clear(&in);
	scan_result_clear(&scan);
}

/* ---- audit_run end to end ---- */

#define FILE_AT(name, when) \
	"{\"filename\": \"" name "\", \"packagetype\": \"sdist\", \"upload_time_iso_8601\": \"" when \
	"\", \"digests\": {\"sha256\": \"" \
	"0000000000000000000000000000000000000000000000000000000000000000\"}}"

static const char werkzeug_318[] =
	"{\"info\": {\"name\": \"Werkzeug\"}, \"urls\": [" FILE_AT("werkzeug-3.1.8.tar.gz", "2026-04-02T18:49:14.123456Z") "],"
	"\"vulnerabilities\": ["
	"{\"id\": \"GHSA-aaaa-bbbb-cccc\", \"aliases\": [\"CVE-2026-1\"], \"fixed_in\": [\"3.1.9\"]},"
	"{\"id\": \"PYSEC-2026-1\", \"aliases\": [\"CVE-2026-2\"], \"fixed_in\": []},"
	"{\"id\": \"GHSA-gone\", \"aliases\": [], \"fixed_in\": [\"3.2\"], \"withdrawn\": \"2026-04-04T00:00:00Z\"},"
	"{\"id\": \"GHSA-later\", \"aliases\": [], \"fixed_in\": [\"3.2\"], \"withdrawn\": \"2026-05-01T00:00:00Z\"}"
	"]}";
static const char werkzeug_project[] =
	"{\"info\": {\"name\": \"Werkzeug\"}, \"releases\": {"
	"\"2.3.6\": [" FILE_AT("werkzeug-2.3.6.tar.gz", "2023-06-08T17:43:00Z") "],"
	"\"2.3.7\": [{\"filename\": \"werkzeug-2.3.7.tar.gz\", \"yanked\": true, \"upload_time_iso_8601\": \"2023-08-14T09:30:00Z\"}],"
	"\"3.0.0\": [" FILE_AT("werkzeug-3.0.0.tar.gz", "2023-09-30T14:00:00Z") "],"
	"\"3.1.8\": [" FILE_AT("werkzeug-3.1.8.tar.gz", "2026-04-02T18:49:14.123456Z") "]}}";
static const char werkzeug_236[] =
	"{\"info\": {\"name\": \"Werkzeug\"}, \"urls\": [" FILE_AT("werkzeug-2.3.6.tar.gz", "2023-06-08T17:43:00Z") "],"
	"\"vulnerabilities\": ["
	"{\"id\": \"GHSA-hrfv-mqp8-q5rw\", \"fixed_in\": [\"3.0.1\", \"2.3.8\"]},"
	"{\"id\": \"GHSA-old\", \"fixed_in\": [\"2.3.8\"], \"withdrawn\": \"2024-01-01T00:00:00Z\"},"
	"{\"id\": \"PYSEC-2023-221\", \"fixed_in\": [\"2.3.8\", \"3.0.1\"]}]}";
static const char markupsafe_303[] =
	"{\"info\": {\"name\": \"MarkupSafe\"}, \"urls\": [" FILE_AT("markupsafe-3.0.3.tar.gz", "2026-04-01T10:00:00Z") "],"
	"\"vulnerabilities\": []}";
static const char markupsafe_project[] =
	"{\"info\": {\"name\": \"MarkupSafe\"}, \"releases\": {"
	"\"2.1.3\": [" FILE_AT("markupsafe-2.1.3.tar.gz", "2023-06-02T21:43:43Z") "],"
	"\"3.0.0\": [{\"filename\": \"markupsafe-3.0.0.tar.gz\", \"requires_python\": \">=3.12\", \"upload_time_iso_8601\": \"2024-10-07T00:00:00Z\"}],"
	"\"3.0.3\": [" FILE_AT("markupsafe-3.0.3.tar.gz", "2026-04-01T10:00:00Z") "]}}";
static const char markupsafe_213[] =
	"{\"info\": {\"name\": \"MarkupSafe\"}, \"urls\": [" FILE_AT("markupsafe-2.1.3.tar.gz", "2023-06-02T21:43:43Z") "],"
	"\"vulnerabilities\": []}";
static const char flask_312[] =
	"{\"info\": {\"name\": \"Flask\"}, \"urls\": [" FILE_AT("flask-3.1.2.tar.gz", "2026-04-02T00:00:00Z") "],"
	"\"vulnerabilities\": [{\"id\": \"GHSA-68rp-wp8r-4726\", \"fixed_in\": [\"3.1.3\"]}]}";
static const char broken_10[] = "{\"info\": {\"name\": \"broken\"}, \"urls\": [{\"filen";

static void test_audit_run(void **state)
{
	struct route routes[] = {
		{.path = "/pypi/werkzeug/3.1.8/json", .body = werkzeug_318},
		{.path = "/pypi/werkzeug/json", .body = werkzeug_project},
		{.path = "/pypi/werkzeug/2.3.6/json", .body = werkzeug_236},
		{.path = "/pypi/markupsafe/3.0.3/json", .mode = ROUTE_FAIL_FIRST,
		 .fail_status = 429, .fail_times = 1, .retry_after = "0",
		 .body = markupsafe_303},
		{.path = "/pypi/markupsafe/json", .body = markupsafe_project},
		{.path = "/pypi/markupsafe/2.1.3/json", .body = markupsafe_213},
		{.path = "/pypi/flask/3.1.2/json", .body = flask_312},
		{.path = "/pypi/flask/json", .body = "{}"},
		{.path = "/pypi/broken/1.0/json", .body = broken_10},
	};
	struct httpd h;
	httpd_start(&h, routes, ARRAY_SIZE(routes));

	struct options o;
	opts_init(&o, "2026-04-05T00:00:00");
	o.api_url = xasprintf("http://127.0.0.1:%d/pypi/", h.port);
	strvec_push(&o.ignore_vulns, "CVE-2026-1");
	add_allowance(&o, "flask", "2026-04-02T00:00:00");
	struct input in = {0};
	add_req(&in, "werkzeug", "<3", NULL, true, NULL);
	struct scan_result scan = {0};
	scan.python_version = xstrdup("3.11.2");
	add_dist(&scan, "Werkzeug", "werkzeug", "3.1.8");
	add_dist(&scan, "MarkupSafe", "markupsafe", "3.0.3");
	add_dist(&scan, "Flask", "flask", "3.1.2");
	add_dist(&scan, "private-pkg", "private-pkg", "1.0");
	add_dist(&scan, "broken", "broken", "1.0");

	struct audit_result res = {0};
	assert_int_equal(audit_run(&o, &in, &scan, &res), 0);
	assert_null(res.unreachable);
	assert_int_equal(res.nr, 5);

	struct dist_audit *w = &res.items[0];
	assert_int_equal(w->status, AUDIT_OK);
	assert_string_equal(w->display_name, "Werkzeug");
	/* GHSA-aaaa ignored by its alias, GHSA-gone withdrawn before --now,
	 * GHSA-later withdrawn only in the future: reported. */
	assert_int_equal(w->nr_vulns, 2);
	assert_string_equal(w->vulns[0].id, "PYSEC-2026-1");
	assert_string_equal(w->vulns[1].id, "GHSA-later");
	assert_int_equal(w->ignored.nr, 1);
	assert_string_equal(w->ignored.v[0], "GHSA-aaaa-bbbb-cccc");
	assert_int_equal(w->nr_files, 1);
	assert_true(w->cooldown.too_recent);
	assert_false(w->cooldown.allowed);
	assert_string_equal(w->cooldown.newest_upload, "2026-04-02T18:49:14");
	/* 3.0.0 excluded by the constraint <3, 2.3.7 yanked: 2.3.6, with its
	 * own advisories minus the withdrawn one, in the API's order. */
	assert_null(w->cooldown.error);
	assert_string_equal(w->cooldown.suggestion, "2.3.6");
	assert_int_equal(w->cooldown.nr_suggestion_vulns, 2);
	assert_string_equal(w->cooldown.suggestion_vulns[0].id, "GHSA-hrfv-mqp8-q5rw");
	assert_string_equal(w->cooldown.suggestion_vulns[0].fixed_in.v[1], "2.3.8");
	assert_string_equal(w->cooldown.suggestion_vulns[1].id, "PYSEC-2023-221");

	/* 429 then the answer; 3.0.0 needs Python >=3.12 (we scan 3.11). */
	struct dist_audit *m = &res.items[1];
	assert_int_equal(m->status, AUDIT_OK);
	assert_int_equal(atomic_load(&routes[3].hits), 2);
	assert_string_equal(m->display_name, "MarkupSafe");
	assert_int_equal(m->nr_vulns, 0);
	assert_true(m->cooldown.too_recent);
	assert_string_equal(m->cooldown.suggestion, "2.1.3");
	assert_int_equal(m->cooldown.nr_suggestion_vulns, 0);

	/* Allowed: no project request at all. */
	struct dist_audit *f = &res.items[2];
	assert_int_equal(f->nr_vulns, 1);
	assert_string_equal(f->vulns[0].id, "GHSA-68rp-wp8r-4726");
	assert_true(f->cooldown.too_recent);
	assert_true(f->cooldown.allowed);
	assert_null(f->cooldown.suggestion);
	assert_int_equal(atomic_load(&routes[7].hits), 0);

	assert_int_equal(res.items[3].status, AUDIT_NOT_FOUND);
	assert_string_equal(res.items[3].display_name, "private-pkg");

	struct dist_audit *b = &res.items[4];
	assert_int_equal(b->status, AUDIT_ERROR);
	assert_non_null(strstr(b->error, "/pypi/broken/1.0/json"));
	assert_non_null(strstr(b->error, "invalid JSON (truncated"));
	assert_false(b->cooldown.too_recent);

	audit_result_clear(&res);
	scan_result_clear(&scan);
	input_clear(&in);
	opts_free(&o);
	httpd_stop(&h);
}

static void test_audit_unreachable(void **state)
{
	struct options o;
	opts_init(&o, "2026-04-05T00:00:00");
	o.api_url = xasprintf("http://127.0.0.1:%d/pypi", httpd_dead_port());
	struct scan_result scan = {0};
	add_dist(&scan, "Flask", "flask", "3.1.2");
	add_dist(&scan, "Jinja2", "jinja2", "3.1.2");
	struct audit_result res = {0};
	assert_int_equal(audit_run(&o, NULL, &scan, &res), -1);
	assert_non_null(res.unreachable);
	char *want = xasprintf("cannot reach %s: ", o.api_url);
	assert_true(str_starts_with(res.unreachable, want));
	assert_non_null(strstr(res.unreachable, "onnect"));
	free(want);
	audit_result_clear(&res);
	scan_result_clear(&scan);
	opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_suggest_real_wheel_history),
		cmocka_unit_test(test_suggest_synthetic),
		cmocka_unit_test(test_specifiers),
		cmocka_unit_test(test_audit_run),
		cmocka_unit_test(test_audit_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
