/*
 * Unit tests of pep508.c: requirement strings (PEP 508 §Grammar and its
 * examples) and marker evaluation (§Environment Markers). Expected values
 * are worked out by hand from the PEP text.
 */
#include "testutil.h"
#include "pep508.h"
#include "util.h"

/* Parses s, which must be valid, into *r. */
static void parse_ok(const char *s, struct pep508_req *r)
{
	char *err = NULL;
	if (pep508_parse(s, r, &err) != 0)
		fail_msg("'%s' did not parse: %s", s, err);
	assert_null(err);
}

/* s must be rejected with an error mentioning want_part. */
static void parse_bad(const char *s, const char *want_part)
{
	struct pep508_req r;
	char *err = NULL;
	if (pep508_parse(s, &r, &err) == 0)
		fail_msg("'%s' parsed (name '%s'), expected an error", s, r.name);
	assert_non_null(err);
	if (!strstr(err, want_part))
		fail_msg("error for '%s' is '%s', expected it to mention '%s'",
			 s, err, want_part);
	assert_null(strchr(err, '\n'));
	/* The struct is left empty. */
	assert_null(r.name);
	assert_null(r.specifier);
	assert_int_equal(r.extras.nr, 0);
	free(err);
}

#define assert_str_or_null(a, b)                                        \
	do {                                                            \
		if ((b) == NULL)                                        \
			assert_null(a);                                 \
		else                                                    \
			assert_string_equal((a) ? (a) : "(null)", (b)); \
	} while (0)

static void check_req(const char *s, const char *name, const char *extras,
		      const char *spec, const char *url, const char *marker)
{
	struct pep508_req r;
	parse_ok(s, &r);
	assert_string_equal(r.name, name);
	char *ex = strvec_join(&r.extras, ",");
	assert_string_equal(ex, extras);
	free(ex);
	assert_str_or_null(r.specifier, spec);
	assert_str_or_null(r.url, url);
	assert_str_or_null(r.marker, marker);
	pep508_req_clear(&r);
	assert_null(r.name);
}

/* The examples of PEP 508 §Examples and the forms pip accepts. */
static void test_requirements(void **state)
{
	check_req("A", "A", "", NULL, NULL, NULL);
	check_req("A.B-C_D", "A.B-C_D", "", NULL, NULL, NULL);
	check_req("aa", "aa", "", NULL, NULL, NULL);
	check_req("name", "name", "", NULL, NULL, NULL);
	check_req("name<=1", "name", "", "<=1", NULL, NULL);
	check_req("name>=3", "name", "", ">=3", NULL, NULL);
	check_req("name>=3,<2", "name", "", ">=3,<2", NULL, NULL);
	check_req("name@http://foo.com", "name", "", NULL, "http://foo.com", NULL);
	check_req("name [fred,bar] @ http://foo.com ; python_version=='2.7'",
		  "name", "fred,bar", NULL, "http://foo.com", "python_version=='2.7'");
	check_req("name[quux, strange];python_version<'2.7' and platform_version=='2'",
		  "name", "quux,strange", NULL, NULL,
		  "python_version<'2.7' and platform_version=='2'");
	check_req("name; os_name=='a' or os_name=='b'", "name", "", NULL, NULL,
		  "os_name=='a' or os_name=='b'");
	check_req("name; os_name=='a' and os_name=='b' or os_name=='c'", "name",
		  "", NULL, NULL, "os_name=='a' and os_name=='b' or os_name=='c'");
	check_req("name; os_name=='a' and (os_name=='b' or os_name=='c')",
		  "name", "", NULL, NULL,
		  "os_name=='a' and (os_name=='b' or os_name=='c')");
	/* Spaces removed from the specifier; parenthesised form. */
	check_req("requests >= 2.8.1, == 2.8.*", "requests", "", ">=2.8.1,==2.8.*",
		  NULL, NULL);
	check_req("requests (>= 2.8.1, < 3)", "requests", "", ">=2.8.1,<3",
		  NULL, NULL);
	check_req("requests(==2.0)", "requests", "", "==2.0", NULL, NULL);
	check_req("requests[security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"",
		  "requests", "security,tests", ">=2.8.1,==2.8.*", NULL,
		  "python_version < \"2.7\"");
	check_req("  pip   @  https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686  ",
		  "pip", "", NULL,
		  "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
		  NULL);
	check_req("pkg @ git+https://example.org/repo.git@v1.0 ; sys_platform == 'linux'  ",
		  "pkg", "", NULL, "git+https://example.org/repo.git@v1.0",
		  "sys_platform == 'linux'");
	check_req("pkg @ file:///tmp/pkg-1.0.tar.gz", "pkg", "", NULL,
		  "file:///tmp/pkg-1.0.tar.gz", NULL);
	check_req("pkg @ FILE:/tmp/pkg-1.0.tar.gz", "pkg", "", NULL,
		  "FILE:/tmp/pkg-1.0.tar.gz", NULL);
	/* Empty extras and empty parentheses are allowed by the grammar. */
	check_req("name[]", "name", "", NULL, NULL, NULL);
	check_req("name ()", "name", "", NULL, NULL, NULL);
	check_req("Ruamel_YAML[Jinja2]==0.17.21", "Ruamel_YAML", "Jinja2",
		  "==0.17.21", NULL, NULL);
	check_req("name===1.0-weird", "name", "", "===1.0-weird", NULL, NULL);
	/* Extras as written, in order, duplicates kept. */
	check_req("name[b,a,b]", "name", "b,a,b", NULL, NULL, NULL);
	check_req("name ~= 1.4.2 ; extra == 'tests'", "name", "", "~=1.4.2",
		  NULL, "extra == 'tests'");
	check_req("name\t>=1.0\t;\tpython_version>'3'", "name", "", ">=1.0",
		  NULL, "python_version>'3'");
}

