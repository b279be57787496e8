/* Unit tests of lockfile.c: the lock of a hand-built scan and audit,
 * compared byte for byte with tests/unit/data/expected.lock (written by
 * hand from the format in lockfile.h and the brief), and every error. */
#include "testutil.h"
#include "model_builders.h"
#include "lockfile.h"
#include "options.h"
#include "version.h"

#include <errno.h>
#include <sys/stat.h>

#define H_BLACK1 "86a8b5035fce64f5dcd1b794cf8ec4d31fe458cf6ce3986a30deb434df82a1d2"
#define H_BLACK2 "5602bdb96d52d2d0672f24f6ffe5218795736dd34807fd0fd55ccd6bf206168b"
#define H_BUILD1 "7a4d8651ea877cb2a89458b1b198f2e69f536c95e89129dbf5d448045d60db88"
#define H_BUILD2 "35b14e1ee329c186d3f08466003521ed7685ec15ecffc07e68d706090bf161d1"
#define H_VENV1 "1bd755b504931164a5a496d217c014d098426cddc79363ad66ac78125f9d908f"
#define H_VENV2 "1720dc3a62ef5b443092e3f499228599045d7fea4c79199770499df8becf9098"
#define H_CLICK1 "522836119b7383b214ab374ea35d65a3857b18f88d806dc194604eb7adeba31f"
#define H_CLICK2 "79bd720a93b05043b30d7c6a9f3e1baeb6fc540fcef9e767034fb79fe298fc2c"
#define H_PACK "06c34efe99b0152c7b1aebc3a13fe745e5585954ff7cfc0e3a2492485023b2f1"
#define H_PD1 "4b07c00aba5dcae5bd0eee5f278ee9828eb6cfbcf32aaa021248532405a5b91e"
#define H_PD2 "0ffb110bef26f2b555b6e84f0e2af49f0ee0c6a638dce3bb0bfe19ece19c9ca7"
#define H_EVIL "b5c1fb2efc6d6b4674c2fdcc48ce01b43a3b7c03763c0c3355de0099ee0f8c73"

struct world {
	struct options opts;
	struct input in;
	struct scan_result scan;
	struct audit_result audit;
	char dir[64];
	char *lock;
};

static char *upper(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	return r;
}

/*
 * The brief's example (virtualenv, build, black) plus three dependencies,
 * in a deliberately unsorted order, with the brief's hashes.
 */
