/*
 * Unit tests of input.c: several -r files into one struct input, pip's
 * hash-checking rules checked up front, problems printed as
 * "FILE:LINE: ..." on stderr, and the flattened list that pip reads and
 * --print-requirements prints (options first, then requirements with their
 * --hash options on the same line).
 */
#include "testutil.h"
#include "input.h"

#include <fcntl.h>

static char tmpdir[] = "/tmp/pipcanary-test-input-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rm_rf(tmpdir);
}

#define H1 "sha256:86a8b5035fce64f5dcd1b794cf8ec4d31fe458cf6ce3986a30deb434df82a1d2"
#define H2 "sha256:5602bdb96d52d2d0672f24f6ffe5218795736dd34807fd0fd55ccd6bf206168b"

static char *put(const char *name, const char *text)
{
	return write_tmp(tmpdir, name, text, strlen(text));
}

static void opts_init(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->python = xstrdup("python3");
	o->api_url = xstrdup("https://pypi.org/pypi");
}

/* Runs input_load with stderr captured into *err (tmpdir prefix removed). */
static int load(struct input *in, const struct options *o, struct strbuf *err)
{
	char *path = xasprintf("%s/stderr", tmpdir);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 2);
	close(fd);
	int n = input_load(in, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	struct strbuf raw = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&raw, path, 0), 0);
	/* Drop the temporary folder from the paths: "a.txt:3: ...". */
	char *prefix = xasprintf("%s/", tmpdir);
	for (const char *p = raw.buf; *p;) {
		if (str_starts_with(p, prefix)) {
			p += strlen(prefix);
			continue;
		}
		strbuf_addch(err, *p++);
	}
	free(prefix);
	strbuf_release(&raw);
	free(path);
	return n;
}

static void test_write_requirements(void **state)
{
	char *a = put("a.txt",
		      "--index-url https://idx.example/simple\n"
		      "--extra-index-url https://extra.example/simple\n"
		      "--trusted-host idx.example\n"
		      "--pre\n"
		      "-c cons.txt\n"
		      "requests[security] == 2.31.0 ; python_version >= \"3.8\" "
		      "--hash=" H2 "\n");
	free(put("cons.txt", "urllib3<3\n"));
	char *b = put("b.txt",
		      "--index-url https://idx.example/simple\n"
		      "--only-binary :all:\n"
		      "ruamel.yaml==0.17.21 \\\n"
		      "  --hash=" H1 " \\\n"
		      "  --hash=" H2 "\n");
	struct options o;
	opts_init(&o);
	strvec_push(&o.req_files, a);
	strvec_push(&o.req_files, b);
	struct input in = {0};
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load(&in, &o, &err), 0);
	assert_string_equal(err.buf, "");
	assert_int_equal(in.files.nr, 2);
	assert_string_equal(in.files.v[0], a);
	assert_true(in.pre);
	assert_false(in.require_hashes);

	struct strbuf reqs = STRBUF_INIT, cons = STRBUF_INIT;
	input_write_requirements(&in, &reqs, &cons);
	/* The same --index-url twice is one option. */
	assert_string_equal(reqs.buf,
			    "--index-url https://idx.example/simple\n"
			    "--extra-index-url https://extra.example/simple\n"
			    "--trusted-host idx.example\n"
			    "--pre\n"
			    "--only-binary :all:\n"
			    "requests[security]==2.31.0; python_version >= \"3.8\" "
			    "--hash=" H2 "\n"
			    "ruamel.yaml==0.17.21 --hash=" H1 " --hash=" H2 "\n");
	assert_string_equal(cons.buf, "urllib3<3\n");
	strbuf_reset(&reqs);
	input_write_requirements(&in, &reqs, NULL);
	assert_null(strstr(reqs.buf, "urllib3"));

	strbuf_release(&reqs);
	strbuf_release(&cons);
	strbuf_release(&err);
	input_clear(&in);
	options_clear(&o);
	free(a);
	free(b);
}

