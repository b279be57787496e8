/* Unit tests of proctree.c: attribution from pip's build folders and the
 * probe's argv, inheritance at fork, trust, fd tables. Expected values are
 * worked out from pip 23's folder layout (req_install.py
 * ensure_build_location: <name>_<uuid4 hex> under pip-install-XXXX) and
 * the probe's agreed argv shapes. */
#include "testutil.h"
#include "proctree.h"

static void test_sdist_from_path(void **state)
{
	char *s;
	s = attr_sdist_from_path("/tmp", "/tmp/pip-install-k2j3_x/markupsafe_0123456789abcdef0123456789abcdef");
	assert_string_equal(s, "markupsafe");
	free(s);
	s = attr_sdist_from_path("/tmp/", "/tmp/pip-install-k2j3/jinja2_0123456789abcdef0123456789abcdef/src/jinja2");
	assert_string_equal(s, "jinja2");
	free(s);
	/* without the parallel-build suffix the folder is the name */
	s = attr_sdist_from_path("/tmp", "/tmp/pip-install-k2j3/evil-pack");
	assert_string_equal(s, "evil-pack");
	free(s);
	/* a suffix that is not 32 hex digits is part of the name */
	s = attr_sdist_from_path("/tmp", "/tmp/pip-install-k2j3/a_b_0123456789abcdef0123456789abcdeX");
	assert_string_equal(s, "a_b_0123456789abcdef0123456789abcdeX");
	free(s);
	s = attr_sdist_from_path("/ws/tmp", "/ws/tmp/pip-req-build-q1w2/setup.py");
	assert_string_equal(s, "pip-req-build-q1w2");
	free(s);
	/* not a build folder */
	assert_null(attr_sdist_from_path("/tmp", "/tmp/pip-install-k2j3"));
	assert_null(attr_sdist_from_path("/tmp", "/tmp/pip-build-env-x/overlay"));
	assert_null(attr_sdist_from_path("/tmp", "/tmpx/pip-install-a/b"));
	assert_null(attr_sdist_from_path("/tmp", "/work"));
	assert_null(attr_sdist_from_path("/tmp", NULL));
	/* inside a shell script: not a folder name */
	assert_null(attr_sdist_from_path("/tmp", "/tmp/pip-install-q/demo && cd x"));
	s = attr_sdist_from_path("/tmp", "/tmp/pip-install-q/demo_0123456789abcdef0123456789abcdef'; exec(x)");
	assert_string_equal(s, "demo");
	free(s);
}

static void test_probe_from_argv(void **state)
{
	char *pkg;
	const char *phase;
	const char *a1[] = {"/venv/bin/python", "/probe/import_probe.py", "--dist", "Jinja2", NULL};
	assert_true(attr_probe_from_argv(a1, &pkg, &phase));
	assert_string_equal(pkg, "Jinja2");
	assert_string_equal(phase, "import");
	free(pkg);
	const char *a2[] = {"/venv/bin/python", "-I", "/probe/import_probe.py", "--startup", NULL};
	assert_true(attr_probe_from_argv(a2, &pkg, &phase));
	assert_null(pkg);
	assert_string_equal(phase, "startup");
	const char *a3[] = {"/venv/bin/python3", "-I", "-c", "pass", NULL};
	assert_true(attr_probe_from_argv(a3, &pkg, &phase));
	assert_string_equal(phase, "startup");
	const char *a4[] = {"/venv/bin/python", "-c", "import os; os.system('x')", NULL};
	assert_false(attr_probe_from_argv(a4, &pkg, &phase));
	const char *a5[] = {"/bin/sh", "-c", "pass", NULL};
	assert_false(attr_probe_from_argv(a5, &pkg, &phase));
	const char *a6[] = {"/venv/bin/python", "/probe/import_probe.py", "--dist", NULL};
	assert_false(attr_probe_from_argv(a6, &pkg, &phase));
	assert_false(attr_probe_from_argv(NULL, &pkg, &phase));
}

