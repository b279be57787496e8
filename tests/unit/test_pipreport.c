/*
 * Unit tests of pipreport.c on pip's real --report JSON, recorded with pip
 * 23.2.1 in the sandbox (only the long "description" fields were dropped):
 *   data/pip-report-jinja2-sdist.json  Jinja2==3.1.2 from sdists (+MarkupSafe)
 *   data/pip-report-wheels.json        wheel==0.40.0, setuptools==67.6.1
 * The expected digests are those of /work/shared/data/dists/SHA256SUMS.
 */
#include "testutil.h"

#include "model.h"
#include "pipreport.h"

static char *data_path(const char *name)
{
	/* __FILE__ is tests/unit/test_pipreport.c relative to the tree root,
	 * where the tests run. */
	const char *f = __FILE__;
	const char *slash = strrchr(f, '/');
	return xasprintf("%.*s/data/%s", (int)(slash - f), f, name);
}

static void load(const char *name, const struct input *in,
		 struct scan_result *res)
{
	char *path = data_path(name);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, path, 0), 0);
	char *err = NULL;
	int rc = pipreport_parse(sb.buf, sb.len, in, res, &err);
	if (rc)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
	strbuf_release(&sb);
	free(path);
}

static void test_sdists(void **state)
{
	struct scan_result res = {0};
	load("pip-report-jinja2-sdist.json", NULL, &res);
	assert_int_equal(res.nr_dists, 2);
	const struct dist *j = &res.dists[0], *m = &res.dists[1];
	assert_string_equal(j->name, "Jinja2");
	assert_string_equal(j->normalised, "jinja2");
	assert_string_equal(j->version, "3.1.2");
	assert_string_equal(j->url, "file:///dists/Jinja2-3.1.2.tar.gz");
	assert_string_equal(j->sha256, "31351a702a408a9e7595a8fc6150fc3f43bb6bf7e319770cbc0db9df9437e852");
	assert_false(j->is_wheel);
	assert_true(j->requested);
	assert_int_equal(j->requires_dist.nr, 2);
	assert_string_equal(j->requires_dist.v[0], "MarkupSafe >=2.0");
	assert_int_equal(j->required_by.nr, 0);

	assert_string_equal(m->name, "MarkupSafe");
	assert_string_equal(m->normalised, "markupsafe");
	assert_string_equal(m->sha256, "abcabc8c2b26036d62d4c746381a6f7cf60aafcc653198ad678306986b09450d");
	assert_false(m->requested);
	assert_false(m->is_wheel);
	/* Jinja2's "MarkupSafe >=2.0" has no marker: it applies. */
	assert_int_equal(m->required_by.nr, 1);
	assert_string_equal(m->required_by.v[0], "jinja2");

	assert_string_equal(res.python_version, "3.11.7");
	assert_string_equal(res.platform, "linux-x86_64");
	scan_result_clear(&res);
}

static void test_wheels_and_extra_markers(void **state)
{
	struct scan_result res = {0};
	load("pip-report-wheels.json", NULL, &res);
	assert_int_equal(res.nr_dists, 2);
	/* Sorted by normalised name: setuptools before wheel. */
	const struct dist *s = &res.dists[0], *w = &res.dists[1];
	assert_string_equal(w->name, "wheel");
	assert_true(w->is_wheel);
	assert_string_equal(w->sha256, "d236b20e7cb522daf2390fa84c55eea81c5c30190f90f29ae2ca1ad8355bf247");
	assert_string_equal(s->name, "setuptools");
	assert_string_equal(s->version, "67.6.1");
	assert_string_equal(s->sha256, "e728ca814a823bf7bf60162daf9db95b93d532948c4c0bea762ce62f60189078");
	assert_true(s->is_wheel);
	/* setuptools names "wheel ; extra == 'testing'": not requested with
	 * that extra, so wheel is not required by it. */
	assert_int_equal(w->required_by.nr, 0);
	assert_int_equal(s->required_by.nr, 0);
	scan_result_clear(&res);
}

