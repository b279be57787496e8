/* Unit tests of pathnorm.c: lexical normalisation and the /proc aliases.
 * Expected values worked out by hand from the rules in pathnorm.h. */
#include "testutil.h"
#include "pathnorm.h"

static const char *norm(struct strbuf *sb, const char *base, const char *path,
			const struct path_ctx *ctx)
{
	path_normalise(sb, base, path, ctx);
	return sb->buf;
}

static void test_lexical(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	assert_string_equal(norm(&sb, NULL, "/home/u/.ssh/id_rsa", NULL),
			    "/home/u/.ssh/id_rsa");
	assert_string_equal(norm(&sb, NULL, "//home///u/./.ssh//", NULL),
			    "/home/u/.ssh");
	assert_string_equal(norm(&sb, NULL, "/tmp/../home/u/x/../.aws", NULL),
			    "/home/u/.aws");
	/* ".." never climbs above the root */
	assert_string_equal(norm(&sb, NULL, "/../../etc/shadow", NULL),
			    "/etc/shadow");
	assert_string_equal(norm(&sb, NULL, "/", NULL), "/");
	assert_string_equal(norm(&sb, NULL, "/..", NULL), "/");
	/* names that only look like dots stay */
	assert_string_equal(norm(&sb, NULL, "/a/.../..b/.c", NULL),
			    "/a/.../..b/.c");
	strbuf_release(&sb);
}

static void test_relative(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	assert_string_equal(norm(&sb, "/tmp", "../home/u/.ssh/id_rsa", NULL),
			    "/home/u/.ssh/id_rsa");
	assert_string_equal(norm(&sb, "/home/u/", ".ssh", NULL),
			    "/home/u/.ssh");
	assert_string_equal(norm(&sb, "/home/u", "", NULL), "/home/u");
	assert_string_equal(norm(&sb, "/home/u", ".", NULL), "/home/u");
	/* unknown base: relative to "/" */
	assert_string_equal(norm(&sb, NULL, "etc/passwd", NULL), "/etc/passwd");
	assert_string_equal(norm(&sb, "pipe:[12]", "x", NULL), "/x");
	/* an absolute path ignores the base */
	assert_string_equal(norm(&sb, "/tmp", "/etc/shadow", NULL),
			    "/etc/shadow");
	strbuf_release(&sb);
}

static const char *lookup(void *data, int who, int fd)
{
	(void)data;
	if (who == -1 && fd == 5)
		return "/home/u/.ssh";
	if (who == -1 && fd == 6)
		return "pipe:[999]";
	if (who == 7 && fd == -1)
		return "/home/u/.gnupg";
	if (who == 7 && fd == 3)
		return "/home/u";
	return NULL;
}

static void test_proc_aliases(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct path_ctx ctx = {.cwd = "/home/u", .lookup = lookup};
	assert_string_equal(norm(&sb, NULL, "/proc/self/root/home/u/.ssh/id_rsa", &ctx),
			    "/home/u/.ssh/id_rsa");
	assert_string_equal(norm(&sb, NULL, "/proc/thread-self/root/etc/shadow", &ctx),
			    "/etc/shadow");
	assert_string_equal(norm(&sb, NULL, "/proc/42/root/etc/shadow", &ctx),
			    "/etc/shadow");
	/* nested and with dot-dot in between */
	assert_string_equal(norm(&sb, "/proc/self", "root/proc/self/root/tmp/../etc/sudoers", &ctx),
			    "/etc/sudoers");
	assert_string_equal(norm(&sb, NULL, "/proc/self/cwd/.aws/credentials", &ctx),
			    "/home/u/.aws/credentials");
	assert_string_equal(norm(&sb, NULL, "/proc/7/cwd/pubring.kbx", &ctx),
			    "/home/u/.gnupg/pubring.kbx");
	assert_string_equal(norm(&sb, NULL, "/proc/self/fd/5/id_rsa", &ctx),
			    "/home/u/.ssh/id_rsa");
	assert_string_equal(norm(&sb, NULL, "/proc/7/fd/3/.netrc", &ctx),
			    "/home/u/.netrc");
	/* unknown or non-path fds and other /proc files stay as written */
	assert_string_equal(norm(&sb, NULL, "/proc/self/fd/6", &ctx),
			    "/proc/self/fd/6");
	assert_string_equal(norm(&sb, NULL, "/proc/self/fd/9/x", &ctx),
			    "/proc/self/fd/9/x");
	assert_string_equal(norm(&sb, NULL, "/proc/self/environ", &ctx),
			    "/proc/self/environ");
	assert_string_equal(norm(&sb, NULL, "/proc/selfish/root/x", &ctx),
			    "/proc/selfish/root/x");
	assert_string_equal(norm(&sb, NULL, "/proc/12/rootx", &ctx),
			    "/proc/12/rootx");
	/* no ctx: /proc/self/cwd cannot be resolved */
	assert_string_equal(norm(&sb, NULL, "/proc/self/cwd/x", NULL),
			    "/proc/self/cwd/x");
	strbuf_release(&sb);
}

static void test_is_under(void **state)
{
	assert_true(path_is_under("/tmp/pip-install-x/a", "/tmp"));
	assert_true(path_is_under("/tmp", "/tmp/"));
	assert_false(path_is_under("/tmpfoo", "/tmp"));
	assert_true(path_is_under("/x", "/"));
	assert_false(path_is_under("/home/u2", "/home/u"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_proc_aliases),
		cmocka_unit_test(test_is_under),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