static int setup(void **state)
{
	struct world *w = xcalloc(1, sizeof(*w));
	strcpy(w->dir, "/tmp/pipcanary-lock-test.XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	w->lock = xasprintf("%s/requirements.lock", w->dir);
	w->opts.lock_file = xstrdup(w->lock);
	w->opts.lock_hashes = LOCK_HASHES_ALL;

	strvec_push(&w->in.files, "requirements.txt");
	tb_req(&w->in, "virtualenv", "~=21.2.0", NULL, "requirements.txt", 1);
	tb_req(&w->in, "build", "~=1.4.0", "python_version >= \"3.8\"",
	       "requirements.txt", 2);
	tb_req(&w->in, "Black", "~=26.3.1", NULL, "requirements.txt", 3);

	w->scan.python_version = xstrdup("3.11.2");
	w->scan.platform = xstrdup("linux-x86_64");
	tb_dist(&w->scan, "virtualenv", "21.2.0", H_VENV1, true, NULL);
	tb_dist(&w->scan, "platformdirs", "4.3.8", H_PD2, false, "black",
		"virtualenv", NULL);
	tb_dist(&w->scan, "build", "1.4.2", H_BUILD2, true, NULL);
	tb_dist(&w->scan, "black", "26.3.1", H_BLACK1, true, NULL);
	tb_dist(&w->scan, "packaging", "25.0", H_PACK, false, "black",
		"build", NULL);
	tb_dist(&w->scan, "click", "8.1.7", H_CLICK1, false, "black", NULL);

	tb_audit(&w->audit, "virtualenv", "21.2.0", H_VENV1, H_VENV2, NULL);
	tb_audit(&w->audit, "platformdirs", "4.3.8", H_PD1, H_PD2, NULL);
	struct dist_audit *b =
		tb_audit(&w->audit, "build", "1.4.2", H_BUILD1, H_BUILD2, NULL);
	b->cooldown.too_recent = true;
	b->cooldown.newest_upload = xstrdup("2026-04-02T18:49:14");
	/* The API spelling a digest in upper case, and twice: one hash line. */
	_cleanup_free_ char *black_upper = upper(H_BLACK1);
	struct dist_audit *k = tb_audit(&w->audit, "black", "26.3.1", H_BLACK1,
					H_BLACK2, black_upper, NULL);
	tb_vuln(&k->vulns, &k->nr_vulns, "GHSA-aaaa-bbbb-cccc", "26.3.2",
		NULL);
	tb_audit(&w->audit, "packaging", "25.0", H_PACK, NULL);
	tb_audit(&w->audit, "click", "8.1.7", H_CLICK1, H_CLICK2, NULL);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	rm_rf(w->dir);
	free(w->lock);
	free(w->opts.lock_file);
	input_clear(&w->in);
	scan_result_clear(&w->scan);
	audit_result_clear(&w->audit);
	free(w);
	return 0;
}

static char *read_all(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path, 0) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The folder holds nothing but (maybe) the lock: no temporary files. */
static int entries_in(const char *dir)
{
	char *cmd = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

static void test_lock_matches_expected_file(void **state)
{
	struct world *w = *state;
	assert_int_equal(lockfile_write(&w->opts, &w->in, &w->scan, &w->audit),
			 0);
	_cleanup_free_ char *got = read_all(w->lock);
	_cleanup_free_ char *tmpl = read_all("tests/unit/data/expected.lock");
	assert_non_null(got);
	assert_non_null(tmpl);
	/* The expected file names the version as @VERSION@. */
	struct strbuf want = STRBUF_INIT;
	const char *at = strstr(tmpl, "@VERSION@");
	assert_non_null(at);
	strbuf_add(&want, tmpl, (size_t)(at - tmpl));
	strbuf_addstr(&want, PIPCANARY_VERSION);
	strbuf_addstr(&want, at + strlen("@VERSION@"));
	assert_string_equal(got, want.buf);
	strbuf_release(&want);
	assert_int_equal(entries_in(w->dir), 1);

	struct stat st;
	assert_int_equal(stat(w->lock, &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
}

static void test_lock_hashes_scanned(void **state)
{
	struct world *w = *state;
	w->opts.lock_hashes = LOCK_HASHES_SCANNED;
	assert_int_equal(lockfile_write(&w->opts, &w->in, &w->scan, &w->audit),
			 0);
	_cleanup_free_ char *got = read_all(w->lock);
	assert_non_null(strstr(got, "# Hashes: the scanned artifact only.\n"));
	assert_non_null(strstr(got, "Black==26.3.1 \\\n   --hash=sha256:" H_BLACK1
				    "\nbuild==1.4.2 ; python_version >= \"3.8\" "
				    "\\\n   --hash=sha256:" H_BUILD2 "\n"));
	assert_null(strstr(got, H_BLACK2));
	assert_null(strstr(got, H_VENV2));
}

static void test_lock_without_audit_has_scanned_hash_only(void **state)
{
	struct world *w = *state;
	assert_int_equal(lockfile_write(&w->opts, &w->in, &w->scan, NULL), 0);
	_cleanup_free_ char *got = read_all(w->lock);
	assert_non_null(strstr(got, "virtualenv==21.2.0 \\\n   --hash=sha256:" H_VENV1
				    "\n"));
	assert_null(strstr(got, H_VENV2));
	/* No audit, no warnings to repeat. */
	assert_null(strstr(got, "Warnings"));
}

static void test_scanned_hash_missing_from_api_is_an_error(void **state)
{
	struct world *w = *state;
	free(w->scan.dists[3].sha256); /* black */
	w->scan.dists[3].sha256 = xstrdup(H_EVIL);
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "Black 26.3.1"));
	assert_non_null(strstr(err, H_EVIL));
	assert_non_null(strstr(err, "does not list"));
	free(err);
	strbuf_release(&out);
	/* lockfile_write leaves nothing behind, not even a temporary. */
	assert_int_equal(lockfile_write(&w->opts, &w->in, &w->scan, &w->audit),
			 -1);
	assert_false(exists(w->lock));
	assert_int_equal(entries_in(w->dir), 0);
}

static void test_unknown_or_bad_scanned_hash_is_an_error(void **state)
{
	struct world *w = *state;
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	free(w->scan.dists[0].sha256); /* virtualenv */
	w->scan.dists[0].sha256 = NULL;
	w->opts.lock_hashes = LOCK_HASHES_SCANNED;
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 NULL, &err),
			 -1);
	assert_non_null(strstr(err, "virtualenv 21.2.0"));
	assert_non_null(strstr(err, "unknown"));
	free(err);
	/* A digest with a space in it must never reach a --hash option. */
	w->scan.dists[0].sha256 = xstrdup("1bd755b5 --hash=sha256:x");
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 NULL, &err),
			 -1);
	assert_non_null(strstr(err, "not a sha256 digest"));
	free(err);
	strbuf_release(&out);
}

