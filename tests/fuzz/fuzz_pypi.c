/*
 * fuzz_pypi.c - the JSON API response handling (pypi.h): the body of an
 * answer, untrusted, read both as a per-release answer
 * (pypi_parse_release: info, urls, vulnerabilities) and as a project
 * answer (pypi_parse_project: info.name, releases and their files). Every
 * advisory read is then asked advisory_withdrawn() and advisory_matches().
 */
#include "fuzz.h"
#include "model.h"
#include "pypi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct dist_audit d = {0};
	char *err = NULL;
	if (pypi_parse_release(body, size, &d, &err) == 0) {
		for (size_t i = 0; i < d.nr_vulns; i++) {
			(void)advisory_withdrawn(&d.vulns[i], 1700000000);
			(void)advisory_matches(&d.vulns[i], "CVE-2023-0001");
		}
	}
	dist_audit_clear(&d);
	free(err);

	struct pypi_project p = {0};
	err = NULL;
	(void)pypi_parse_project(body, size, &p, &err);
	pypi_project_clear(&p);
	free(err);
	return 0;
}
