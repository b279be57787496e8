/* pep508.c - PEP 508 requirement strings and markers; see pep508.h.
 * FIRST CUT: the full parser follows shortly. */
#include "pep508.h"
#include "pep440.h"

#include <string.h>

void pep508_req_clear(struct pep508_req *r)
{
	free(r->name);
	strvec_clear(&r->extras);
	free(r->specifier);
	free(r->url);
	free(r->marker);
	memset(r, 0, sizeof(*r));
}

int pep508_parse(const char *s, struct pep508_req *out, char **err)
{
	(void)s;
	memset(out, 0, sizeof(*out));
	*err = xstrdup("pep508_parse: not implemented yet");
	return -1;
}

void marker_env_host(struct marker_env *env, const char *python_full_version)
{
	memset(env, 0, sizeof(*env));
	env->python_full_version = python_full_version;
}

int pep508_marker_eval(const char *marker, const struct marker_env *env, char **err)
{
	(void)marker;
	(void)env;
	*err = xstrdup("pep508_marker_eval: not implemented yet");
	return -1;
}

int pep508_marker_check(const char *marker, char **err)
{
	(void)marker;
	*err = xstrdup("pep508_marker_check: not implemented yet");
	return -1;
}