static void test_requirement_errors(void **state)
{
	parse_bad("", "expected a package name");
	parse_bad("   ", "expected a package name");
	parse_bad("-e .", "expected a package name");
	parse_bad("./local/path", "expected a package name");
	parse_bad("name-", "expected a version specifier, '@ URL'");
	/* PEP 508: a name ends in a letter or digit (packaging lets "_" by). */
	parse_bad("name_", "expected a version specifier, '@ URL'");
	parse_bad("name >= 1.0 foo", "expected ';'");
	parse_bad("name >= ", "missing version");
	parse_bad("name >= 1.0,", "expected a version specifier");
	parse_bad("name >=1.0a.b", "invalid version");
	parse_bad("name ~= 1", "two release numbers");
	parse_bad("name (>=1.0", "without a matching ')'");
	parse_bad("name[extra", "expected ',' or ']'");
	parse_bad("name[,]", "expected an extra name");
	parse_bad("name @ ", "expected a URL");
	parse_bad("name @ not-a-url", "invalid URL");
	parse_bad("name @ https://x.org/a.whl\r", "invalid URL");
	parse_bad("name @ https://x.org/\x1b[2Ja.whl", "invalid URL");
	parse_bad("name @ https:///a.whl", "invalid URL");
	parse_bad("name @ https://x.org/a.whl; python_version>'3'",
		  "expected ';' and a marker or the end after the URL");
	parse_bad("name >= 1.0 @ https://x.org/a.whl", "expected ';'");
	parse_bad("name ;", "expected a marker");
	parse_bad("name ; python_version", "expected a marker operator");
	parse_bad("name ; python_version >= ", "expected a marker variable");
	parse_bad("name ; python_version >= '3", "unterminated string");
	parse_bad("name ; bogus_var == '1'", "unknown marker variable 'bogus_var'");
	parse_bad("name ; (os_name == 'a'", "expected ')'");
	parse_bad("name ; os_name == 'a' xor os_name == 'b'", "expected 'and', 'or'");
	parse_bad("name ; os_name == 'a' and", "expected a marker variable");
	parse_bad("name\n>=1.0", "expected a version specifier, '@ URL'");
	/* A line end is not part of the version (packaging refuses it too). */
	parse_bad("name>=1.0\r", "expected ';' and a marker or the end");
	parse_bad("name>=1.0\n", "expected ';' and a marker or the end");
	parse_bad("name (>=1.0\r)", "expected ',' or ')' in the version specifier at column 12");
	parse_bad("name (>=1.0 ; os_name == 'posix'", "expected ',' or ')'");
	parse_bad("na\x01me", "\\x01");
}

static const struct marker_env linux311 = {
	.python_version = "3.11",
	.python_full_version = "3.11.2",
	.os_name = "posix",
	.sys_platform = "linux",
	.platform_system = "Linux",
	.platform_machine = "x86_64",
	.platform_release = "6.1.0-13-amd64",
	.platform_version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)",
	.implementation_name = "cpython",
	.implementation_version = "3.11.2",
	.platform_python_implementation = "CPython",
	.extra = NULL,
};

