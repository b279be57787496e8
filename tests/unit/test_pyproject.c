/*
 * Unit tests of pyproject.c: PEP 621, PEP 735 and Poetry tables turned into
 * requirements. The TOML is read by probe/pyproject_reqs.py with python3
 * (tomllib), as in the product. Poetry constraint conversions are worked out
 * from Poetry's documentation (caret/tilde tables) and issue 4's example
 * (^0.10.11.post1 -> >=0.10.11.post1,<0.11).
 */
#include "testutil.h"
#include "model.h"
#include "pyproject.h"

#include <sys/stat.h>

static char tmpdir[] = "/tmp/pipcanary-test-pyproject-XXXXXX";

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

struct result {
	struct input in;
	struct strvec problems;
	int n;
};

/* Writes text as tmpdir/name and reads it with the given extras/groups
 * (NULL-ended lists of normalised names). */
static void read_toml(struct result *r, const char *name, const char *text,
		      const char *const *extras, bool all_extras,
		      const char *const *groups)
{
	memset(r, 0, sizeof(*r));
	free(write_tmp(tmpdir, name, text, strlen(text)));
	char *path = xasprintf("%s/%s", tmpdir, name);
	struct strvec ex = STRVEC_INIT, gr = STRVEC_INIT;
	for (; extras && *extras; extras++)
		strvec_push(&ex, *extras);
	for (; groups && *groups; groups++)
		strvec_push(&gr, *groups);
	struct pyproject_opts o = {
		.python = "python3",
		.probe_dir = PIPCANARY_PROBE_DIR,
		.extras = &ex,
		.all_extras = all_extras,
		.groups = &gr,
	};
	r->n = pyproject_read(&r->in, path, &o, &r->problems);
	strvec_clear(&ex);
	strvec_clear(&gr);
	free(path);
}

static void result_clear(struct result *r)
{
	input_clear(&r->in);
	strvec_clear(&r->problems);
}

static const char *problem(const struct result *r, size_t i)
{
	assert_true(i < r->problems.nr);
	const char *p = r->problems.v[i];
	assert_true(str_starts_with(p, tmpdir));
	return p + strlen(tmpdir) + 1;
}

/* The requirement texts, one per line, to compare with the expected list. */
static void assert_texts(const struct result *r, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < r->in.nr; i++)
		strbuf_addf(&sb, "%s\n", r->in.reqs[i].text);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void check_poetry(const char *in, const char *want)
{
	char *out = NULL, *err = NULL;
	int rc = poetry_constraint(in, &out, &err);
	if (rc != 0)
		fail_msg("%s: %s", in, err);
	assert_string_equal(out, want);
	free(out);
}

static void test_poetry_constraints(void **state)
{
	/* Poetry docs, "Caret requirements" (bounds as PEP 440 equals). */
	check_poetry("^1.2.3", ">=1.2.3,<2");
	check_poetry("^1.2", ">=1.2,<2");
	check_poetry("^1", ">=1,<2");
	check_poetry("^0.2.3", ">=0.2.3,<0.3");
	check_poetry("^0.0.3", ">=0.0.3,<0.0.4");
	check_poetry("^0.0", ">=0.0,<0.1");
	check_poetry("^0", ">=0,<1");
	/* Issue 4: a caret on a post-release keeps its meaning. */
	check_poetry("^0.10.11.post1", ">=0.10.11.post1,<0.11");
	check_poetry("^1.9.9", ">=1.9.9,<2");
	check_poetry("^0.9.1", ">=0.9.1,<0.10");
	check_poetry("^2!1.0", ">=2!1.0,<2!2");
	/* "Tilde requirements". */
	check_poetry("~1.2.3", ">=1.2.3,<1.3");
	check_poetry("~1.2", ">=1.2,<1.3");
	check_poetry("~1", ">=1,<2");
	check_poetry("~1.9", ">=1.9,<1.10");
	/* Wildcards, exact, PEP 440 pass-through, spaces. */
	check_poetry("*", "");
	check_poetry("1.2.*", "==1.2.*");
	check_poetry("1.2.3", "==1.2.3");
	check_poetry("==1.2.3", "==1.2.3");
	check_poetry("=1.2.3", "==1.2.3");
	check_poetry("~=1.4", "~=1.4");
	check_poetry(">= 1.2, < 2.0", ">=1.2,<2.0");
	check_poetry(">=1.2 <2.0 !=1.5", ">=1.2,<2.0,!=1.5");
	check_poetry("^1.2,!=1.3.1", ">=1.2,<2,!=1.3.1");

	char *out = NULL, *err = NULL;
	assert_int_equal(poetry_constraint("^1.2 || ^2.0", &out, &err), -1);
	assert_non_null(strstr(err, "alternatives ('||') have no PEP 440 form"));
	free(err);
	err = NULL;
	assert_int_equal(poetry_constraint("^banana", &out, &err), -1);
	assert_non_null(strstr(err, "'banana' in '^banana' is not a PEP 440 version"));
	free(err);
	err = NULL;
	assert_int_equal(poetry_constraint(">=1.0,<<2", &out, &err), -1);
	assert_non_null(err);
	free(err);
}

