/* Unit tests of runcmd.c: capture, exit status, missing program, caps. */
#include "testutil.h"
#include "runcmd.h"

#include <errno.h>

static void test_captures_both_streams(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	const char *argv[] = {"sh", "-c", "printf 'a\\nb'; printf oops >&2; exit 3",
			      NULL};
	assert_int_equal(run_capture(argv, &out, &err, 0), 3);
	assert_string_equal(out.buf, "a\nb");
	assert_string_equal(err.buf, "oops");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_stdin_is_empty(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *argv[] = {"sh", "-c", "wc -c", NULL};
	assert_int_equal(run_capture(argv, &out, NULL, 0), 0);
	strbuf_trim(&out);
	assert_string_equal(out.buf, "0");
	strbuf_release(&out);
}

static void test_missing_program(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *argv[] = {"/nonexistent/helper", NULL};
	errno = 0;
	assert_int_equal(run_capture(argv, &out, NULL, 0), -1);
	assert_int_equal(errno, ENOENT);
	strbuf_release(&out);
}

static void test_signal_and_cap(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *kill_self[] = {"sh", "-c", "kill -9 $$", NULL};
	assert_int_equal(run_capture(kill_self, &out, NULL, 0), 128 + 9);
	const char *flood[] = {"sh", "-c", "yes", NULL};
	errno = 0;
	assert_int_equal(run_capture(flood, &out, NULL, 4096), -1);
	assert_int_equal(errno, EFBIG);
	assert_true(out.len <= 4096);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_both_streams),
		cmocka_unit_test(test_stdin_is_empty),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_signal_and_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
