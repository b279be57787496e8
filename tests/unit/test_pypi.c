/* Unit tests of pypi.c: parsing real JSON API answers (tests/unit/data/,
 * copied from PyPI) and hostile ones; the transport against an in-process
 * HTTP server (httpd.h): retries, 404, timeouts, caps, concurrency. */
#include "testutil.h"
#include "httpd.h"
#include "options.h"
#include "pypi.h"
#include "util.h"

#include <libgen.h>

static struct strbuf read_data(const char *name)
{
	char here[] = __FILE__;
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	strbuf_addf(&path, "%s/data/%s", dirname(here), name);
	assert_int_equal(strbuf_read_file(&sb, path.buf, 0), 0);
	strbuf_release(&path);
	return sb;
}

/* ---- parsing: real answers ---- */

static void test_parse_setuptools_release(void **state)
{
	struct strbuf body = read_data("pypi-setuptools-65.5.0.json");
	struct dist_audit d = {0};
	char *err = NULL;
	assert_int_equal(pypi_parse_release(body.buf, body.len, &d, &err), 0);
	assert_null(err);
	assert_string_equal(d.display_name, "setuptools");
	assert_int_equal(d.nr_files, 2);
	assert_string_equal(d.files[0].filename, "setuptools-65.5.0-py3-none-any.whl");
	assert_string_equal(d.files[0].packagetype, "bdist_wheel");
	assert_string_equal(d.files[0].sha256,
			    "f62ea9da9ed6289bfe868cd6845968a2c854d1427f8548d52cae02a42b4f0356");
	/* 2022-10-14T12:35:21.095451Z, to the second, UTC. */
	assert_string_equal(d.files[0].upload_time, "2022-10-14T12:35:21");
	assert_int_equal(d.files[0].upload_epoch, 1665750921);
	assert_string_equal(d.files[0].requires_python, ">=3.7");
	assert_false(d.files[0].yanked);
	assert_string_equal(d.files[1].filename, "setuptools-65.5.0.tar.gz");
	assert_string_equal(d.files[1].upload_time, "2022-10-14T12:35:23");
	/* Both advisories, in the API's order. */
	assert_int_equal(d.nr_vulns, 2);
	assert_string_equal(d.vulns[0].id, "GHSA-r9hx-vwmv-q579");
	assert_string_equal(d.vulns[1].id, "PYSEC-2022-43012");
	assert_int_equal(d.vulns[1].fixed_in.nr, 1);
	assert_string_equal(d.vulns[1].fixed_in.v[0], "65.5.1");
	assert_int_equal(d.vulns[1].aliases.nr, 1);
	assert_string_equal(d.vulns[1].aliases.v[0], "CVE-2022-40897");
	assert_null(d.vulns[1].withdrawn);
	assert_null(d.vulns[1].summary);
	assert_string_equal(d.vulns[1].link,
			    "https://osv.dev/vulnerability/PYSEC-2022-43012");
	assert_true(advisory_matches(&d.vulns[1], "CVE-2022-40897"));
	assert_true(advisory_matches(&d.vulns[1], "pysec-2022-43012"));
	assert_false(advisory_matches(&d.vulns[1], "GHSA-r9hx-vwmv-q579"));
	dist_audit_clear(&d);
	strbuf_release(&body);
}

static void test_parse_pip_release(void **state)
{
	struct strbuf body = read_data("pypi-pip-23.2.1.json");
	struct dist_audit d = {0};
	char *err = NULL;
	assert_int_equal(pypi_parse_release(body.buf, body.len, &d, &err), 0);
	assert_string_equal(d.display_name, "pip");
	assert_int_equal(d.nr_vulns, 2);
	assert_string_equal(d.vulns[1].id, "PYSEC-2023-228");
	assert_string_equal(d.vulns[1].fixed_in.v[0], "23.3");
	dist_audit_clear(&d);
	strbuf_release(&body);
}

static const struct pypi_release *find_release(const struct pypi_project *p,
					       const char *v)
{
	for (size_t i = 0; i < p->nr_releases; i++)
		if (!strcmp(p->releases[i].version, v))
			return &p->releases[i];
	return NULL;
}

