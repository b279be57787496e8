/*
 * Unit tests of reqfile.c: requirements files read as pip's req_file.py
 * reads them, and every pitfall of issue 4. Expected values are worked out
 * by hand from pip's rules (join lines, strip comments, expand ${VAR},
 * split requirement and options), PEP 508 and PEP 503.
 */
#include "testutil.h"
#include "model.h"
#include "reqfile.h"

#include <sys/stat.h>

static char tmpdir[] = "/tmp/pipcanary-test-reqfile-XXXXXX";

static int setup(void **state)
{
	(void)state;
	strcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rm_rf(tmpdir);
}

/* Writes name (may hold one "sub/" folder) in tmpdir; returns its path. */
static char *put(const char *name, const char *text)
{
	const char *slash = strchr(name, '/');
	if (slash) {
		char *dir = xasprintf("%s/%.*s", tmpdir, (int)(slash - name), name);
		mkdir(dir, 0700);
		free(dir);
	}
	return write_tmp(tmpdir, name, text, strlen(text));
}

struct result {
	struct input in;
	struct strvec problems;
	int n;
};

/* Reads file `name` of tmpdir with Python 3.11.7 as the marker Python. */
static void read_req(struct result *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct reqfile_env env = {.python = "python3",
				  .python_full_version = "3.11.7"};
	r->n = reqfile_read(&r->in, path, &env, &r->problems);
	reqfile_env_clear(&env);
	free(path);
}

static void result_clear(struct result *r)
{
	input_clear(&r->in);
	strvec_clear(&r->problems);
}

/* The problem i with the tmpdir prefix cut off ("a.txt:3: ..."). */
static const char *problem(const struct result *r, size_t i)
{
	assert_true(i < r->problems.nr);
	const char *p = r->problems.v[i];
	assert_true(str_starts_with(p, tmpdir));
	return p + strlen(tmpdir) + 1;
}

