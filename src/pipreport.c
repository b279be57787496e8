/* pipreport.c - pip's --report JSON into struct dist: see pipreport.h. */
#include "pipreport.h"

#include "pep503.h"
#include "pep508.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>

/* A borrowed string member of obj, or NULL when absent or not a string. */
static const char *str_member(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *archive_sha256(const json_t *download_info)
{
	const json_t *ai = json_object_get(download_info, "archive_info");
	if (!json_is_object(ai))
		return NULL;
	const char *h = str_member(json_object_get(ai, "hashes"), "sha256");
	if (str_is_sha256_hex(h))
		return xstrdup_lower(h);
	const char *legacy = str_member(ai, "hash");
	if (legacy && str_starts_with(legacy, "sha256=") &&
	    str_is_sha256_hex(legacy + 7))
		return xstrdup_lower(legacy + 7);
	return NULL;
}

/* Whether the path of url (before ?query and #fragment) ends in ".whl". */
static bool url_is_wheel(const char *url)
{
	if (!url)
		return false;
	size_t n = strcspn(url, "?#");
	return n >= 4 && strncmp(url + n - 4, ".whl", 4) == 0;
}

/* Extras requested of distribution `normalised`. */
struct extras_of {
	char *normalised;
	struct strvec extras; /* normalised */
};

static struct strvec *extras_for(struct extras_of **arr, size_t *nr,
				 size_t *alloc, const char *normalised)
{
	for (size_t i = 0; i < *nr; i++)
		if (!strcmp((*arr)[i].normalised, normalised))
			return &(*arr)[i].extras;
	GROW(*arr, *alloc, *nr + 1);
	(*arr)[*nr] = (struct extras_of){xstrdup(normalised), STRVEC_INIT};
	return &(*arr)[(*nr)++].extras;
}

static void add_extras(struct strvec *to, const struct strvec *extras)
{
	for (size_t i = 0; i < extras->nr; i++) {
		_cleanup_free_ char *n = pep503_normalise(extras->v[i]);
		if (!strvec_contains(to, n))
			strvec_push(to, n);
	}
}

/* Whether requirement `r` of a distribution requested with `extras`
 * applies in env: no marker, or the marker is true without an extra or
 * with one of them. A marker we cannot evaluate counts as applying (the
 * dependency is installed, so it most likely did). */
static bool applies(const struct pep508_req *r, struct marker_env *env,
		    const struct strvec *extras)
{
	if (!r->marker)
		return true;
	char *err = NULL;
	env->extra = NULL;
	int v = pep508_marker_eval(r->marker, env, &err);
	free(err);
	if (v != 0)
		return true;
	for (size_t i = 0; extras && i < extras->nr; i++) {
		env->extra = extras->v[i];
		v = pep508_marker_eval(r->marker, env, &err);
		free(err);
		err = NULL;
		if (v != 0) {
			env->extra = NULL;
			return true;
		}
	}
	env->extra = NULL;
	return false;
}

static void compute_required_by(struct dist *d, size_t nr,
				const struct input *in, const json_t *jenv)
{
	struct marker_env env = {0};
	env.python_version = str_member(jenv, "python_version");
	env.python_full_version = str_member(jenv, "python_full_version");
	env.os_name = str_member(jenv, "os_name");
	env.sys_platform = str_member(jenv, "sys_platform");
	env.platform_system = str_member(jenv, "platform_system");
	env.platform_machine = str_member(jenv, "platform_machine");
	env.platform_release = str_member(jenv, "platform_release");
	env.platform_version = str_member(jenv, "platform_version");
	env.implementation_name = str_member(jenv, "implementation_name");
	env.implementation_version = str_member(jenv, "implementation_version");
	env.platform_python_implementation =
		str_member(jenv, "platform_python_implementation");

	/* Extras asked of each distribution: by the user's input, and by
	 * any reported distribution's requirement on it. */
	struct extras_of *ex = NULL;
	size_t nr_ex = 0, alloc_ex = 0;
	for (size_t i = 0; in && i < in->nr; i++)
		if (!in->reqs[i].constraint && in->reqs[i].normalised)
			add_extras(extras_for(&ex, &nr_ex, &alloc_ex,
					      in->reqs[i].normalised),
				   &in->reqs[i].extras);
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < d[i].requires_dist.nr; k++) {
			struct pep508_req r = {0};
			char *err = NULL;
			if (pep508_parse(d[i].requires_dist.v[k], &r, &err) == 0 &&
			    r.extras.nr) {
				_cleanup_free_ char *n = pep503_normalise(r.name);
				add_extras(extras_for(&ex, &nr_ex, &alloc_ex, n),
					   &r.extras);
			}
			free(err);
			pep508_req_clear(&r);
		}

	for (size_t i = 0; i < nr; i++) {
		const struct strvec *my_extras =
			extras_for(&ex, &nr_ex, &alloc_ex, d[i].normalised);
		for (size_t k = 0; k < d[i].requires_dist.nr; k++) {
			struct pep508_req r = {0};
			char *err = NULL;
			if (pep508_parse(d[i].requires_dist.v[k], &r, &err) < 0) {
				free(err);
				continue;
			}
			_cleanup_free_ char *n = pep503_normalise(r.name);
			for (size_t j = 0; j < nr; j++) {
				if (j == i || strcmp(d[j].normalised, n) != 0)
					continue;
				if (applies(&r, &env, my_extras) &&
				    !strvec_contains(&d[j].required_by,
						     d[i].normalised))
					strvec_push(&d[j].required_by,
						    d[i].normalised);
			}
			pep508_req_clear(&r);
		}
	}
	for (size_t i = 0; i < nr_ex; i++) {
		free(ex[i].normalised);
		strvec_clear(&ex[i].extras);
	}
	free(ex);
}