static const char pep621[] =
	"[build-system]\n"
	"requires = [\"setuptools\"]\n"
	"\n"
	"[project]\n"
	"name = \"Demo_Proj\"\n"
	"version = \"1.0\"\n"
	"dependencies = [\n"
	"  \"requests[security]>=2.0; python_version >= '3.8'\",\n"
	"  \"ruamel.yaml==0.17.21\",\n"
	"]\n"
	"\n"
	"[project.optional-dependencies]\n"
	"Test = [\"pytest>=7\"]\n"
	"docs = [\"sphinx\"]\n"
	"all = [\"demo-proj[test,docs]\"]\n"
	"old = [\"demo_proj[test] ; python_version < '3.9'\"]\n";

static void test_pep621_dependencies(void **state)
{
	struct result r;
	read_toml(&r, "p1.toml", pep621, NULL, false, NULL);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "requests[security]>=2.0; python_version >= \"3.8\"\n"
			 "ruamel.yaml==0.17.21\n");
	assert_int_equal(r.in.reqs[0].line, 8);
	assert_int_equal(r.in.reqs[1].line, 9);
	assert_string_equal(r.in.reqs[1].normalised, "ruamel-yaml");
	assert_true(str_ends_with(r.in.reqs[0].file, "/p1.toml"));
	result_clear(&r);
}

static void test_pep621_extras(void **state)
{
	struct result r;
	const char *const test[] = {"test", NULL};
	read_toml(&r, "p2.toml", pep621, test, false, NULL);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "requests[security]>=2.0; python_version >= \"3.8\"\n"
			 "ruamel.yaml==0.17.21\n"
			 "pytest>=7\n");
	assert_int_equal(r.in.reqs[2].line, 13);
	result_clear(&r);

	/* The project naming itself expands its own extras, once each. */
	const char *const all[] = {"all", "docs", NULL};
	read_toml(&r, "p3.toml", pep621, all, false, NULL);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "requests[security]>=2.0; python_version >= \"3.8\"\n"
			 "ruamel.yaml==0.17.21\n"
			 "pytest>=7\n"
			 "sphinx\n");
	result_clear(&r);

	/* A marker on the self-reference is ANDed onto what it brings in. */
	const char *const old[] = {"old", NULL};
	read_toml(&r, "p3b.toml", pep621, old, false, NULL);
	assert_int_equal(r.n, 0);
	assert_string_equal(r.in.reqs[2].text, "pytest>=7; python_version < \"3.9\"");
	result_clear(&r);

	read_toml(&r, "p4.toml", pep621, NULL, true, NULL);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 4);
	result_clear(&r);

	const char *const bogus[] = {"nope", NULL};
	read_toml(&r, "p5.toml", pep621, bogus, false, NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0),
			    "p5.toml: --extra nope: no such extra (known: Test, "
			    "docs, all, old)");
	result_clear(&r);
}

static const char pep735[] =
	"[project]\n"
	"name = \"g\"\n"
	"version = \"1\"\n"
	"dependencies = []\n"
	"\n"
	"[dependency-groups]\n"
	"Test_Tools = [\"pytest\", {include-group = \"Coverage\"}]\n"
	"coverage = [\"coverage[toml]\"]\n"
	"lint = [\"ruff\", {include-group = \"test-tools\"}]\n";