static int eval(const char *m, const struct marker_env *env)
{
	char *err = NULL;
	int r = pep508_marker_eval(m, env, &err);
	if (r < 0)
		fail_msg("marker '%s' failed: %s", m, err);
	return r;
}

static void test_marker_eval(void **state)
{
	/* Every variable, both quote styles. */
	assert_int_equal(eval("python_version == '3.11'", &linux311), 1);
	assert_int_equal(eval("python_full_version == \"3.11.2\"", &linux311), 1);
	assert_int_equal(eval("os_name == 'posix'", &linux311), 1);
	assert_int_equal(eval("sys_platform == 'win32'", &linux311), 0);
	assert_int_equal(eval("platform_system == 'Linux'", &linux311), 1);
	assert_int_equal(eval("platform_machine == 'x86_64'", &linux311), 1);
	assert_int_equal(eval("platform_release >= '5.0'", &linux311), 1);
	assert_int_equal(eval("'Debian' in platform_version", &linux311), 1);
	assert_int_equal(eval("implementation_name == 'cpython'", &linux311), 1);
	assert_int_equal(eval("implementation_version >= '3.8'", &linux311), 1);
	assert_int_equal(eval("platform_python_implementation != 'PyPy'", &linux311), 1);
	/* Legacy dotted spellings. */
	assert_int_equal(eval("os.name == 'posix' and sys.platform == 'linux'", &linux311), 1);
	assert_int_equal(eval("python_implementation == 'CPython'", &linux311), 1);
	/* PEP 440 comparisons when both sides are versions: 3.11 > 3.8, which
	 * as strings would be the other way round. */
	assert_int_equal(eval("python_version > '3.8'", &linux311), 1);
	assert_int_equal(eval("python_version < '3.8'", &linux311), 0);
	assert_int_equal(eval("python_version >= '3.11.0'", &linux311), 1);
	assert_int_equal(eval("python_version == '3.11.0'", &linux311), 1);
	assert_int_equal(eval("python_version == '3.*'", &linux311), 1);
	assert_int_equal(eval("python_version ~= '3.9'", &linux311), 1);
	assert_int_equal(eval("python_full_version ~= '3.10.0'", &linux311), 0);
	assert_int_equal(eval("python_version != '3.11'", &linux311), 0);
	/* Literal on the left: '3.8' < python_version is 3.8 < 3.11. */
	assert_int_equal(eval("'3.8' < python_version", &linux311), 1);
	assert_int_equal(eval("'3.12' <= python_version", &linux311), 0);
	/* Pre-releases are compared, not excluded. */
	assert_int_equal(eval("python_full_version < '3.12.0a1'", &linux311), 1);
	/* String comparison when a side is not a version: the kernel release
	 * "6.1.0-13-amd64" is not a PEP 440 version. */
	assert_int_equal(eval("platform_release < '7'", &linux311), 1);
	assert_int_equal(eval("platform_release > '6.1.0-13-amd64x'", &linux311), 0);
	assert_int_equal(eval("os_name < 'posiy'", &linux311), 1);
	assert_int_equal(eval("os_name === 'posix'", &linux311), 1);
	/* in / not in are substring tests. */
	assert_int_equal(eval("'linux' in sys_platform", &linux311), 1);
	assert_int_equal(eval("sys_platform in 'linux2 darwin'", &linux311), 1);
	assert_int_equal(eval("sys_platform not in 'win32 cygwin'", &linux311), 1);
	assert_int_equal(eval("sys_platform not  in 'linux'", &linux311), 0);
	/* and binds tighter than or; parentheses. */
	assert_int_equal(eval("os_name == 'nt' and os_name == 'nt' or os_name == 'posix'", &linux311), 1);
	assert_int_equal(eval("os_name == 'posix' or os_name == 'nt' and os_name == 'nt'", &linux311), 1);
	assert_int_equal(eval("(os_name == 'posix' or os_name == 'nt') and os_name == 'nt'", &linux311), 0);
	assert_int_equal(eval(" ( ( python_version>='3' ) ) ", &linux311), 1);
	assert_int_equal(eval("python_version>='3'and(os_name=='posix')", &linux311), 1);
}