static void test_api_error_is_an_error_not_found_is_a_note(void **state)
{
	struct world *w = *state;
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	struct dist_audit *click = &w->audit.items[5];
	click->status = AUDIT_ERROR;
	click->error = xstrdup("truncated JSON");
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 -1);
	assert_non_null(strstr(err, "click 8.1.7"));
	assert_non_null(strstr(err, "truncated JSON"));
	assert_non_null(strstr(err, "--lock-hashes scanned"));
	free(err);

	/* 404: a private package; the scanned hash, and the header says so. */
	click->status = AUDIT_NOT_FOUND;
	strbuf_reset(&out);
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 0);
	assert_null(err);
	assert_non_null(strstr(out.buf, "#   click 8.1.7 is not on the JSON API: "
					"only the hash of the scanned artifact "
					"is listed.\n"));
	assert_non_null(strstr(out.buf, "click==8.1.7 \\\n   --hash=sha256:" H_CLICK1
					"\n   # via Black\n"));
	assert_null(strstr(out.buf, H_CLICK2));

	/* A release with no audit item at all cannot be checked. */
	w->audit.nr = 5; /* hides click (freed by teardown via the count) */
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 -1);
	assert_non_null(strstr(err, "no answer"));
	free(err);
	w->audit.nr = 6;
	strbuf_release(&out);
}

/* Breaker report 1: text from a hostile JSON API (here put straight into
 * the audit, past the parser's checks) cannot add a line to the lock. */
