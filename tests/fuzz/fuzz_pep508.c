/*
 * fuzz_pep508.c - PEP 508 requirement strings and markers (pep508.h).
 * The whole input (up to a NUL) is parsed as a requirement, checked and
 * evaluated as a marker in a fixed environment (each variable set, extra
 * "test"), and the marker of a parsed requirement is evaluated too.
 * Invariant: a marker the evaluator reads must pass the syntax check (the
 * reverse need not hold: "~=" between strings that are not versions is
 * well-formed but has no value).
 */
#include "fuzz.h"
#include "pep508.h"

#include <stdio.h>

static const struct marker_env env = {
	.python_version = "3.11",
	.python_full_version = "3.11.2",
	.os_name = "posix",
	.sys_platform = "linux",
	.platform_system = "Linux",
	.platform_machine = "x86_64",
	.platform_release = "6.1.0-18-amd64",
	.platform_version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
	.implementation_name = "cpython",
	.implementation_version = "3.11.2",
	.platform_python_implementation = "CPython",
	.extra = "test",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char *err = NULL;
	struct pep508_req r = {0};
	if (pep508_parse(s, &r, &err) == 0 && r.marker) {
		char *e2 = NULL;
		(void)pep508_marker_eval(r.marker, &env, &e2);
		free(e2);
	}
	pep508_req_clear(&r);
	free(err);

	err = NULL;
	int checked = pep508_marker_check(s, &err);
	free(err);
	err = NULL;
	int value = pep508_marker_eval(s, &env, &err);
	free(err);
	if (value >= 0 && checked != 0) {
		fprintf(stderr, "marker check %d but eval %d on '%s'\n",
			checked, value, s);
		abort();
	}
	free(s);
	return 0;
}