static void test_extra_requested_by_input(void **state)
{
	/* The user asked for setuptools[testing]: its "wheel ; extra ==
	 * 'testing'" applies now. */
	struct input in = {0};
	in.reqs = xcalloc(1, sizeof(*in.reqs));
	in.nr = in.alloc = 1;
	in.reqs[0].name = xstrdup("setuptools");
	in.reqs[0].normalised = xstrdup("setuptools");
	strvec_push(&in.reqs[0].extras, "testing");
	struct scan_result res = {0};
	load("pip-report-wheels.json", &in, &res);
	assert_string_equal(res.dists[1].name, "wheel");
	assert_int_equal(res.dists[1].required_by.nr, 1);
	assert_string_equal(res.dists[1].required_by.v[0], "setuptools");
	scan_result_clear(&res);
	input_clear(&in);
}

static int parse_str(const char *json, struct scan_result *res, char **err)
{
	return pipreport_parse(json, strlen(json), NULL, res, err);
}

static void test_legacy_hash_and_direct_urls(void **state)
{
	struct scan_result res = {0};
	char *err = NULL;
	const char *j =
		"{\"version\": \"1\", \"install\": ["
		"{\"download_info\": {\"url\": \"https://h/x/Foo_Bar-1.0-py3-none-any.whl#sha256=00\","
		"  \"archive_info\": {\"hash\": \"sha256=AB" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\"}},"
		" \"requested\": false, \"metadata\": {\"name\": \"Foo_Bar\", \"version\": \"1.0\"}},"
		"{\"download_info\": {\"url\": \"file:///src/proj\", \"dir_info\": {}},"
		" \"requested\": true, \"metadata\": {\"name\": \"proj\", \"version\": \"0.1\","
		"  \"requires_dist\": [\"foo-bar\", 7]}}]}";
	assert_int_equal(parse_str(j, &res, &err), 0);
	assert_int_equal(res.nr_dists, 2);
	assert_string_equal(res.dists[0].normalised, "foo-bar");
	/* The legacy "hash" form, lower-cased. */
	assert_string_equal(res.dists[0].sha256, "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd");
	assert_true(res.dists[0].is_wheel);
	/* A local folder: no archive, no digest, not a wheel. */
	assert_null(res.dists[1].sha256);
	assert_false(res.dists[1].is_wheel);
	/* The non-string requirement is skipped, the name matches after
	 * normalisation. */
	assert_int_equal(res.dists[1].requires_dist.nr, 1);
	assert_int_equal(res.dists[0].required_by.nr, 1);
	assert_string_equal(res.dists[0].required_by.v[0], "proj");
	/* No "environment": nothing invented. */
	assert_null(res.python_version);
	scan_result_clear(&res);
}

static void test_bad_reports(void **state)
{
	static const struct {
		const char *json, *needle;
	} cases[] = {
		{"", "not valid JSON"},
		{"[1]", "no \"version\""},
		{"{\"version\": \"2\", \"install\": []}", "format version 2"},
		{"{\"version\": \"1\", \"install\": [{\"metadata\": {\"name\": \"x\"}}]}",
		 "install item 1 has no metadata name and version"},
		{"{\"version\": \"1\", \"install\": [{\"metadata\": {\"name\": \"a\", \"version\": \"1\"}}, 5]}",
		 "install item 2"},
		{"{\"version\": \"1\", \"install\": [{\"metadata\": {\"name\": \"../x\", \"version\": \"1\"}}]}",
		 "not a valid project name"},
		{"{\"version\": \"1\", \"version\": \"1\", \"install\": []}", "not valid JSON"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scan_result res = {0};
		char *err = NULL;
		assert_int_equal(parse_str(cases[i].json, &res, &err), -1);
		assert_non_null(err);
		if (!strstr(err, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].needle);
		assert_int_equal(res.nr_dists, 0);
		free(err);
		scan_result_clear(&res);
	}
}

static void test_bad_digest_is_dropped(void **state)
{
	struct scan_result res = {0};
	char *err = NULL;
	const char *j = "{\"version\": \"1\", \"install\": [{\"download_info\": "
			"{\"url\": \"u.tar.gz\", \"archive_info\": {\"hashes\": {\"sha256\": \"xyz\"}}},"
			"\"metadata\": {\"name\": \"a\", \"version\": \"1\"}}]}";
	assert_int_equal(parse_str(j, &res, &err), 0);
	assert_null(res.dists[0].sha256);
	scan_result_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdists),
		cmocka_unit_test(test_wheels_and_extra_markers),
		cmocka_unit_test(test_extra_requested_by_input),
		cmocka_unit_test(test_legacy_hash_and_direct_urls),
		cmocka_unit_test(test_bad_reports),
		cmocka_unit_test(test_bad_digest_is_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