static void test_parse_wheel_project(void **state)
{
	struct strbuf body = read_data("pypi-wheel-project.json");
	struct pypi_project p;
	char *err = NULL;
	assert_int_equal(pypi_parse_project(body.buf, body.len, &p, &err), 0);
	assert_string_equal(p.name, "wheel");
	/* The snapshot's README: 76 versions, 140 files. */
	assert_int_equal(p.nr_releases, 76);
	size_t files = 0;
	for (size_t i = 0; i < p.nr_releases; i++)
		files += p.releases[i].nr_files;
	assert_int_equal(files, 140);
	const struct pypi_release *r = find_release(&p, "0.38.0");
	assert_non_null(r);
	assert_int_equal(r->nr_files, 2);
	assert_true(r->files[0].yanked && r->files[1].yanked);
	r = find_release(&p, "0.44.0");
	assert_non_null(r);
	assert_string_equal(r->files[1].upload_time, "2024-08-04T14:55:12");
	assert_string_equal(r->files[1].requires_python, ">=3.8");
	pypi_project_clear(&p);
	strbuf_release(&body);
}

/* ---- parsing: hostile answers ---- */

static void expect_release_error(const char *body, const char *needle)
{
	struct dist_audit d = {0};
	d.display_name = xstrdup("kept");
	char *err = NULL;
	assert_int_equal(pypi_parse_release(body, strlen(body), &d, &err), -1);
	assert_non_null(err);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not name '%s'", err, needle);
	assert_null(strchr(err, '\n'));
	/* Nothing half-filled. */
	assert_string_equal(d.display_name, "kept");
	assert_int_equal(d.nr_files, 0);
	assert_int_equal(d.nr_vulns, 0);
	free(err);
	dist_audit_clear(&d);
}

#define GOOD_FILE "{\"filename\": \"a-1.0.tar.gz\", \"yanked\": false}"

