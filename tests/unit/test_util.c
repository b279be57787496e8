/* Unit tests of util.c: strbuf, strvec, rm_rf, atomic writes. */
#include "testutil.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static void test_strbuf_grows_and_formats(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	assert_string_equal(sb.buf, "");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	assert_int_equal(sb.len, 1000);
	assert_int_equal(sb.buf[26], 'a');
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s:%d", "file.txt", 42);
	assert_string_equal(sb.buf, "file.txt:42");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
}

static void test_strbuf_trim_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, " \t requests==2.0 \r\n");
	strbuf_trim(&sb);
	assert_string_equal(sb.buf, "requests==2.0");
	char *s = strbuf_detach(&sb);
	assert_string_equal(s, "requests==2.0");
	assert_string_equal(sb.buf, "");
	free(s);
	/* Detaching an empty buffer still gives an owned "" */
	s = strbuf_detach(&sb);
	assert_string_equal(s, "");
	free(s);
}

static void test_strvec(void **state)
{
	struct strvec sv = STRVEC_INIT;
	assert_null(sv.v);
	strvec_pushl(&sv, "b", "c", NULL);
	strvec_push(&sv, "a");
	strvec_pushf(&sv, "%d", 7);
	assert_int_equal(sv.nr, 4);
	assert_null(sv.v[4]);
	assert_true(strvec_contains(&sv, "c"));
	assert_false(strvec_contains(&sv, "d"));
	strvec_sort(&sv);
	char *j = strvec_join(&sv, ", ");
	assert_string_equal(j, "7, a, b, c");
	free(j);
	strvec_clear(&sv);
	j = strvec_join(&sv, ",");
	assert_string_equal(j, "");
	free(j);
}

static void test_parse_long(void **state)
{
	long v = 0;
	assert_true(parse_long("16", 1, 256, &v));
	assert_int_equal(v, 16);
	assert_false(parse_long("0", 1, 256, &v));
	assert_false(parse_long("257", 1, 256, &v));
	assert_false(parse_long("12x", 1, 256, &v));
	assert_false(parse_long("", 1, 256, &v));
	assert_false(parse_long("99999999999999999999", 0, 10, &v));
}

static void test_sha256_lower_quoted(void **state)
{
	const char *h = "F62EA9DA9ED6289BFE868CD6845968A2C854D1427F8548D52CAE02A42B4F0356";
	assert_true(str_is_sha256_hex(h));
	assert_false(str_is_sha256_hex("f62ea9"));
	assert_false(str_is_sha256_hex(NULL));
	char bad[65];
	memcpy(bad, h, 65);
	bad[10] = 'g';
	assert_false(str_is_sha256_hex(bad));
	char *l = xstrdup_lower(h);
	assert_string_equal(l, "f62ea9da9ed6289bfe868cd6845968a2c854d1427f8548d52cae02a42b4f0356");
	free(l);
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_quoted(&sb, "a\nb\\c", 10);
	assert_string_equal(sb.buf, "'a\\x0ab\\x5cc'");
	strbuf_reset(&sb);
	strbuf_add_quoted(&sb, "abcdef", 3);
	assert_string_equal(sb.buf, "'abc...'");
	strbuf_release(&sb);
}

static void test_starts_ends(void **state)
{
	assert_true(str_starts_with("--hash=sha256:ab", "--hash="));
	assert_false(str_starts_with("-h", "--hash="));
	assert_true(str_ends_with("pyproject.toml", ".toml"));
	assert_false(str_ends_with("toml", ".toml"));
}

static void test_rm_rf_removes_tree_with_locked_folder(void **state)
{
	char tmpl[] = "/tmp/pc-test-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char path[256];
	snprintf(path, sizeof path, "%s/a/b", tmpl);
	assert_int_equal(mkdir(path, 0700) < 0 ? 0 : 1, 0); /* a missing */
	snprintf(path, sizeof path, "%s/a", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/a/b", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/a/b/f", tmpl);
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof path, "%s/a/link", tmpl);
	assert_int_equal(symlink("/etc", path), 0);
	snprintf(path, sizeof path, "%s/a/b", tmpl);
	chmod(path, 0); /* a package may leave such folders */
	assert_int_equal(rm_rf(tmpl), 0);
	struct stat st;
	assert_int_equal(lstat(tmpl, &st), -1);
	assert_int_equal(errno, ENOENT);
	/* The symlink's target was not followed. */
	assert_int_equal(stat("/etc/passwd", &st), 0);
}

static void test_write_file_atomic(void **state)
{
	char tmpl[] = "/tmp/pc-test-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char path[256];
	snprintf(path, sizeof path, "%s/lock.txt", tmpl);
	assert_int_equal(write_file_atomic(path, "abc\n", 4, 0644), 0);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&sb, path, 0), 0);
	assert_string_equal(sb.buf, "abc\n");
	strbuf_release(&sb);
	/* A symlink (to /dev/null, say) is never replaced. */
	char link[256];
	snprintf(link, sizeof link, "%s/link", tmpl);
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_int_equal(write_file_atomic(link, "x", 1, 0644), -1);
	assert_int_equal(errno, EINVAL);
	struct stat lst;
	assert_int_equal(lstat(link, &lst), 0);
	assert_true(S_ISLNK(lst.st_mode));
	/* Into a missing folder: fails, leaves nothing. */
	snprintf(path, sizeof path, "%s/missing/lock.txt", tmpl);
	assert_int_equal(write_file_atomic(path, "x", 1, 0644), -1);
	assert_int_equal(strbuf_read_file(&sb, tmpl, 0), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(rm_rf(tmpl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_grows_and_formats),
		cmocka_unit_test(test_strbuf_trim_and_detach),
		cmocka_unit_test(test_strvec),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_starts_ends),
		cmocka_unit_test(test_sha256_lower_quoted),
		cmocka_unit_test(test_rm_rf_removes_tree_with_locked_folder),
		cmocka_unit_test(test_write_file_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