static void test_requirements_and_pyproject_together(void **state)
{
	char *r = put("r.txt", "six\n");
	char *p = put("pyproject.toml",
		      "[project]\nname = \"x\"\nversion = \"1\"\n"
		      "dependencies = [\"idna>=3\"]\n"
		      "[project.optional-dependencies]\ntest = [\"pytest\"]\n");
	struct options o;
	opts_init(&o);
	strvec_push(&o.req_files, r);
	strvec_push(&o.req_files, p);
	strvec_push(&o.extras, "test");
	struct input in = {0};
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load(&in, &o, &err), 0);
	struct strbuf reqs = STRBUF_INIT;
	input_write_requirements(&in, &reqs, NULL);
	assert_string_equal(reqs.buf, "six\nidna>=3\npytest\n");
	assert_string_equal(in.reqs[1].file, p);
	assert_int_equal(in.reqs[1].line, 4);
	strbuf_release(&reqs);
	strbuf_release(&err);
	input_clear(&in);
	options_clear(&o);
	free(r);
	free(p);
}

/* pip's hash-checking mode: every requirement pinned and hashed. */
static void test_hash_checking_mode(void **state)
{
	char *f = put("h.txt",
		      "--require-hashes\n"
		      "idna==3.4 --hash=" H1 "\n"
		      "six>=1.0 --hash=" H2 "\n"
		      "attrs==23.1.0\n"
		      "-c hc.txt\n");
	free(put("hc.txt", "urllib3<3\n"));
	struct options o;
	opts_init(&o);
	strvec_push(&o.req_files, f);
	struct input in = {0};
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load(&in, &o, &err), 2);
	assert_string_equal(err.buf,
			    "h.txt:3: six>=1.0 must be pinned with == "
			    "(--require-hashes is on: pip's hash-checking mode)\n"
			    "h.txt:4: attrs==23.1.0 has no --hash "
			    "(--require-hashes is on: pip's hash-checking mode)\n");
	strbuf_release(&err);
	input_clear(&in);

	/* One --hash turns the mode on for the others, as in pip. */
	char *g = put("h2.txt", "idna==3.4 --hash=" H1 "\nsix==1.16.0\n");
	free(o.req_files.v[0]);
	o.req_files.v[0] = g;
	assert_int_equal(load(&in, &o, &err), 1);
	assert_string_equal(err.buf,
			    "h2.txt:2: six==1.16.0 has no --hash (other "
			    "requirements have --hash: pip's hash-checking mode)\n");
	strbuf_release(&err);
	input_clear(&in);

	/* URLs: a "#sha256=" fragment counts as the hash (pip trusts the
	 * URL the user wrote); without one a --hash is needed; version
	 * control checkouts cannot be hash-checked at all. */
	char *u = put("h3.txt",
		      "--require-hashes\n"
		      "pkg @ https://h.example/pkg-1.0.tar.gz#sha256="
		      "86a8b5035fce64f5dcd1b794cf8ec4d31fe458cf6ce3986a30deb434df82a1d2\n"
		      "other @ https://h.example/other-1.0-py3-none-any.whl\n"
		      "third @ https://h.example/third-1.0.tar.gz --hash=" H2 "\n"
		      "vcs @ git+https://h.example/vcs.git@v1 --hash=" H1 "\n");
	free(o.req_files.v[0]);
	o.req_files.v[0] = u;
	assert_int_equal(load(&in, &o, &err), 2);
	assert_string_equal(err.buf,
			    "h3.txt:3: other @ https://h.example/other-1.0-py3-"
			    "none-any.whl has no --hash (--require-hashes is on: "
			    "pip's hash-checking mode)\n"
			    "h3.txt:5: vcs @ git+https://h.example/vcs.git@v1: a "
			    "version control URL cannot be hash-checked "
			    "(--require-hashes is on: pip's hash-checking mode)\n");
	strbuf_release(&err);
	input_clear(&in);
	options_clear(&o);
	free(f);
}