static void test_requirement_fields(void **state)
{
	free(put("req.txt", "requests[Security,socks]>=2.0,<3 ; python_version >= \"3.8\"\n"
			    "\n"
			    "Ruamel_YAML==0.17.21\n"
			    "flask @ https://example.org/flask-3.0.0-py3-none-any.whl\n"
			    "six (>=1.0)\n"));
	struct result r;
	read_req(&r, "req.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 4);
	const struct requirement *q = &r.in.reqs[0];
	assert_string_equal(q->name, "requests");
	assert_string_equal(q->normalised, "requests");
	assert_int_equal(q->extras.nr, 2);
	assert_string_equal(q->extras.v[0], "security");
	assert_string_equal(q->extras.v[1], "socks");
	assert_string_equal(q->specifier, ">=2.0,<3");
	assert_string_equal(q->marker, "python_version >= \"3.8\"");
	assert_null(q->url);
	assert_string_equal(q->text,
			    "requests[security,socks]>=2.0,<3; python_version >= \"3.8\"");
	assert_int_equal(q->line, 1);
	assert_false(q->constraint);
	assert_true(str_ends_with(q->file, "/req.txt"));

	q = &r.in.reqs[1];
	assert_string_equal(q->name, "Ruamel_YAML");
	assert_string_equal(q->normalised, "ruamel-yaml");
	assert_string_equal(q->text, "Ruamel_YAML==0.17.21");
	assert_int_equal(q->line, 3);

	q = &r.in.reqs[2];
	assert_string_equal(q->url,
			    "https://example.org/flask-3.0.0-py3-none-any.whl");
	assert_null(q->specifier);
	assert_string_equal(q->text,
			    "flask @ https://example.org/flask-3.0.0-py3-none-any.whl");
	q = &r.in.reqs[3];
	assert_string_equal(q->specifier, ">=1.0");
	assert_string_equal(q->text, "six>=1.0");
	result_clear(&r);
}

/* ruamel.yaml, Ruamel_YAML and ruamel-yaml are one project (PEP 503). */
static void test_same_project_spellings(void **state)
{
	free(put("ruamel.txt", "ruamel.yaml==0.17.21\nruamel-yaml\nRuamel_YAML>=0.17\n"));
	struct result r;
	read_req(&r, "ruamel.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(r.in.reqs[i].normalised, "ruamel-yaml");
	const struct requirement *f = input_find(&r.in, "ruamel-yaml");
	assert_non_null(f);
	assert_string_equal(f->text, "ruamel.yaml==0.17.21");
	result_clear(&r);
}

static void test_continuations_and_comments(void **state)
{
	free(put("cont.txt",
		 "# a comment line\n"
		 "requests\\\n"
		 ">=2.0 \\\n"
		 "  # not joined: comments end a continuation\n"
		 "idna==3.4 # trailing comment\n"
		 "pkg @ https://example.org/pkg-1.0.tar.gz#sha256=abc\n"
		 "   \t\n"
		 "attrs==23.1.0 \\\n"));
	struct result r;
	read_req(&r, "cont.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 4);
	/* Lines 2-4 joined: "requests>=2.0 " + "   # not..." -> stripped. */
	assert_string_equal(r.in.reqs[0].text, "requests>=2.0");
	assert_int_equal(r.in.reqs[0].line, 2);
	assert_string_equal(r.in.reqs[1].text, "idna==3.4");
	assert_int_equal(r.in.reqs[1].line, 5);
	/* '#' not after whitespace is part of the URL. */
	assert_string_equal(r.in.reqs[2].url,
			    "https://example.org/pkg-1.0.tar.gz#sha256=abc");
	/* A last line ending in '\' is kept (pip joins it with nothing). */
	assert_string_equal(r.in.reqs[3].text, "attrs==23.1.0");
	assert_int_equal(r.in.reqs[3].line, 8);
	result_clear(&r);
}

#define H1 "sha256:86a8b5035fce64f5dcd1b794cf8ec4d31fe458cf6ce3986a30deb434df82a1d2"
#define H2 "sha256:5602bdb96d52d2d0672f24f6ffe5218795736dd34807fd0fd55ccd6bf206168b"

static void test_hashes_kept(void **state)
{
	free(put("hashed.txt",
		 "markupsafe==3.0.3 \\\n"
		 "    --hash=" H1 " \\\n"
		 "    --hash " H2 "\n"
		 "idna==3.4 --hash=" H1 "\n"));
	struct result r;
	read_req(&r, "hashed.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 2);
	assert_string_equal(r.in.reqs[0].text, "markupsafe==3.0.3");
	assert_int_equal(r.in.reqs[0].hashes.nr, 2);
	assert_string_equal(r.in.reqs[0].hashes.v[0], H1);
	assert_string_equal(r.in.reqs[0].hashes.v[1], H2);
	assert_int_equal(r.in.reqs[1].hashes.nr, 1);
	assert_int_equal(r.in.reqs[1].line, 4);
	result_clear(&r);
}

/* Pitfall: the previous line lacks its '\': the --hash line stands alone. */
static void test_stray_hash_line_is_an_error(void **state)
{
	free(put("stray.txt",
		 "markupsafe==3.0.3\n"
		 "    --hash=" H1 "\n"));
	struct result r;
	read_req(&r, "stray.txt");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.problems.nr, 1);
	assert_string_equal(problem(&r, 0),
			    "stray.txt:2: --hash=" H1 " without a requirement: the "
			    "requirement line before it probably lacks its "
			    "trailing '\\'");
	result_clear(&r);
}

static void test_bad_hash(void **state)
{
	free(put("badhash.txt", "idna==3.4 --hash=md5:0123456789abcdef0123456789abcdef\n"
				"six==1.0 --hash=sha256:xyz\n"));
	struct result r;
	read_req(&r, "badhash.txt");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.in.nr, 0);
	assert_true(str_starts_with(problem(&r, 0), "badhash.txt:1: --hash=md5:"));
	assert_true(str_starts_with(problem(&r, 1), "badhash.txt:2: --hash=sha256:xyz"));
	result_clear(&r);
}

static void test_includes_and_constraints(void **state)
{
	free(put("top.txt", "-r sub/mid.txt\nflask\n-c cons.txt\n"));
	free(put("sub/mid.txt", "--requirement=leaf.txt\nclick\n"));
	free(put("sub/leaf.txt", "jinja2>=3\n"));
	free(put("cons.txt", "markupsafe<3\n-r inc-from-cons.txt\n"));
	free(put("inc-from-cons.txt", "itsdangerous\n"));
	struct result r;
	read_req(&r, "top.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 5);
	const char *names[] = {"jinja2", "click", "flask", "markupsafe",
			       "itsdangerous"};
	const char *files[] = {"/sub/leaf.txt", "/sub/mid.txt", "/top.txt",
			       "/cons.txt", "/inc-from-cons.txt"};
	const bool cons[] = {false, false, false, true, false};
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(r.in.reqs[i].normalised, names[i]);
		assert_true(str_ends_with(r.in.reqs[i].file, files[i]));
		assert_int_equal(r.in.reqs[i].constraint, cons[i]);
	}
	/* input_find skips constraints. */
	assert_null(input_find(&r.in, "markupsafe"));
	assert_non_null(input_find(&r.in, "itsdangerous"));
	result_clear(&r);
}

static void test_include_cycle(void **state)
{
	free(put("a.txt", "six\n-r b.txt\n"));
	free(put("b.txt", "\n\n-r a.txt\nidna\n"));
	struct result r;
	read_req(&r, "a.txt");
	assert_int_equal(r.n, 1);
	char *want = xasprintf("b.txt:3: -r a.txt: include cycle: %s/a.txt -> "
			       "%s/b.txt -> %s/a.txt",
			       tmpdir, tmpdir, tmpdir);
	assert_string_equal(problem(&r, 0), want);
	free(want);
	/* Everything else is still read. */
	assert_int_equal(r.in.nr, 2);
	result_clear(&r);
}

static void test_missing_include(void **state)
{
	free(put("miss.txt", "-r nope.txt\n-c http://example.org/c.txt\n"));
	struct result r;
	read_req(&r, "miss.txt");
	assert_int_equal(r.n, 2);
	char *want = xasprintf("miss.txt:1: -r nope.txt: cannot read %s/nope.txt: "
			       "No such file or directory", tmpdir);
	assert_string_equal(problem(&r, 0), want);
	free(want);
	assert_true(str_starts_with(problem(&r, 1),
				    "miss.txt:2: --constraint http://example.org/c.txt: "
				    "remote requirements files are not read"));
	result_clear(&r);
}

/* Pitfall: the marker after -r is a marker, not part of the file name. */
static void test_include_with_marker(void **state)
{
	free(put("py2.txt", "futures==3.4\n"));
	free(put("m.txt", "-r py2.txt ; python_version < '3.0'\n"
			  "-r py2.txt; python_version >= \"3.0\"\n"
			  "-r py2.txt ; python_version <<< '3'\n"));
	struct result r;
	read_req(&r, "m.txt");
	/* Line 1 false on 3.11.7: skipped; line 2 true: read; line 3 bad. */
	assert_int_equal(r.in.nr, 1);
	assert_string_equal(r.in.reqs[0].text, "futures==3.4");
	assert_int_equal(r.n, 1);
	assert_true(str_starts_with(problem(&r, 0),
				    "m.txt:3: invalid environment marker "
				    "'python_version <<< '3'': "));
	result_clear(&r);
}

static void test_file_options(void **state)
{
	free(put("opts.txt",
		 "-i https://idx.example/simple\n"
		 "--extra-index-url https://extra.example/simple\n"
		 "--extra-index https://extra.example/simple\n"
		 "--find-links=https://links.example/\n"
		 "--trusted-host idx.example\n"
		 "--pre\n"
		 "--require-hashes\n"
		 "--only-binary :all: --prefer-binary\n"
		 "--no-binary=lxml\n"
		 "idna==3.4 --hash=" H1 "\n"));
	struct result r;
	read_req(&r, "opts.txt");
	assert_int_equal(r.n, 0);
	const char *want[] = {
		"--index-url", "https://idx.example/simple",
		"--extra-index-url", "https://extra.example/simple",
		"--find-links", "https://links.example/",
		"--trusted-host", "idx.example",
		"--pre", "--require-hashes",
		"--only-binary", ":all:", "--prefer-binary",
		"--no-binary", "lxml",
	};
	assert_int_equal(r.in.pip_options.nr, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_string_equal(r.in.pip_options.v[i], want[i]);
	assert_true(r.in.pre);
	assert_true(r.in.require_hashes);
	assert_int_equal(r.in.nr, 1);
	result_clear(&r);
}

static void test_option_problems(void **state)
{
	free(put("badopts.txt",
		 "--bogus\n"
		 "requests --index-url https://x.example/simple\n"
		 "--index-url\n"
		 "--find-links ./wheels\n"
		 "-i https://a.example/simple\n"
		 "-i https://b.example/simple\n"
		 "six --global-option=--x\n"));
	struct result r;
	read_req(&r, "badopts.txt");
	assert_int_equal(r.n, 6);
	assert_string_equal(problem(&r, 0), "badopts.txt:1: unknown option '--bogus'");
	assert_string_equal(problem(&r, 1),
			    "badopts.txt:2: option --index-url is not allowed on "
			    "a requirement line: put it on a line of its own");
	assert_string_equal(problem(&r, 2),
			    "badopts.txt:3: option --index-url needs a value");
	assert_true(str_starts_with(problem(&r, 3),
				    "badopts.txt:4: --find-links ./wheels: local "
				    "folders cannot be scanned"));
	assert_string_equal(problem(&r, 4),
			    "badopts.txt:6: --index-url https://b.example/simple "
			    "conflicts with --index-url https://a.example/simple "
			    "given before");
	assert_true(str_starts_with(problem(&r, 5),
				    "badopts.txt:7: --global-option is not supported"));
	assert_int_equal(r.in.nr, 0);
	result_clear(&r);
}

/* Editable and local requirements: one clear FILE:LINE problem each. */
static void test_local_requirements(void **state)
{
	free(put("local.txt",
		 "-e .\n"
		 "--editable=git+https://example.org/x.git#egg=x\n"
		 "./vendor/pkg\n"
		 "/abs/path/pkg\n"
		 "pkg-1.0-py3-none-any.whl\n"
		 "dist/pkg-1.0.tar.gz\n"
		 "https://example.org/pkg-1.0.tar.gz\n"
		 "pkg @ file:///tmp/pkg-1.0.tar.gz\n"
		 "requests\n"));
	struct result r;
	read_req(&r, "local.txt");
	assert_int_equal(r.n, 8);
	assert_string_equal(problem(&r, 0),
			    "local.txt:1: editable requirement '-e .' cannot be "
			    "scanned from an index: PipCanary installs from the "
			    "package index only (to scan a local project, give "
			    "its pyproject.toml with -r)");
	assert_true(str_starts_with(problem(&r, 1), "local.txt:2: editable requirement"));
	assert_true(str_starts_with(problem(&r, 2),
				    "local.txt:3: local path './vendor/pkg' cannot be "
				    "scanned from an index"));
	assert_true(str_starts_with(problem(&r, 3), "local.txt:4: local path '/abs/path/pkg'"));
	assert_true(str_starts_with(problem(&r, 4),
				    "local.txt:5: 'pkg-1.0-py3-none-any.whl' is a local archive"));
	assert_true(str_starts_with(problem(&r, 5), "local.txt:6: local path"));
	assert_string_equal(problem(&r, 6),
			    "local.txt:7: URL 'https://example.org/pkg-1.0.tar.gz' "
			    "without a project name: write it as NAME @ "
			    "https://example.org/pkg-1.0.tar.gz");
	assert_true(str_starts_with(problem(&r, 7),
				    "local.txt:8: local file URL 'file:///tmp/pkg-1.0.tar.gz'"));
	assert_int_equal(r.in.nr, 1);
	result_clear(&r);
}

/* All problems of a file, not only the first; bad PEP 508 named by line. */
static void test_all_problems_listed(void **state)
{
	free(put("bad.txt", "requests>=\nok==1.0\nfoo[bar\n-c c.txt\n"));
	free(put("c.txt", "pkg[extra]<2\n"));
	struct result r;
	read_req(&r, "bad.txt");
	assert_int_equal(r.n, 3);
	assert_true(str_starts_with(problem(&r, 0), "bad.txt:1: "));
	assert_true(str_starts_with(problem(&r, 1), "bad.txt:3: "));
	assert_string_equal(problem(&r, 2),
			    "c.txt:1: constraints cannot have extras ('pkg[extra]<2')");
	assert_int_equal(r.in.nr, 1);
	result_clear(&r);
}

static void test_env_vars(void **state)
{
	setenv("PC_TEST_INDEX", "https://token@idx.example/simple", 1);
	setenv("PC_TEST_VERSION", "2.31.0", 1);
	unsetenv("PC_TEST_UNSET");
	free(put("env.txt",
		 "--index-url ${PC_TEST_INDEX}\n"
		 "requests==${PC_TEST_VERSION}\n"
		 "pkg @ https://x.example/${PC_TEST_UNSET}/pkg-1.0.tar.gz\n"
		 "six==$PC_TEST_VERSION\n"));
	struct result r;
	read_req(&r, "env.txt");
	assert_string_equal(r.in.pip_options.v[1], "https://token@idx.example/simple");
	assert_string_equal(r.in.reqs[0].text, "requests==2.31.0");
	/* Unset: left as written, as pip does. */
	assert_string_equal(r.in.reqs[1].url,
			    "https://x.example/${PC_TEST_UNSET}/pkg-1.0.tar.gz");
	/* Only ${NAME} is expanded: "$NAME" is a bad version. */
	assert_int_equal(r.n, 1);
	assert_true(str_starts_with(problem(&r, 0), "env.txt:4: "));
	result_clear(&r);
}

/* Pitfall: UTF-16LE with BOM holding "requests" reads as "requests". */
static void test_utf16le_bom(void **state)
{
	const char data[] = "\xFF\xFEr\0e\0q\0u\0e\0s\0t\0s\0\r\0\n\0";
	free(write_tmp(tmpdir, "u16le.txt", data, sizeof data - 1));
	struct result r;
	read_req(&r, "u16le.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 1);
	assert_string_equal(r.in.reqs[0].name, "requests");
	assert_string_equal(r.in.reqs[0].text, "requests");
	result_clear(&r);
}

static void test_encodings(void **state)
{
	const char be[] = "\xFE\xFF\0s\0i\0x\0\n\0i\0d\0n\0a";
	free(write_tmp(tmpdir, "u16be.txt", be, sizeof be - 1));
	struct result r;
	read_req(&r, "u16be.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 2);
	assert_string_equal(r.in.reqs[0].text, "six");
	assert_string_equal(r.in.reqs[1].text, "idna");
	assert_int_equal(r.in.reqs[1].line, 2);
	result_clear(&r);

	free(put("bom8.txt", "\xEF\xBB\xBFsix==1.16.0\r\nidna\r\n"));
	read_req(&r, "bom8.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 2);
	assert_string_equal(r.in.reqs[0].text, "six==1.16.0");
	assert_string_equal(r.in.reqs[1].text, "idna");
	assert_int_equal(r.in.reqs[1].line, 2);
	result_clear(&r);

	/* Old Mac line ends (CR only) are line ends for pip too. */
	free(put("cr.txt", "six\ridna\r"));
	read_req(&r, "cr.txt");
	assert_int_equal(r.in.nr, 2);
	assert_int_equal(r.in.reqs[1].line, 2);
	result_clear(&r);

	/* Latin-1 with a coding declaration: the comment decodes, the
	 * requirement stays. Without it, the same bytes are not UTF-8. */
	free(put("latin.txt", "# -*- coding: latin-1 -*-\n# caf\xE9\nsix\n"));
	read_req(&r, "latin.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 1);
	result_clear(&r);
	free(put("bad8.txt", "six\n# caf\xE9\n"));
	read_req(&r, "bad8.txt");
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0),
			    "bad8.txt: line 2 is not valid UTF-8: save the file as "
			    "UTF-8 or declare its encoding (# -*- coding: NAME -*-)");
	result_clear(&r);
}

static void test_decode_direct(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char *err = NULL;
	/* UTF-32LE BOM must not be taken for UTF-16LE. */
	const char u32[] = "\xFF\xFE\0\0" "a\0\0\0";
	assert_int_equal(reqfile_decode(u32, sizeof u32 - 1, &out, &err), 0);
	assert_string_equal(out.buf, "a");
	strbuf_reset(&out);
	/* UTF-16 without BOM: NUL bytes, said clearly. */
	assert_int_equal(reqfile_decode("a\0b\0", 4, &out, &err), -1);
	assert_non_null(strstr(err, "without a byte order mark"));
	free(err);
	err = NULL;
	/* An odd byte count is not UTF-16. */
	assert_int_equal(reqfile_decode("\xFF\xFE" "a", 3, &out, &err), -1);
	assert_non_null(err);
	free(err);
	strbuf_release(&out);
}

static void test_requirement_parse_format(void **state)
{
	struct requirement r = {0};
	char *err = NULL;
	assert_int_equal(requirement_parse(&r, "Pkg[B_x] @ https://h.example/p.whl ; os_name == 'posix'", &err), 0);
	assert_string_equal(r.text, "Pkg[b-x] @ https://h.example/p.whl ; os_name == \"posix\"");
	assert_string_equal(r.normalised, "pkg");
	requirement_clear(&r);

	/* Markers in packaging's str(Marker) spelling: one space between
	 * tokens, none inside parentheses, double quotes unless the value
	 * holds one; what is inside the quotes is kept. */
	static const char *const markers[][2] = {
		{"six;python_version>'3'and(os_name==\"posix\" or  extra == 'x')",
		 "python_version > \"3\" and (os_name == \"posix\" or extra == \"x\")"},
		{"a ; platform_version == 'say \"hi\"'",
		 "platform_version == 'say \"hi\"'"},
		{"a; python_version not  in '2.7,  3.4'",
		 "python_version not in \"2.7,  3.4\""},
		{"a; ((os.name=='nt'))", "((os.name == \"nt\"))"},
		{"a;\t'linux'\tin sys_platform", "\"linux\" in sys_platform"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(markers); i++) {
		assert_int_equal(requirement_parse(&r, markers[i][0], &err), 0);
		assert_string_equal(r.marker, markers[i][1]);
		char *t = xasprintf("%.*s; %s", (int)strcspn(markers[i][0], " ;"),
				    markers[i][0], markers[i][1]);
		assert_string_equal(r.text, t);
		free(t);
		requirement_clear(&r);
	}
	assert_int_equal(requirement_parse(&r, "../x", &err), -1);
	assert_non_null(strstr(err, "local path '../x'"));
	assert_null(r.name);
	free(err);
}

/*
 * Issue 6: pip reads an included file again each time it is named, so
 * "-r next" twice in each of 12 files is 2^12 = 4096 reads of the last one:
 * past 1000 files read the input is refused with one problem naming the
 * limit. A small diamond (3 levels: 2^2 = 4 reads of the leaf) keeps pip's
 * meaning: the leaf's requirement 4 times.
 */
static void test_include_budget(void **state)
{
	for (int i = 0; i < 12; i++) {
		char *name = xasprintf("dia%d.txt", i);
		char *text = xasprintf("-r dia%d.txt\n-r dia%d.txt\n", i + 1,
				       i + 1);
		free(put(name, text));
		free(name);
		free(text);
	}
	free(put("dia12.txt", "six\n"));
	struct result r;
	read_req(&r, "dia0.txt");
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(problem(&r, 0), ": more than 1000 files read "
			       "in total (an included file counts each time it "
			       "is included)"));
	/* 1000 reads, of which the leaf is less than half. */
	assert_true(r.in.nr > 0 && r.in.nr < 500);
	result_clear(&r);

	free(put("sd0.txt", "-r sd1.txt\n-r sd1.txt\n"));
	free(put("sd1.txt", "-r sd2.txt\n-r sd2.txt\n"));
	free(put("sd2.txt", "six\n"));
	read_req(&r, "sd0.txt");
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 4);
	for (size_t i = 0; i < r.in.nr; i++)
		assert_string_equal(r.in.reqs[i].text, "six");
	result_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requirement_fields),
		cmocka_unit_test(test_same_project_spellings),
		cmocka_unit_test(test_continuations_and_comments),
		cmocka_unit_test(test_hashes_kept),
		cmocka_unit_test(test_stray_hash_line_is_an_error),
		cmocka_unit_test(test_bad_hash),
		cmocka_unit_test(test_includes_and_constraints),
		cmocka_unit_test(test_include_cycle),
		cmocka_unit_test(test_missing_include),
		cmocka_unit_test(test_include_with_marker),
		cmocka_unit_test(test_file_options),
		cmocka_unit_test(test_option_problems),
		cmocka_unit_test(test_local_requirements),
		cmocka_unit_test(test_all_problems_listed),
		cmocka_unit_test(test_env_vars),
		cmocka_unit_test(test_utf16le_bom),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_decode_direct),
		cmocka_unit_test(test_requirement_parse_format),
		cmocka_unit_test(test_include_budget),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