static void test_hostile_release(void **state)
{
	expect_release_error("", "invalid JSON");
	expect_release_error("<html>502 Bad Gateway</html>", "invalid JSON");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [", "invalid JSON");
	expect_release_error("[1, 2]", "an array, expected an object");
	expect_release_error("{\"urls\": [], \"vulnerabilities\": []}", "info is missing");
	expect_release_error("{\"info\": {\"name\": 7}, \"urls\": [], \"vulnerabilities\": []}",
			     "info.name is a number");
	expect_release_error("{\"info\": {\"name\": \"\"}, \"urls\": [], \"vulnerabilities\": []}",
			     "info.name is empty");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": {}, \"vulnerabilities\": []}",
			     "urls is an object");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [" GOOD_FILE "]}",
			     "vulnerabilities is missing");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [" GOOD_FILE
			     ", {\"filename\": \"b\", \"yanked\": \"no\"}], \"vulnerabilities\": []}",
			     "urls[1].yanked is a string");
	/* Injection through the advisory: ids, aliases, fixed_in, info.name. */
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"GHSA-x\\n--extra-index-url http://127.0.0.1:9/evil/\\n#\"}]}",
			     "vulnerabilities[0].id 'GHSA-x\\x0a--extra-index-url http://127.0.0.1:9/evil/\\x0a#' "
			     "is not an advisory id");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"aliases\": [\"CVE-1\", \"\\u001b]0;PWNED\\u0007\"]}]}",
			     "vulnerabilities[0].aliases[1] '\\x1b]0;PWNED\\x07' is not an advisory id");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X 1\"}]}",
			     "vulnerabilities[0].id 'X 1' is not an advisory id");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"aliases\": [\"\"]}]}",
			     "vulnerabilities[0].aliases[0] '' is not an advisory id");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\\u0000\\nevil==1\"}]}",
			     "\\u0000 is not allowed"); /* jansson refuses it */
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"fixed_in\": [\"2.0\", \"2.1\\nevilpkg==6.6.6\"]}]}",
			     "vulnerabilities[0].fixed_in[1] '2.1\\x0aevilpkg==6.6.6' is not a PEP 440 version");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"fixed_in\": [\"latest\"]}]}",
			     "vulnerabilities[0].fixed_in[0] 'latest' is not a PEP 440 version");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"fixed_in\": [\" 2.0\"]}]}",
			     "vulnerabilities[0].fixed_in[0] ' 2.0' is not a PEP 440 version");
	expect_release_error("{\"info\": {\"name\": \"a\\n--index-url http://evil/\"}, \"urls\": [], "
			     "\"vulnerabilities\": []}",
			     "info.name 'a\\x0a--index-url http://evil/' is not a valid project name");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [{\"filename\": "
			     "\"b\", \"digests\": {\"sha256\": \"abc\"}}], \"vulnerabilities\": []}",
			     "urls[0].digests.sha256 'abc' is not 64 hex digits");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [{}], \"vulnerabilities\": []}",
			     "urls[0].filename is missing");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"fixed_in\": \"1.0\"}]}",
			     "vulnerabilities[0].fixed_in is a string, expected an array");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"id\": \"X-1\", \"aliases\": [1]}]}",
			     "vulnerabilities[0].aliases[0] is a number");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"urls\": [], \"vulnerabilities\": "
			     "[{\"details\": \"no id\"}]}",
			     "vulnerabilities[0].id is missing");
	expect_release_error("{\"info\": {\"name\": \"a\"}, \"info\": {\"name\": \"b\"}, "
			     "\"urls\": [], \"vulnerabilities\": []}",
			     "duplicate");

	/* Deep nesting: jansson's depth limit, an error and not a stack
	 * overflow. */
	struct strbuf deep = STRBUF_INIT;
	for (int i = 0; i < 200000; i++)
		strbuf_addch(&deep, '[');
	expect_release_error(deep.buf, "invalid JSON");
	strbuf_release(&deep);

	/* The real answer cut in half (the "truncated" fault mode). */
	struct strbuf body = read_data("pypi-setuptools-65.5.0.json");
	strbuf_setlen(&body, body.len / 2);
	expect_release_error(body.buf, "invalid JSON (truncated");
	strbuf_release(&body);
}

static void test_release_name_and_upload_times(void **state)
{
	/* info.name must be the project asked for (d.normalised). */
	const char *other = "{\"info\": {\"name\": \"Evil.Pkg\"}, \"urls\": [], "
			    "\"vulnerabilities\": []}";
	struct dist_audit d = {.normalised = xstrdup("flask")};
	char *err = NULL;
	assert_int_equal(pypi_parse_release(other, strlen(other), &d, &err), -1);
	assert_string_equal(err, "info.name 'Evil.Pkg' is not the project asked for (flask)");
	free(err);
	err = NULL;
	assert_null(d.display_name);
	/* The same name in another spelling (PEP 503) is the same project. */
	free(d.normalised);
	d.normalised = xstrdup("evil-pkg");
	assert_int_equal(pypi_parse_release(other, strlen(other), &d, &err), 0);
	assert_string_equal(d.display_name, "Evil.Pkg");
	dist_audit_clear(&d);

	/* Upload times: unparsable or before 1970 -> unknown and invalid;
	 * missing -> unknown only. */
	const char *times =
		"{\"info\": {\"name\": \"a\"}, \"urls\": ["
		"{\"filename\": \"a-1.tar.gz\", \"upload_time_iso_8601\": \"yesterday\"},"
		"{\"filename\": \"a-1-py3-none-any.whl\", \"upload_time_iso_8601\": \"0000-01-01T00:00:00Z\"},"
		"{\"filename\": \"a-1.zip\"},"
		"{\"filename\": \"a-1.egg\", \"upload_time_iso_8601\": \"1970-01-01T00:00:00Z\"}],"
		" \"vulnerabilities\": []}";
	memset(&d, 0, sizeof(d));
	assert_int_equal(pypi_parse_release(times, strlen(times), &d, &err), 0);
	assert_int_equal(d.nr_files, 4);
	for (int i = 0; i < 2; i++) {
		assert_true(d.files[i].upload_invalid);
		assert_null(d.files[i].upload_time);
		assert_int_equal(d.files[i].upload_epoch, -1);
	}
	assert_false(d.files[2].upload_invalid);
	assert_null(d.files[2].upload_time);
	assert_false(d.files[3].upload_invalid);
	assert_string_equal(d.files[3].upload_time, "1970-01-01T00:00:00");
	assert_int_equal(d.files[3].upload_epoch, 0);
	dist_audit_clear(&d);
}