static void test_problems_printed(void **state)
{
	char *f = put("bad.txt", "-e .\nrequests\n--hash=" H1 "\n");
	struct options o;
	opts_init(&o);
	strvec_push(&o.req_files, f);
	strvec_push(&o.groups, "dev");
	struct input in = {0};
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load(&in, &o, &err), 3);
	assert_string_equal(err.buf,
			    "bad.txt:1: editable requirement '-e .' cannot be "
			    "scanned from an index: PipCanary installs from the "
			    "package index only (to scan a local project, give its "
			    "pyproject.toml with -r)\n"
			    "bad.txt:3: --hash=" H1 " without a requirement: the "
			    "requirement line before it probably lacks its "
			    "trailing '\\'\n"
			    "bad.txt: --group applies to pyproject.toml input only "
			    "(give -r pyproject.toml)\n");
	strbuf_release(&err);
	input_clear(&in);
	options_clear(&o);
	free(f);
}

/*
 * Issue 9: what pip reads back from the file PipCanary writes must be what
 * was checked. Each refused text below is read by pip's req_file.py as
 * something else: a trailing '\\' joins the next requirement, " #" starts a
 * comment, ${HOME} is expanded again inside the sandbox, " -r" starts the
 * options, a newline from ${VAR} makes a line of its own, a space splits an
 * option value in two.
 */
static void test_pip_rereads(void **state)
{
	char *t = put("pyproject.toml",
		      "[project]\n"
		      "name = \"x\"\n"
		      "dependencies = [\n"
		      "  \"e==1\",\n"
		      "  \"b; os_name == 'a #b'\",\n"
		      "  \"c @ https://h.example/${HOME}/c.whl\",\n"
		      "  \"d; os_name == 'x -r y'\",\n"
		      "  'a @ https://h.example/a.whl\\',\n"
		      "]\n");
	setenv("PC_TEST_XURL", "https://x.example/\n-e /path", 1);
	char *f = put("opts.txt",
		      "--extra-index-url \"${PC_TEST_XURL}\"\n"
		      "--find-links 'https://a.example/b c/'\n"
		      "--only-binary :all:\n"
		      "six\n");
	struct options o;
	opts_init(&o);
	strvec_push(&o.req_files, t);
	strvec_push(&o.req_files, f);
	struct input in = {0};
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(load(&in, &o, &err), 6);
	const char *tail = ": pip would read it differently from the "
			   "requirements file PipCanary writes for it\n";
	char *want = xasprintf(
		"opts.txt:1: --extra-index-url value 'https://x.example/\\x0a-e "
		"/path' holds a newline or other control character%s"
		"opts.txt:2: --find-links value 'https://a.example/b c/' holds "
		"a space, quote or backslash (pip would split or unquote it)%s"
		"pyproject.toml:5: requirement 'b; os_name == \"a #b\"' holds "
		"' #', where pip starts a comment%s"
		"pyproject.toml:6: requirement 'c @ https://h.example/${HOME}/"
		"c.whl' holds ${NAME}, which pip would expand again%s"
		"pyproject.toml:7: requirement 'd; os_name == \"x -r y\"' holds "
		"a word starting with '-', where pip starts reading options%s"
		"pyproject.toml:8: requirement 'a @ https://h.example/a.whl"
		"\\x5c' ends with '\\', which joins it with the next line%s",
		tail, tail, tail, tail, tail, tail);
	assert_string_equal(err.buf, want);
	unsetenv("PC_TEST_XURL");
	free(want);
	strbuf_release(&err);
	input_clear(&in);
	options_clear(&o);
	free(f);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_requirements),
		cmocka_unit_test(test_requirements_and_pyproject_together),
		cmocka_unit_test(test_hash_checking_mode),
		cmocka_unit_test(test_problems_printed),
		cmocka_unit_test(test_pip_rereads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