static void test_fork_exec_inheritance(void **state)
{
	struct proctree *t = proctree_new("install", "/tmp");
	struct proc *p;

	p = proctree_ensure(t, 10); /* the first: bwrap, trusted */
	assert_true(p->trusted);
	proctree_exec(t, 10, (const char *const[]){"bwrap", NULL});
	assert_true(proctree_get(t, 10)->trusted);
	p = proctree_fork(t, 10, 11, 1, false);
	assert_true(p->trusted);
	assert_int_equal(p->ppid, 10);
	proctree_chdir(t, 11, "/work");
	proctree_exec(t, 11, (const char *const[]){"python", "-m", "pip", NULL});
	p = proctree_get(t, 11);
	assert_false(p->trusted);
	assert_string_equal(p->package, "pip");
	assert_string_equal(p->phase, "install");
	assert_string_equal(p->argv, "python -m pip");

	/* a legacy setup.py build named by argv only */
	proctree_set_fd(t, 11, 4, "/work/req.txt");
	p = proctree_fork(t, 11, 12, 3, false);
	assert_string_equal(p->cwd, "/work");
	assert_string_equal(proctree_fd_path(t, 12, 4), "/work/req.txt");
	proctree_exec(t, 12, (const char *const[]){"python", "-c", "exec(compile(open('/tmp/pip-install-ab/oldpkg_0123456789abcdef0123456789abcdef/setup.py')))", "egg_info", NULL});
	assert_string_equal(proctree_get(t, 12)->package, "oldpkg");
	assert_string_equal(proctree_get(t, 12)->phase, "build");
	/* its compiler child stays the build even in another folder */
	proctree_fork(t, 12, 13, 4, false);
	proctree_chdir(t, 13, "/tmp/pip-install-ab/other_0123456789abcdef0123456789abcdef");
	proctree_exec(t, 13, (const char *const[]){"gcc", "-c", "x.c", NULL});
	assert_string_equal(proctree_get(t, 13)->package, "oldpkg");
	/* the sandbox pid maps back to the host pid while alive */
	assert_int_equal(proctree_host_pid(t, 4), 13);
	proctree_exit(t, 13);
	assert_int_equal(proctree_host_pid(t, 4), 0);
	/* pid reuse: a new fork of the same pid starts fresh */
	p = proctree_fork(t, 11, 13, 5, false);
	assert_true(p->alive);
	assert_string_equal(p->package, "pip");
	proctree_free(t);
}

static void test_startup_pth(void **state)
{
	struct proctree *t = proctree_new("import", NULL);
	proctree_ensure(t, 1);
	proctree_fork(t, 1, 2, 1, false);
	proctree_exec(t, 2, (const char *const[]){"python", "/probe/import_probe.py", "--startup", NULL});
	assert_string_equal(proctree_get(t, 2)->package, ".pth at interpreter start");
	proctree_note_open(t, 2, "/venv/lib/python3.11/site-packages/README.txt");
	assert_string_equal(proctree_get(t, 2)->package, ".pth at interpreter start");
	proctree_note_open(t, 2, "/venv/lib/python3.11/site-packages/sitecustomize.py");
	assert_string_equal(proctree_get(t, 2)->package, "sitecustomize.py");
	/* during an import probe a .pth does not change the attribution */
	proctree_fork(t, 1, 3, 2, false);
	proctree_exec(t, 3, (const char *const[]){"python", "/probe/import_probe.py", "--dist", "x", NULL});
	proctree_note_open(t, 3, "/venv/lib/python3.11/site-packages/y.pth");
	assert_string_equal(proctree_get(t, 3)->package, "x");
	proctree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdist_from_path),
		cmocka_unit_test(test_probe_from_argv),
		cmocka_unit_test(test_fork_exec_inheritance),
		cmocka_unit_test(test_startup_pth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