static void test_project_name_checked(void **state)
{
	const char *body = "{\"info\": {\"name\": \"Other\"}, \"releases\": {}}";
	struct pypi_project p;
	char *err = NULL;
	assert_int_equal(pypi_parse_project_of(body, strlen(body), "flask", &p, &err), -1);
	assert_string_equal(err, "info.name 'Other' is not the project asked for (flask)");
	assert_null(p.name);
	free(err);
	err = NULL;
	assert_int_equal(pypi_parse_project_of(body, strlen(body), "other", &p, &err), 0);
	assert_string_equal(p.name, "Other");
	pypi_project_clear(&p);
}

static void test_minimal_release_and_nulls(void **state)
{
	/* Optional fields null or missing: accepted, unknown upload time. */
	const char *body =
		"{\"info\": {\"name\": \"Tiny\"}, \"urls\": [{\"filename\": \"tiny-1.tar.gz\", "
		"\"upload_time_iso_8601\": null, \"digests\": null, \"requires_python\": null}], "
		"\"vulnerabilities\": [{\"id\": \"X-1\", \"aliases\": null, \"fixed_in\": null, "
		"\"withdrawn\": null}]}";
	struct dist_audit d = {0};
	char *err = NULL;
	assert_int_equal(pypi_parse_release(body, strlen(body), &d, &err), 0);
	assert_string_equal(d.display_name, "Tiny");
	assert_null(d.files[0].upload_time);
	assert_int_equal(d.files[0].upload_epoch, -1);
	assert_null(d.files[0].sha256);
	assert_int_equal(d.vulns[0].fixed_in.nr, 0);
	dist_audit_clear(&d);
}