static void test_dependency_groups(void **state)
{
	struct result r;
	const char *const lint[] = {"lint", NULL};
	read_toml(&r, "g1.toml", pep735, NULL, false, lint);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "ruff\npytest\ncoverage[toml]\n");
	assert_int_equal(r.in.reqs[0].line, 9);
	assert_int_equal(r.in.reqs[2].line, 8);
	result_clear(&r);

	const char *const none[] = {"docs", NULL};
	read_toml(&r, "g2.toml", pep735, NULL, false, none);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0),
			    "g2.toml: --group docs: no such dependency group "
			    "(known: Test_Tools, coverage, lint)");
	result_clear(&r);
}

static void test_dependency_group_cycle(void **state)
{
	struct result r;
	const char *const a[] = {"a", NULL};
	read_toml(&r, "cyc.toml",
		  "[dependency-groups]\n"
		  "a = [\"six\", {include-group = \"b\"}]\n"
		  "b = [{include-group = \"A\"}]\n"
		  "c = [{include-group = \"missing\"}, {bogus = 1}]\n"
		  "C = []\n",
		  NULL, false, a);
	/* Duplicate normalised names c/C, then the cycle. */
	assert_int_equal(r.n, 2);
	assert_string_equal(problem(&r, 0),
			    "cyc.toml:5: [dependency-groups] 'C': another group "
			    "has the same normalised name 'c'");
	assert_string_equal(problem(&r, 1),
			    "cyc.toml:2: [dependency-groups] include-group cycle: "
			    "a -> b -> a");
	assert_texts(&r, "six\n");
	result_clear(&r);

	const char *const c[] = {"c", NULL};
	read_toml(&r, "cyc2.toml",
		  "[dependency-groups]\n"
		  "c = [{include-group = \"missing\"}, {bogus = 1}]\n",
		  NULL, false, c);
	assert_int_equal(r.n, 2);
	assert_string_equal(problem(&r, 0),
			    "cyc2.toml:2: [dependency-groups] c: include-group "
			    "'missing': no such group");
	assert_string_equal(problem(&r, 1),
			    "cyc2.toml:2: [dependency-groups] c: entry 2 is neither "
			    "a requirement string nor {include-group = \"NAME\"}");
	result_clear(&r);
}

static const char poetry[] =
	"[tool.poetry]\n"
	"name = \"poet\"\n"
	"version = \"0.1.0\"\n"
	"\n"
	"[tool.poetry.dependencies]\n"
	"python = \"^3.9\"\n"
	"requests = \"^2.31\"\n"
	"Ruamel_YAML = \"^0.10.11.post1\"\n"
	"click = \"*\"\n"
	"idna = \"3.4\"\n"
	"uvicorn = { version = \"~0.23.1\", extras = [\"standard\"] }\n"
	"tomli = { version = \">=1.1\", python = \"<3.11\" }\n"
	"pywin32 = { version = \"306\", markers = \"sys_platform == 'win32'\" }\n"
	"psycopg2 = { version = \"^2.9\", optional = true }\n"
	"foo = [\n"
	"  { version = \"<2\", python = \">=3.8,<3.10\" },\n"
	"  { version = \"^2\", python = \">=3.10\" },\n"
	"]\n"
	"\n"
	"[tool.poetry.extras]\n"
	"pg = [\"psycopg2\"]\n"
	"\n"
	"[tool.poetry.group.dev.dependencies]\n"
	"pytest = \"^7.4\"\n";

