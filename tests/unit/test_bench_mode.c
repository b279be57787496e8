/*
 * Unit tests of the benchmark-only switch PIPCANARY_BENCH_UNMONITORED=1 of
 * monitor_run() (monitor.h): the command runs without strace, its exit
 * status is returned, no trace line is read, nothing is found, and the time
 * limit still ends it. Without the switch nothing changes (the monitor's own
 * tests cover that).
 */
#include "testutil.h"
#include "model.h"
#include "monitor.h"
#include "util.h"

static int run(const char *const *argv, double timeout,
	       struct scan_result *res, struct monitor_outcome *out)
{
	struct monitor_config cfg = {
		.phase = "install",
		.home = "/home/u",
		.stop_at = SEV_MEDIUM,
		.timeout = timeout,
		.info_fd = -1,
	};
	setenv("PIPCANARY_BENCH_UNMONITORED", "1", 1);
	int rc = monitor_run(argv, &cfg, res, out);
	unsetenv("PIPCANARY_BENCH_UNMONITORED");
	return rc;
}

static void test_exit_status_without_trace(void **state)
{
	(void)state;
	/* A command that would be a finding under the default rules if it
	 * were traced: unmonitored, it is not even seen. */
	const char *argv[] = {"sh", "-c", "cat /etc/passwd >/dev/null; exit 3",
			      NULL};
	struct scan_result res = {0};
	struct monitor_outcome out;
	assert_int_equal(run(argv, 30, &res, &out), 0);
	assert_int_equal(out.exit_status, 3);
	assert_int_equal(out.lines, 0);
	assert_false(out.finding);
	assert_false(out.timed_out);
	assert_int_equal(res.nr_findings, 0);
	scan_result_clear(&res);
}

static void test_time_limit_still_applies(void **state)
{
	(void)state;
	const char *argv[] = {"sleep", "30", NULL};
	struct scan_result res = {0};
	struct monitor_outcome out;
	assert_int_equal(run(argv, 0.3, &res, &out), 0);
	assert_true(out.timed_out);
	assert_int_equal(out.exit_status, -1);
	assert_non_null(res.limit_hit);
	assert_string_equal(res.limit_hit, "install phase time limit (0.3 s)");
	scan_result_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status_without_trace),
		cmocka_unit_test(test_time_limit_still_applies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