static void test_no_injected_line(void **state)
{
	struct world *w = *state;
	struct dist_audit *black = &w->audit.items[3];
	free(black->vulns[0].id);
	black->vulns[0].id = xstrdup(
		"GHSA-x\n--extra-index-url http://127.0.0.1:9/evil/\n"
		"evilpkg==6.6.6 --hash=sha256:000\n#");
	strvec_clear(&black->vulns[0].fixed_in);
	strvec_push(&black->vulns[0].fixed_in, "26.3.2\r\n-e /x");
	struct dist_audit *build = &w->audit.items[2];
	free(build->display_name);
	build->display_name = xstrdup("build\x1b]0;PWNED\x07\x1b[2J\nevil==1");
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 0);
	assert_non_null(strstr(out.buf,
		"#   Package black:26.3.1 has known vulnerabilities: "
		"GHSA-x\\x0a--extra-index-url http://127.0.0.1:9/evil/\\x0a"
		"evilpkg==6.6.6 --hash=sha256:000\\x0a# (fixed in "
		"26.3.2\\x0d\\x0a-e /x).\n"));
	assert_non_null(strstr(out.buf,
		"#   Package build\\x1b]0;PWNED\\x07\\x1b[2J\\x0aevil==1 1.4.2 "
		"was updated too recently: 2026-04-02T18:49:14.\n"));
	/* Every line is a comment, a requirement of the scan or a hash. */
	const char *names[] = {"virtualenv==", "platformdirs==", "build==",
			       "black==", "packaging==", "click=="};
	char *save = NULL;
	for (char *line = strtok_r(out.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		for (const char *p = line; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fail_msg("control byte in line '%s'", line);
		if (line[0] == '#' || str_starts_with(line, "   # via ") ||
		    str_starts_with(line, "   --hash=sha256:"))
			continue;
		bool ok = false;
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			ok |= !strncasecmp(line, names[i], strlen(names[i]));
		if (!ok)
			fail_msg("unexpected line '%s'", line);
	}
	strbuf_release(&out);
}

static void test_markers_of_several_lines_are_joined(void **state)
{
	struct world *w = *state;
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	tb_req(&w->in, "BUILD", ">=1", "sys_platform == \"win32\"",
	       "requirements.txt", 4);
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 0);
	/* The first line's spelling; either marker admits it. */
	assert_non_null(strstr(out.buf,
			       "\nbuild==1.4.2 ; (python_version >= \"3.8\") or "
			       "(sys_platform == \"win32\") \\\n"));
	/* A line without a marker applies everywhere: no marker. */
	tb_req(&w->in, "build", NULL, NULL, "requirements.txt", 5);
	strbuf_reset(&out);
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 0);
	assert_non_null(strstr(out.buf, "\nbuild==1.4.2 \\\n"));
	strbuf_release(&out);
}

static void test_direct_references(void **state)
{
	struct world *w = *state;
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	struct requirement *r = &w->in.reqs[0]; /* virtualenv */
	r->url = xstrdup("https://example.org/virtualenv-21.2.0-py3-none-any.whl");
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 0);
	assert_non_null(strstr(out.buf,
			       "\nvirtualenv @ https://example.org/virtualenv-"
			       "21.2.0-py3-none-any.whl \\\n   --hash=sha256:" H_VENV1
			       "\n"));
	assert_null(strstr(out.buf, H_VENV2));
	free(r->url);
	r->url = xstrdup("git+https://example.org/virtualenv.git@21.2.0");
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 -1);
	assert_non_null(strstr(err, "version control"));
	free(err);
	strbuf_release(&out);
}

static void test_dist_without_version_is_an_error(void **state)
{
	struct world *w = *state;
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	free(w->scan.dists[1].version); /* platformdirs */
	w->scan.dists[1].version = NULL;
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &w->scan,
					 &w->audit, &err),
			 -1);
	assert_string_equal(err, "distribution 2 of the scan (platformdirs) "
				 "has no version");
	free(err);
	strbuf_release(&out);
}

static void test_write_error_names_the_file(void **state)
{
	struct world *w = *state;
	free(w->opts.lock_file);
	w->opts.lock_file = xasprintf("%s/no/such/folder/x.lock", w->dir);
	assert_int_equal(lockfile_write(&w->opts, &w->in, &w->scan, &w->audit),
			 -1);
	assert_int_equal(entries_in(w->dir), 0);
}

static void test_empty_scan_gives_a_header_only(void **state)
{
	struct world *w = *state;
	struct scan_result empty = {0};
	char *err = NULL;
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(lockfile_render(&out, &w->opts, &w->in, &empty, NULL,
					 &err),
			 0);
	assert_non_null(strstr(out.buf, "# Python (unknown) on (unknown "
					"platform).\n"));
	/* Every line is a comment: pip installs nothing from it. */
	for (char *line = out.buf; *line; line = strchr(line, '\n') + 1)
		assert_int_equal(*line, '#');
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock_matches_expected_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_hashes_scanned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_lock_without_audit_has_scanned_hash_only, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scanned_hash_missing_from_api_is_an_error, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_unknown_or_bad_scanned_hash_is_an_error, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_api_error_is_an_error_not_found_is_a_note, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_markers_of_several_lines_are_joined, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_no_injected_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_direct_references, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_dist_without_version_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_names_the_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_empty_scan_gives_a_header_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