static void test_hostile_project(void **state)
{
	const char *cases[][2] = {
		{"{\"info\": {\"name\": \"a\"}}", "releases is missing"},
		{"{\"info\": {\"name\": \"a\"}, \"releases\": []}", "releases is an array"},
		{"{\"info\": {\"name\": \"a\"}, \"releases\": {\"1.0\": {}}}",
		 "releases[\"1.0\"] is an object"},
		{"{\"info\": {\"name\": \"a\"}, \"releases\": {\"1.0\": [7]}}",
		 "releases[\"1.0\"][0] is a number"},
		{"{\"info\": {\"name\": \"a\"}, \"releases\": {\"1.0\": [", "invalid JSON"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pypi_project p;
		char *err = NULL;
		assert_int_equal(pypi_parse_project(cases[i][0], strlen(cases[i][0]),
						    &p, &err), -1);
		if (!err || !strstr(err, cases[i][1]))
			fail_msg("case %zu: error '%s' lacks '%s'", i, err, cases[i][1]);
		assert_int_equal(p.nr_releases, 0);
		assert_null(p.name);
		free(err);
	}
}

static void test_withdrawn(void **state)
{
	struct advisory a = {0};
	time_t now;
	assert_true(parse_timestamp("2024-06-01T00:00:00Z", &now));
	assert_false(advisory_withdrawn(&a, now));
	a.withdrawn = xstrdup("2024-05-31T23:59:59Z");
	assert_true(advisory_withdrawn(&a, now));
	free(a.withdrawn);
	/* Withdrawn in the future (relative to --now): still reported. */
	a.withdrawn = xstrdup("2024-06-01T00:00:01Z");
	assert_false(advisory_withdrawn(&a, now));
	free(a.withdrawn);
	a.withdrawn = xstrdup("2024-06-01T00:00:00Z");
	assert_true(advisory_withdrawn(&a, now));
	free(a.withdrawn);
	/* Unparsable: kept (bad data never hides an advisory). */
	a.withdrawn = xstrdup("garbage");
	assert_false(advisory_withdrawn(&a, now));
	advisory_clear(&a);
}

static void test_urls(void **state)
{
	char *u = pypi_release_url("http://h:1/pypi/", "zope-interface", "1.0+local.1");
	assert_string_equal(u, "http://h:1/pypi/zope-interface/1.0+local.1/json");
	free(u);
	u = pypi_project_url("https://pypi.org/pypi", "a/../b?x#y z");
	assert_string_equal(u, "https://pypi.org/pypi/a%2F..%2Fb%3Fx%23y%20z/json");
	free(u);
}

/* ---- transport ---- */

static char *url_of(const struct httpd *h, const char *path);
static void test_config(struct pypi_config *cfg);

static void test_fetch_redirects(void **state)
{
	struct route routes[] = {
		{.path = "/final", .body = "{\"ok\": 1}"},
		{.path = "/same", .status = 302, .location = "/final"},
		{.path = "/same-abs", .status = 301, .location = NULL},
		{.path = "/other-host", .status = 302,
		 .location = "http://127.0.0.2:9/evil"},
		{.path = "/other-scheme", .status = 307, .location = NULL},
		{.path = "/loop", .status = 302, .location = "/loop"},
		{.path = "/no-location", .status = 302},
	};
	struct httpd h;
	httpd_start(&h, routes, ARRAY_SIZE(routes));
	/* Absolute Location on the same origin; https on the same host. */
	char *abs = url_of(&h, "/final");
	routes[2].location = abs;
	char *https = xasprintf("https://127.0.0.1:%d/final", h.port);
	routes[4].location = https;
	const char *paths[] = {"/same", "/same-abs", "/other-host",
			       "/other-scheme", "/loop", "/no-location"};
	struct pypi_request reqs[ARRAY_SIZE(paths)];
	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		reqs[i].url = url_of(&h, paths[i]);
	struct pypi_config cfg;
	test_config(&cfg);
	char *err = NULL;
	assert_int_equal(pypi_fetch(&cfg, reqs, ARRAY_SIZE(reqs), NULL, NULL, &err), 0);

	assert_int_equal(reqs[0].outcome, PYPI_OK);
	assert_string_equal(reqs[0].body.buf, "{\"ok\": 1}");
	assert_int_equal(reqs[0].attempts, 1);
	assert_int_equal(reqs[1].outcome, PYPI_OK);
	assert_string_equal(reqs[1].body.buf, "{\"ok\": 1}");
	assert_int_equal(atomic_load(&routes[0].hits), 2);

	assert_int_equal(reqs[2].outcome, PYPI_FAILED);
	assert_string_equal(reqs[2].error, "HTTP 302 redirect to another origin "
					   "refused: 'http://127.0.0.2:9/evil'");
	assert_int_equal(reqs[3].outcome, PYPI_FAILED);
	assert_non_null(strstr(reqs[3].error, "HTTP 307 redirect to another origin refused"));
	/* 1 + 5 redirects followed, then refused. */
	assert_int_equal(reqs[4].outcome, PYPI_FAILED);
	assert_string_equal(reqs[4].error, "more than 5 redirects");
	assert_int_equal(atomic_load(&routes[5].hits), 6);
	assert_int_equal(reqs[5].outcome, PYPI_FAILED);
	assert_string_equal(reqs[5].error, "HTTP 302 without a Location");

	for (size_t i = 0; i < ARRAY_SIZE(reqs); i++)
		pypi_request_clear(&reqs[i]);
	httpd_stop(&h);
	free(abs);
	free(https);
}

static void test_config(struct pypi_config *cfg)
{
	pypi_config_default(cfg);
	cfg->backoff_ms = 20; /* keep retries quick; the logic is the same */
	cfg->timeout_ms = 2000;
	cfg->connect_timeout_ms = 2000;
}

static char *url_of(const struct httpd *h, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", h->port, path);
}

static void test_fetch_outcomes(void **state)
{
	static const char big[] = "{\"padding\": \"0123456789012345678901234567890123456789\"}";
	struct route routes[] = {
		{.path = "/ok", .body = "{\"a\": 1}"},
		{.path = "/429-once", .mode = ROUTE_FAIL_FIRST, .fail_status = 429,
		 .fail_times = 1, .retry_after = "1", .body = "{\"b\": 2}"},
		{.path = "/500-twice", .mode = ROUTE_FAIL_FIRST, .fail_status = 500,
		 .fail_times = 2},
		{.path = "/503-always", .mode = ROUTE_FAIL_FIRST, .fail_status = 503,
		 .fail_times = 1000},
		{.path = "/403", .status = 403},
		{.path = "/big", .body = big},
		{.path = "/close", .mode = ROUTE_CLOSE},
	};
	struct httpd h;
	httpd_start(&h, routes, ARRAY_SIZE(routes));
	const char *paths[] = {"/ok", "/429-once", "/500-twice", "/503-always",
			       "/403", "/big", "/close", "/missing"};
	struct pypi_request reqs[ARRAY_SIZE(paths)];
	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		reqs[i].url = url_of(&h, paths[i]);
	struct pypi_config cfg;
	test_config(&cfg);
	cfg.max_body = 40; /* "/big" is longer */
	char *err = NULL;
	assert_int_equal(pypi_fetch(&cfg, reqs, ARRAY_SIZE(reqs), NULL, NULL, &err), 0);

	assert_int_equal(reqs[0].outcome, PYPI_OK);
	assert_string_equal(reqs[0].body.buf, "{\"a\": 1}");
	assert_int_equal(reqs[0].attempts, 1);

	/* 429 with Retry-After: 1, then the answer. */
	assert_int_equal(reqs[1].outcome, PYPI_OK);
	assert_string_equal(reqs[1].body.buf, "{\"b\": 2}");
	assert_int_equal(reqs[1].attempts, 2);
	assert_int_equal(atomic_load(&routes[1].hits), 2);

	assert_int_equal(reqs[2].outcome, PYPI_OK);
	assert_int_equal(reqs[2].attempts, 3);

	/* At most 3 retries: 4 attempts, then a one-line error. */
	assert_int_equal(reqs[3].outcome, PYPI_FAILED);
	assert_int_equal(reqs[3].attempts, 4);
	assert_int_equal(atomic_load(&routes[3].hits), 4);
	assert_string_equal(reqs[3].error, "HTTP 503 (4 attempts)");
	assert_true(reqs[3].got_response);
	assert_false(reqs[3].transport_failed);

	/* A 4xx other than 404/429 is final. */
	assert_int_equal(reqs[4].outcome, PYPI_FAILED);
	assert_int_equal(reqs[4].attempts, 1);
	assert_string_equal(reqs[4].error, "HTTP 403");

	assert_int_equal(reqs[5].outcome, PYPI_FAILED);
	assert_int_equal(reqs[5].attempts, 1);
	assert_non_null(strstr(reqs[5].error, "larger than 40 bytes"));
	assert_int_equal(reqs[5].body.len, 0);

	/* Closed at once: retried, then failed with no HTTP answer. */
	assert_int_equal(reqs[6].outcome, PYPI_FAILED);
	assert_int_equal(reqs[6].attempts, 4);
	assert_false(reqs[6].got_response);
	assert_true(reqs[6].transport_failed);

	assert_int_equal(reqs[7].outcome, PYPI_NOT_FOUND);
	assert_int_equal(reqs[7].status, 404);
	assert_int_equal(reqs[7].attempts, 1);

	for (size_t i = 0; i < ARRAY_SIZE(reqs); i++)
		pypi_request_clear(&reqs[i]);
	httpd_stop(&h);
}

static void test_fetch_stall_times_out(void **state)
{
	struct route routes[] = {{.path = "/stall", .mode = ROUTE_STALL}};
	struct httpd h;
	httpd_start(&h, routes, 1);
	struct pypi_request req = {.url = url_of(&h, "/stall")};
	struct pypi_config cfg;
	test_config(&cfg);
	cfg.timeout_ms = 500;
	cfg.max_retries = 1;
	char *err = NULL;
	assert_int_equal(pypi_fetch(&cfg, &req, 1, NULL, NULL, &err), 0);
	assert_int_equal(req.outcome, PYPI_FAILED);
	assert_int_equal(req.attempts, 2); /* a timeout is retried */
	assert_non_null(strstr(req.error, "imed out"));
	assert_non_null(strstr(req.error, "(2 attempts)"));
	assert_true(req.transport_failed);
	pypi_request_clear(&req);
	httpd_stop(&h);
}

static void test_fetch_server_down(void **state)
{
	int port = httpd_dead_port();
	struct pypi_request reqs[3];
	memset(reqs, 0, sizeof(reqs));
	for (int i = 0; i < 3; i++)
		reqs[i].url = xasprintf("http://127.0.0.1:%d/pypi/a%d/json", port, i);
	struct pypi_config cfg;
	test_config(&cfg);
	char *err = NULL;
	assert_int_equal(pypi_fetch(&cfg, reqs, 3, NULL, NULL, &err), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(reqs[i].outcome, PYPI_FAILED);
		assert_false(reqs[i].got_response);
		assert_int_equal(reqs[i].status, 0);
		assert_int_equal(reqs[i].attempts, 4);
		assert_non_null(strstr(reqs[i].error, "onnect"));
		assert_true(reqs[i].transport_failed);
		pypi_request_clear(&reqs[i]);
	}
}

struct count_ctx {
	int calls;
	size_t order[32];
};

static void count_done(struct pypi_request *r, void *data)
{
	struct count_ctx *c = data;
	c->order[c->calls++] = (size_t)(uintptr_t)r->data;
	strbuf_release(&r->body); /* the callback may release the body */
}

static void test_fetch_concurrency_and_reuse(void **state)
{
	struct route routes[] = {{.path = "/slow", .mode = ROUTE_SLOW,
				  .delay_ms = 100, .body = "{}"}};
	struct httpd h;
	httpd_start(&h, routes, 1);
	enum { N = 24, JOBS = 4 };
	struct pypi_request reqs[N];
	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < N; i++) {
		reqs[i].url = url_of(&h, "/slow");
		reqs[i].data = (void *)(uintptr_t)i;
	}
	struct pypi_config cfg;
	test_config(&cfg);
	cfg.jobs = JOBS;
	struct count_ctx c = {0};
	char *err = NULL;
	assert_int_equal(pypi_fetch(&cfg, reqs, N, count_done, &c, &err), 0);
	assert_int_equal(c.calls, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(reqs[i].outcome, PYPI_OK);
	/* Never more than --jobs at once, and more than one: concurrent. */
	int max = atomic_load(&h.max_in_flight);
	assert_true(max <= JOBS);
	assert_true(max >= 2);
	/* Connections are reused: no more than one per job. */
	assert_true(atomic_load(&h.connections) <= JOBS);
	for (size_t i = 0; i < N; i++)
		pypi_request_clear(&reqs[i]);
	httpd_stop(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_setuptools_release),
		cmocka_unit_test(test_parse_pip_release),
		cmocka_unit_test(test_parse_wheel_project),
		cmocka_unit_test(test_hostile_release),
		cmocka_unit_test(test_minimal_release_and_nulls),
		cmocka_unit_test(test_release_name_and_upload_times),
		cmocka_unit_test(test_project_name_checked),
		cmocka_unit_test(test_fetch_redirects),
		cmocka_unit_test(test_hostile_project),
		cmocka_unit_test(test_withdrawn),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_fetch_outcomes),
		cmocka_unit_test(test_fetch_stall_times_out),
		cmocka_unit_test(test_fetch_server_down),
		cmocka_unit_test(test_fetch_concurrency_and_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