static void test_marker_extra(void **state)
{
	struct marker_env env = linux311;
	/* No extra requested: extra == "x" is false. */
	assert_int_equal(eval("extra == 'tests'", &env), 0);
	env.extra = "tests";
	assert_int_equal(eval("extra == 'tests'", &env), 1);
	assert_int_equal(eval("extra == \"other\"", &env), 0);
	/* PEP 685: both sides are normalised names. */
	env.extra = "Foo_Bar";
	assert_int_equal(eval("extra == 'foo-bar'", &env), 1);
	assert_int_equal(eval("extra == 'FOO.bar'", &env), 1);
	assert_int_equal(eval("'foo__bar' == extra", &env), 1);
	assert_int_equal(eval("extra != 'foo-bar'", &env), 0);
}

static void test_marker_errors(void **state)
{
	static const struct {
		const char *m, *want;
	} bad[] = {
		{"", "expected a marker variable"},
		{"python_version", "expected a marker operator"},
		{"python_version <> '3'", "expected a marker variable"},
		{"python_version = '3'", "expected a marker operator"},
		{"python_version == '3' and", "expected a marker variable"},
		{"python_version == '3' andos_name == 'x'", "expected 'and', 'or'"},
		{"(python_version == '3'", "expected ')'"},
		{"python_version == '3')", "expected 'and', 'or'"},
		{"foo == '3'", "unknown marker variable 'foo'"},
		{"python_version == \"3'", "unterminated string"},
		{"os_name ~= 'posix'", "~= needs versions"},
		{"python_version == '3' \n", "'\\x0a'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *err = NULL;
		int r = pep508_marker_eval(bad[i].m, &linux311, &err);
		if (r != -1)
			fail_msg("marker '%s' gave %d, expected an error", bad[i].m, r);
		if (!err || !strstr(err, bad[i].want))
			fail_msg("error for '%s' is '%s', expected '%s'", bad[i].m,
				 err ? err : "(null)", bad[i].want);
		assert_null(strchr(err, '\n'));
		free(err);
	}
	/* Deep nesting is refused, not a stack overflow. */
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&sb, '(');
	char *err = NULL;
	assert_int_equal(pep508_marker_eval(sb.buf, &linux311, &err), -1);
	assert_non_null(strstr(err, "nested too deeply"));
	free(err);
	strbuf_release(&sb);
	/* Syntax check only. */
	assert_int_equal(pep508_marker_check("os_name ~= 'posix'", &err), 0);
	assert_int_equal(pep508_marker_check("os_name ~ 'posix'", &err), -1);
	free(err);
}

static void test_marker_env_host(void **state)
{
	struct marker_env env;
	marker_env_host(&env, "3.11.7");
	assert_string_equal(env.python_version, "3.11");
	assert_string_equal(env.python_full_version, "3.11.7");
	assert_string_equal(env.implementation_version, "3.11.7");
	assert_string_equal(env.os_name, "posix");
	assert_string_equal(env.sys_platform, "linux");
	assert_string_equal(env.platform_system, "Linux");
	assert_string_equal(env.implementation_name, "cpython");
	assert_string_equal(env.platform_python_implementation, "CPython");
	assert_non_null(env.platform_machine);
	assert_null(env.extra);
	assert_int_equal(eval("python_version >= '3.8' and os_name == 'posix'", &env), 1);
	marker_env_host(&env, NULL);
	assert_null(env.python_version);
	/* NULL fields are "". */
	assert_int_equal(eval("python_version == ''", &env), 1);
}

/* Arbitrary bytes never crash the parsers (run under ASan/UBSan). */
static void test_total_on_garbage(void **state)
{
	static const char alphabet[] =
		"ab_. ()[],;@<>=!~'\"\textraos_namepython_versionin not and or 1.0:/\x01\xff";
	char buf[96];
	unsigned int seed = 777;
	for (int round = 0; round < 30000; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 16) % sizeof(buf);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		buf[n] = '\0';
		struct pep508_req r;
		char *err = NULL;
		if (pep508_parse(buf, &r, &err) == 0) {
			assert_non_null(r.name);
			pep508_req_clear(&r);
		} else {
			assert_non_null(err);
			assert_null(strchr(err, '\n'));
			free(err);
		}
		err = NULL;
		int v = pep508_marker_eval(buf, &linux311, &err);
		assert_true(v == 0 || v == 1 || (v == -1 && err));
		free(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requirements),
		cmocka_unit_test(test_requirement_errors),
		cmocka_unit_test(test_marker_eval),
		cmocka_unit_test(test_marker_extra),
		cmocka_unit_test(test_marker_errors),
		cmocka_unit_test(test_marker_env_host),
		cmocka_unit_test(test_total_on_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