static int parse_item(const json_t *item, size_t idx, struct dist *d,
		      char **err)
{
	const json_t *meta = json_object_get(item, "metadata");
	const char *name = str_member(meta, "name");
	const char *version = str_member(meta, "version");
	if (!json_is_object(item) || !name || !version || !*name ||
	    !*version) {
		*err = xasprintf("pip's report: install item %zu has no "
				 "metadata name and version",
				 idx + 1);
		return -1;
	}
	if (!pep503_valid(name)) {
		*err = xasprintf("pip's report: install item %zu: '%s' is not "
				 "a valid project name",
				 idx + 1, name);
		return -1;
	}
	const json_t *di = json_object_get(item, "download_info");
	d->name = xstrdup(name);
	d->normalised = pep503_normalise(name);
	d->version = xstrdup(version);
	d->url = xstrdup(str_member(di, "url"));
	d->sha256 = archive_sha256(di);
	d->is_wheel = url_is_wheel(d->url);
	d->requested = json_is_true(json_object_get(item, "requested"));
	const json_t *rd = json_object_get(meta, "requires_dist");
	size_t i;
	const json_t *v;
	json_array_foreach(rd, i, v)
	{
		if (json_is_string(v))
			strvec_push(&d->requires_dist, json_string_value(v));
	}
	return 0;
}

static int cmp_dist(const void *a, const void *b)
{
	return strcmp(((const struct dist *)a)->normalised,
		      ((const struct dist *)b)->normalised);
}

int pipreport_parse(const char *json, size_t len, const struct input *in,
		    struct scan_result *res, char **err)
{
	*err = NULL;
	json_error_t jerr;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		*err = xasprintf("pip's report is not valid JSON (line %d: %s)",
				 jerr.line, jerr.text);
		return -1;
	}
	const char *version = str_member(root, "version");
	const json_t *install = json_object_get(root, "install");
	if (!json_is_object(root) || !version || !json_is_array(install)) {
		*err = xasprintf("pip's report has no \"version\" and "
				 "\"install\" list");
		json_decref(root);
		return -1;
	}
	if (strcmp(version, "1") != 0) {
		*err = xasprintf("pip's report has format version %s; this "
				 "program reads version 1",
				 version);
		json_decref(root);
		return -1;
	}
	size_t nr = json_array_size(install);
	struct dist *d = xcalloc(nr ? nr : 1, sizeof(*d));
	for (size_t i = 0; i < nr; i++) {
		if (parse_item(json_array_get(install, i), i, &d[i], err) < 0) {
			for (size_t k = 0; k <= i; k++)
				dist_clear(&d[k]);
			free(d);
			json_decref(root);
			return -1;
		}
	}
	const json_t *env = json_object_get(root, "environment");
	compute_required_by(d, nr, in, env);
	for (size_t i = 0; i < nr; i++)
		strvec_sort(&d[i].required_by);
	/* Reports, the audit and the lock list distributions by normalised
	 * name (as the brief's examples do), not in pip's install order. */
	qsort(d, nr, sizeof(*d), cmp_dist);
	GROW(res->dists, res->alloc_dists, res->nr_dists + nr);
	memcpy(res->dists + res->nr_dists, d, nr * sizeof(*d));
	res->nr_dists += nr;
	free(d);

	if (!res->python_version && str_member(env, "python_full_version"))
		res->python_version = xstrdup(str_member(env, "python_full_version"));
	if (!res->platform && str_member(env, "sys_platform") &&
	    str_member(env, "platform_machine"))
		res->platform = xasprintf("%s-%s", str_member(env, "sys_platform"),
					  str_member(env, "platform_machine"));
	json_decref(root);
	return 0;
}