static void test_poetry(void **state)
{
	struct result r;
	read_toml(&r, "poetry.toml", poetry, NULL, false, NULL);
	assert_int_equal(r.n, 0);
	/* python is not a package; psycopg2 is optional (extra pg only). */
	assert_texts(&r,
		     "requests>=2.31,<3\n"
		     "Ruamel_YAML>=0.10.11.post1,<0.11\n"
		     "click\n"
		     "idna==3.4\n"
		     "uvicorn[standard]>=0.23.1,<0.24\n"
		     "tomli>=1.1; python_version < \"3.11\"\n"
		     "pywin32==306; sys_platform == \"win32\"\n"
		     "foo<2; python_version >= \"3.8\" and python_version < \"3.10\"\n"
		     "foo>=2,<3; python_version >= \"3.10\"\n");
	assert_int_equal(r.in.reqs[0].line, 7);
	assert_int_equal(r.in.reqs[4].line, 11);
	assert_string_equal(r.in.reqs[1].normalised, "ruamel-yaml");
	result_clear(&r);

	const char *const pg[] = {"pg", NULL};
	const char *const dev[] = {"dev", NULL};
	read_toml(&r, "poetry2.toml", poetry, pg, false, dev);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.in.nr, 11);
	assert_string_equal(r.in.reqs[9].text, "psycopg2>=2.9,<3");
	assert_string_equal(r.in.reqs[10].text, "pytest>=7.4,<8");
	assert_int_equal(r.in.reqs[10].line, 24);
	result_clear(&r);
}

