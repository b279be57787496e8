/* Unit tests of config.c: [tool.pipcanary] applied to struct options. */
#include "testutil.h"
#include "config.h"
#include "options.h"

static void init(struct options *o, const char *now)
{
	memset(o, 0, sizeof(*o));
	o->cool_down_days = 7;
	o->stop_at = SEV_MEDIUM;
	assert_true(parse_timestamp(now, &o->now));
}

static void test_scalars_and_lists(void **state)
{
	struct options o;
	init(&o, "2026-06-01T00:00:00");
	const char *doc =
		"{\"project\": {\"name\": \"x\"}, \"tool\": {\"pipcanary\": {"
		"\"cool-down\": 14, \"stop-at\": \"high\","
		"\"index-url\": \"https://pypi.example.com/simple\","
		"\"rules\": [\"extra.rules\", \"/abs/x.rules\"],"
		"\"ignore-vuln\": [\"GHSA-aaaa-bbbb-cccc\","
		"  {\"id\": \"PYSEC-2023-221\", \"expires\": \"2026-06-01\","
		"   \"reason\": \"not reachable\"}],"
		"\"allow-upload-time\": [\"MarkupSafe<=2025-09-27T18:37:40\"]}}}";
	assert_int_equal(config_apply_json(&o, "/proj/pyproject.toml", doc, false), 0);
	assert_int_equal(o.cool_down_days, 14);
	assert_int_equal(o.stop_at, SEV_HIGH);
	assert_string_equal(o.index_url, "https://pypi.example.com/simple");
	assert_int_equal(o.rule_files.nr, 2);
	assert_string_equal(o.rule_files.v[0], "/proj/extra.rules");
	assert_string_equal(o.rule_files.v[1], "/abs/x.rules");
	/* expires 2026-06-01 covers the whole day: still applies at 00:00 */
	assert_int_equal(o.ignore_vulns.nr, 2);
	assert_string_equal(o.ignore_vulns.v[1], "PYSEC-2023-221");
	assert_int_equal(o.nr_allowances, 1);
	assert_string_equal(o.allowances[0].normalised, "markupsafe");
	/* 1758998260: worked out with `date -u -d 2025-09-27T18:37:40 +%s` */
	assert_int_equal(o.allowances[0].until, 1758998260);
	options_clear(&o);
}

static void test_command_line_wins_and_expiry(void **state)
{
	struct options o;
	init(&o, "2027-01-02T00:00:00");
	o.cool_down_days = 0;
	o.cool_down_set = true;
	o.stop_at = SEV_LOW;
	o.stop_at_set = true;
	o.index_url = xstrdup("http://127.0.0.1/simple");
	strvec_push(&o.ignore_vulns, "GHSA-cli");
	const char *doc = "{\"tool\": {\"pipcanary\": {\"cool-down\": 30,"
			  "\"stop-at\": \"critical\", \"index-url\": \"https://x\","
			  "\"ignore-vuln\": [{\"id\": \"PYSEC-1\", \"expires\":"
			  " \"2026-12-31\"}, \"GHSA-cli\"]}}}";
	assert_int_equal(config_apply_json(&o, "p.toml", doc, false), 0);
	assert_int_equal(o.cool_down_days, 0);
	assert_int_equal(o.stop_at, SEV_LOW);
	assert_string_equal(o.index_url, "http://127.0.0.1/simple");
	/* PYSEC-1 expired on 2026-12-31; GHSA-cli not added twice */
	assert_int_equal(o.ignore_vulns.nr, 1);
	assert_string_equal(o.ignore_vulns.v[0], "GHSA-cli");
	options_clear(&o);
}

static void test_problems_are_counted(void **state)
{
	struct options o;
	init(&o, "2026-06-01T00:00:00");
	const char *doc = "{\"tool\": {\"pipcanary\": {\"cool-down\": -1,"
			  "\"stop-at\": \"loud\", \"colour\": true,"
			  "\"rules\": \"one.rules\","
			  "\"allow-upload-time\": [\"Flask\", 3,"
			  " {\"value\": \"Flask<=2025-01-01\", \"expires\": \"soon\"}]}}}";
	/* cool-down, stop-at, colour, rules, Flask, 3, expires = 7 */
	assert_int_equal(config_apply_json(&o, "p.toml", doc, false), 7);
	assert_int_equal(o.cool_down_days, 7);
	assert_int_equal(o.nr_allowances, 0);
	options_clear(&o);
}

static void test_no_table_and_top_level(void **state)
{
	struct options o;
	init(&o, "2026-06-01T00:00:00");
	assert_int_equal(config_apply_json(&o, "p.toml",
					   "{\"tool\": {\"black\": {}}}", false),
			 0);
	assert_int_equal(o.cool_down_days, 7);
	/* A pyproject.toml without [tool]: its [project] is not settings. */
	assert_int_equal(config_apply_json(&o, "pyproject.toml",
					   "{\"project\": {\"name\": \"x\"},"
					   " \"dependency-groups\": {}}",
					   false),
			 0);
	/* ... not even when given with --config. */
	assert_int_equal(config_apply_json(&o, "pyproject.toml",
					   "{\"project\": {\"name\": \"x\"}}", true),
			 0);
	assert_int_equal(o.cool_down_days, 7);
	/* A --config file of its own: keys at the top level. */
	assert_int_equal(config_apply_json(&o, "pipcanary.toml",
					   "{\"cool-down\": 3}", true),
			 0);
	assert_int_equal(o.cool_down_days, 3);
	/* The same keys at the top level of a scanned file are not read. */
	assert_int_equal(config_apply_json(&o, "p.toml",
					   "{\"cool-down\": 9}", false),
			 0);
	assert_int_equal(o.cool_down_days, 3);
	assert_int_equal(config_apply_json(&o, "bad.toml", "[1, 2", true), 1);
	options_clear(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_and_lists),
		cmocka_unit_test(test_command_line_wins_and_expiry),
		cmocka_unit_test(test_problems_are_counted),
		cmocka_unit_test(test_no_table_and_top_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