static void test_poetry_problems(void **state)
{
	struct result r;
	read_toml(&r, "pbad.toml",
		  "[tool.poetry.dependencies]\n"
		  "python = \"^3.9\"\n"
		  "a = \"^1.0 || ^2.0\"\n"
		  "b = { path = \"../b\" }\n"
		  "c = { version = \"^1\", source = \"private\" }\n"
		  "d = { git = \"https://example.org/d.git\", tag = \"v1\" }\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 3);
	assert_true(str_starts_with(problem(&r, 0), "pbad.toml:3: a: '^1.0 || ^2.0'"));
	assert_string_equal(problem(&r, 1),
			    "pbad.toml:4: b: local path '../b' cannot be scanned "
			    "from an index");
	assert_true(str_starts_with(problem(&r, 2), "pbad.toml:5: c: source = \"private\""));
	/* git dependencies are URL requirements, kept. */
	assert_texts(&r, "d @ git+https://example.org/d.git@v1\n");
	result_clear(&r);
}

/* A python = "..." restriction with alternatives becomes an "or" marker
 * (a package version with "||" stays an error: PEP 440 has no "or"). */
static void test_poetry_python_alternatives(void **state)
{
	struct result r;
	read_toml(&r, "palt.toml",
		  "[tool.poetry.dependencies]\n"
		  "python = \"~2.7 || ^3.6\"\n"
		  "futures = { version = \"^3.3\", python = \"~2.7 || ^3.6\" }\n"
		  "six = { version = \"1.16.0\", python = \"2.7.* | >=3.8.1\" }\n"
		  "any = { version = \"1\", python = \"^3.8 || *\" }\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 0);
	assert_texts(&r,
		     "futures>=3.3,<4; (python_version >= \"2.7\" and "
		     "python_version < \"2.8\") or (python_version >= \"3.6\" "
		     "and python_version < \"4\")\n"
		     "six==1.16.0; (python_version == \"2.7.*\") or "
		     "(python_full_version >= \"3.8.1\")\n"
		     "any==1\n");
	result_clear(&r);
}

/* Poetry 2: [project] with dynamic dependencies from tool.poetry. */
static void test_dynamic(void **state)
{
	struct result r;
	read_toml(&r, "dyn.toml",
		  "[project]\n"
		  "name = \"dyn\"\n"
		  "dynamic = [\"version\", \"dependencies\"]\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 1);
	assert_true(str_starts_with(problem(&r, 0),
				    "dyn.toml:3: [project] dependencies are dynamic: "
				    "the build backend computes them at build time, "
				    "so they cannot be read statically"));
	assert_int_equal(r.in.nr, 0);
	result_clear(&r);

	read_toml(&r, "dyn2.toml",
		  "[project]\n"
		  "name = \"dyn\"\n"
		  "dynamic = [\"dependencies\"]\n"
		  "[tool.poetry.dependencies]\n"
		  "six = \"^1.16\"\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "six>=1.16,<2\n");
	result_clear(&r);
}

static void test_bad_files(void **state)
{
	struct result r;
	read_toml(&r, "syntax.toml", "[project]\nname = \"x\"\ndependencies = [\"a\",\n= 3\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 1);
	assert_true(str_starts_with(problem(&r, 0), "syntax.toml:4: invalid TOML: "));
	result_clear(&r);

	read_toml(&r, "badreq.toml",
		  "[project]\n"
		  "name = \"x\"\n"
		  "dependencies = [\n"
		  "  \"ok\",\n"
		  "  \"bad>=\",\n"
		  "  \"./local\",\n"
		  "  3,\n"
		  "]\n",
		  NULL, false, NULL);
	assert_int_equal(r.n, 3);
	assert_true(str_starts_with(problem(&r, 0), "badreq.toml:5: "));
	assert_true(str_starts_with(problem(&r, 1), "badreq.toml:6: local path './local'"));
	assert_string_equal(problem(&r, 2),
			    "badreq.toml:1: [project] dependencies: entry 4 is not "
			    "a string");
	assert_texts(&r, "ok\n");
	result_clear(&r);

	read_toml(&r, "empty.toml", "[build-system]\nrequires = []\n", NULL, false, NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0),
			    "empty.toml: no [project], [dependency-groups] or "
			    "[tool.poetry] table: no dependencies to scan");
	result_clear(&r);
}

/*
 * The helper is looked up in $PIPCANARY_PROBE_DIR when the caller names no
 * folder (an installed pipcanary run from elsewhere); a folder without it
 * is one clear problem naming the file.
 */
static void test_probe_dir_from_environment(void **state)
{
	char *dir = xasprintf("%s/alt-probe", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	static const char helper[] =
		"import json\n"
		"print(json.dumps({'project': {'name': 'alt', "
		"'dependencies': ['from-alt-probe==1.0']}}))\n";
	static const char toml[] = "[project]\nname = \"x\"\n";
	free(write_tmp(dir, "pyproject_reqs.py", helper, sizeof helper - 1));
	char *path = write_tmp(tmpdir, "any.toml", toml, sizeof toml - 1);
	struct pyproject_opts o = {.python = "python3"};
	struct input in = {0};
	struct strvec problems = STRVEC_INIT;
	setenv("PIPCANARY_PROBE_DIR", dir, 1);
	assert_int_equal(pyproject_read(&in, path, &o, &problems), 0);
	assert_int_equal(in.nr, 1);
	assert_string_equal(in.reqs[0].text, "from-alt-probe==1.0");
	input_clear(&in);

	char *missing = xasprintf("%s/no-such-probe", tmpdir);
	setenv("PIPCANARY_PROBE_DIR", missing, 1);
	assert_int_equal(pyproject_read(&in, path, &o, &problems), 1);
	char *want = xasprintf("%s: cannot read pipcanary's TOML helper "
			       "%s/pyproject_reqs.py: No such file or directory "
			       "(set PIPCANARY_PROBE_DIR to pipcanary's probe "
			       "folder)", path, missing);
	assert_string_equal(problems.v[0], want);
	unsetenv("PIPCANARY_PROBE_DIR");
	assert_int_equal(in.nr, 0);
	free(want);
	free(missing);
	strvec_clear(&problems);
	free(path);
	free(dir);
}

/*
 * Issue 6: each group is expanded once however often it is included (a
 * 40-level "diamond" would otherwise give 2^40 copies of "six"), a straight
 * chain of 3000 groups is walked without recursion, and more than 100000
 * entries in total are refused with the limit named.
 */
static void test_dependency_group_budget(void **state)
{
	struct result r;
	const char *const g0[] = {"g0", NULL};
	struct strbuf t = STRBUF_INIT;
	strbuf_addstr(&t, "[dependency-groups]\n");
	for (int i = 0; i < 40; i++)
		strbuf_addf(&t, "g%d = [{include-group = \"g%d\"}, "
			    "{include-group = \"g%d\"}]\n", i, i + 1, i + 1);
	strbuf_addstr(&t, "g40 = [\"six\"]\n");
	read_toml(&r, "diamond.toml", t.buf, NULL, false, g0);
	assert_int_equal(r.n, 0);
	assert_texts(&r, "six\n");
	result_clear(&r);

	strbuf_reset(&t);
	strbuf_addstr(&t, "[dependency-groups]\n");
	for (int i = 0; i < 3000; i++)
		strbuf_addf(&t, "g%d = [{include-group = \"g%d\"}]\n", i, i + 1);
	strbuf_addstr(&t, "g3000 = [\"six\", {include-group = \"g1\"}]\n");
	read_toml(&r, "chain.toml", t.buf, NULL, false, g0);
	/* g3000 includes g1: a cycle, on g1's line (3). */
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(problem(&r, 0), "chain.toml:3: [dependency-groups] "
			       "include-group cycle: g1 -> g2 -> g3 -> "));
	assert_true(str_ends_with(problem(&r, 0), "g2999 -> g3000 -> g1"));
	assert_texts(&r, "six\n");
	result_clear(&r);

	strbuf_reset(&t);
	strbuf_addstr(&t, "[dependency-groups]\ng0 = [");
	for (int i = 0; i < 100001; i++)
		strbuf_addstr(&t, "{include-group = \"b\"},");
	strbuf_addstr(&t, "]\nb = []\n");
	read_toml(&r, "big.toml", t.buf, NULL, false, g0);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0), "big.toml:2: [dependency-groups] g0: "
			    "more than 100000 entries to expand in total "
			    "(include-group): refused");
	assert_int_equal(r.in.nr, 0);
	result_clear(&r);
	strbuf_release(&t);
}

/*
 * Issue 12: a value of the wrong type is a problem naming its key, never
 * skipped or read as something else (a TOML date is not the requirement
 * "1979-05-27"); NaN, infinities, integers beyond 64 bits and nesting too
 * deep for tomllib give one "FILE: ..." line.
 */
static void test_wrong_types(void **state)
{
	struct result r;
	const char *const dev[] = {"dev", NULL};
	read_toml(&r, "types.toml",
		  "[project]\n"
		  "name = 5\n"
		  "dynamic = \"dependencies\"\n"
		  "dependencies = [1979-05-27, nan, 99999999999999999999]\n"
		  "optional-dependencies = \"a\"\n"
		  "[tool.poetry.group]\n"
		  "dev = 5\n",
		  NULL, true, dev);
	assert_int_equal(r.n, 7);
	assert_string_equal(problem(&r, 0), "types.toml:3: [project] dynamic must "
			    "be an array of field names");
	assert_string_equal(problem(&r, 1), "types.toml:2: [project] name must "
			    "be a string");
	assert_string_equal(problem(&r, 2), "types.toml:5: "
			    "[project.optional-dependencies] must be a table");
	for (int i = 1; i <= 3; i++) {
		char *want = xasprintf("types.toml:1: [project] dependencies: "
				       "entry %d is not a string", i);
		assert_string_equal(problem(&r, (size_t)(2 + i)), want);
		free(want);
	}
	assert_string_equal(problem(&r, 6), "types.toml:7: "
			    "[tool.poetry.group.dev] must be a table");
	assert_int_equal(r.in.nr, 0);
	result_clear(&r);

	read_toml(&r, "tool.toml", "tool = \"x\"\n", NULL, false, NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0), "tool.toml:1: [tool] must be a "
			    "table, not str");
	result_clear(&r);

	struct strbuf t = STRBUF_INIT;
	strbuf_addstr(&t, "[project]\nname = \"x\"\ndependencies = ");
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&t, '[');
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&t, ']');
	strbuf_addch(&t, '\n');
	read_toml(&r, "deep.toml", t.buf, NULL, false, NULL);
	assert_int_equal(r.n, 1);
	assert_string_equal(problem(&r, 0), "deep.toml: invalid TOML: arrays or "
			    "tables nested too deeply to read");
	result_clear(&r);
	strbuf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poetry_constraints),
		cmocka_unit_test(test_pep621_dependencies),
		cmocka_unit_test(test_pep621_extras),
		cmocka_unit_test(test_dependency_groups),
		cmocka_unit_test(test_dependency_group_cycle),
		cmocka_unit_test(test_dependency_group_budget),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_poetry),
		cmocka_unit_test(test_poetry_problems),
		cmocka_unit_test(test_poetry_python_alternatives),
		cmocka_unit_test(test_dynamic),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_probe_dir_from_environment),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
