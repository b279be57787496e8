/* cooldown.c - the cool-down check and the next suitable release: see
 * cooldown.h. */
#include "cooldown.h"
#include "pep440.h"
#include "pep503.h"

#include <string.h>

void cooldown_evaluate(const char *normalised, const struct release_file *files,
		       size_t nr_files, const struct options *opts,
		       struct cooldown *c)
{
	c->too_recent = false;
	c->allowed = false;
	c->upload_unknown = nr_files == 0;
	c->upload_invalid = false;
	free(c->newest_upload);
	c->newest_upload = NULL;
	time_t newest = -1;
	for (size_t i = 0; i < nr_files; i++) {
		if (files[i].upload_invalid)
			c->upload_invalid = true;
		if (!files[i].upload_time || files[i].upload_epoch < 0)
			c->upload_unknown = true;
		else if (files[i].upload_epoch > newest)
			newest = files[i].upload_epoch;
	}
	if (newest >= 0) {
		char buf[20];
		format_timestamp(newest, buf);
		c->newest_upload = xstrdup(buf);
	}
	if (opts->cool_down_days <= 0)
		return;
	time_t cutoff = opts->now - (time_t)opts->cool_down_days * 86400;
	c->too_recent = c->upload_unknown || newest > cutoff;
	if (!c->too_recent || c->upload_unknown)
		return;
	for (size_t i = 0; i < opts->nr_allowances; i++)
		if (!strcmp(opts->allowances[i].normalised, normalised) &&
		    newest <= opts->allowances[i].until)
			c->allowed = true;
}

/* ---- specifiers placed on a distribution ---- */

/* True when the requirement's marker holds for env with any of extras (or
 * none). -1 with *err when the marker is malformed. */
static int marker_applies(const char *marker, const struct marker_env *env,
			  const struct strvec *extras, char **err)
{
	if (!marker)
		return 1;
	struct marker_env e = *env;
	e.extra = NULL;
	int r = pep508_marker_eval(marker, &e, err);
	for (size_t i = 0; r == 0 && extras && i < extras->nr; i++) {
		e.extra = extras->v[i];
		r = pep508_marker_eval(marker, &e, err);
	}
	return r;
}

/* The extras requested of `dist` (normalised): by the user's requirements
 * and by other distributions' Requires-Dist whose marker holds without an
 * extra. One level deep: extras requested through an extra are rare. */
static void requested_extras(const char *dist, const struct input *in,
			     const struct scan_result *scan,
			     const struct marker_env *env, struct strvec *out)
{
	for (size_t i = 0; in && i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		if (!r->normalised || strcmp(r->normalised, dist))
			continue;
		for (size_t j = 0; j < r->extras.nr; j++)
			if (!strvec_contains(out, r->extras.v[j]))
				strvec_push(out, r->extras.v[j]);
	}
	for (size_t i = 0; scan && i < scan->nr_dists; i++) {
		const struct dist *d = &scan->dists[i];
		for (size_t j = 0; j < d->requires_dist.nr; j++) {
			struct pep508_req req = {0};
			_cleanup_free_ char *err = NULL;
			if (pep508_parse(d->requires_dist.v[j], &req, &err) < 0)
				continue; /* reported by cooldown_specifiers */
			_cleanup_free_ char *n = pep503_normalise(req.name);
			_cleanup_free_ char *merr = NULL;
			if (!strcmp(n, dist) && req.extras.nr &&
			    marker_applies(req.marker, env, NULL, &merr) == 1) {
				for (size_t k = 0; k < req.extras.nr; k++) {
					_cleanup_free_ char *x =
						pep503_normalise(req.extras.v[k]);
					if (!strvec_contains(out, x))
						strvec_push(out, x);
				}
			}
			pep508_req_clear(&req);
		}
	}
}

void cooldown_specifiers(const char *normalised, const struct input *in,
			 const struct scan_result *scan,
			 const struct marker_env *env, struct strvec *out,
			 struct strvec *problems)
{
	for (size_t i = 0; in && i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		if (!r->normalised || strcmp(r->normalised, normalised) ||
		    !r->specifier || !*r->specifier)
			continue;
		_cleanup_free_ char *err = NULL;
		int applies = marker_applies(r->marker, env, NULL, &err);
		if (applies < 0)
			strvec_pushf(problems, "%s:%d: marker '%s': %s",
				     r->file ? r->file : "input", r->line,
				     r->marker, err ? err : "malformed");
		else if (applies)
			strvec_push(out, r->specifier);
	}
	for (size_t i = 0; scan && i < scan->nr_dists; i++) {
		const struct dist *d = &scan->dists[i];
		if (d->normalised && !strcmp(d->normalised, normalised))
			continue;
		_cleanup_strvec_ struct strvec extras = STRVEC_INIT;
		bool have_extras = false;
		for (size_t j = 0; j < d->requires_dist.nr; j++) {
			const char *line = d->requires_dist.v[j];
			struct pep508_req req = {0};
			_cleanup_free_ char *err = NULL;
			if (pep508_parse(line, &req, &err) < 0) {
				strvec_pushf(problems, "%s: Requires-Dist '%s': %s",
					     d->name ? d->name : "?", line,
					     err ? err : "malformed");
				continue;
			}
			_cleanup_free_ char *n = pep503_normalise(req.name);
			if (strcmp(n, normalised) || !req.specifier ||
			    !*req.specifier) {
				pep508_req_clear(&req);
				continue;
			}
			if (!have_extras && d->normalised) {
				requested_extras(d->normalised, in, scan, env,
						 &extras);
				have_extras = true;
			}
			int applies = marker_applies(req.marker, env, &extras,
						     &err);
			if (applies < 0)
				strvec_pushf(problems,
					     "%s: Requires-Dist '%s': %s",
					     d->name ? d->name : "?", line,
					     err ? err : "malformed marker");
			else if (applies)
				strvec_push(out, req.specifier);
			pep508_req_clear(&req);
		}
	}
}

/* ---- the next suitable release ---- */

static bool admits_python(const struct pypi_release *r,
			  const struct pep440_version *py)
{
	for (size_t i = 0; i < r->nr_files; i++) {
		const struct release_file *f = &r->files[i];
		if (f->yanked)
			continue;
		if (!f->requires_python || !*f->requires_python)
			return true;
		_cleanup_free_ char *err = NULL;
		struct pep440_specset *ss =
			pep440_specset_parse(f->requires_python, &err);
		if (!ss)
			return true; /* pip ignores an invalid Requires-Python */
		bool ok = pep440_specset_contains(ss, py, true);
		pep440_specset_free(ss);
		if (ok)
			return true;
	}
	return false;
}

static bool uploads_settled(const struct pypi_release *r,
			    const struct cooldown_policy *pol)
{
	for (size_t i = 0; i < r->nr_files; i++) {
		const struct release_file *f = &r->files[i];
		if (!f->upload_time || f->upload_epoch < 0)
			return false;
		if (f->upload_epoch > pol->cutoff &&
		    (pol->allowed_until < 0 || f->upload_epoch > pol->allowed_until))
			return false;
	}
	return true;
}

static bool all_yanked(const struct pypi_release *r)
{
	for (size_t i = 0; i < r->nr_files; i++)
		if (!r->files[i].yanked)
			return false;
	return true;
}

char *cooldown_suggest(const struct pypi_project *proj,
		       const struct cooldown_policy *pol, char **err)
{
	const char *spec = pol->specifier ? pol->specifier : "";
	char *perr = NULL;
	struct pep440_specset *ss = pep440_specset_parse(spec, &perr);
	if (!ss) {
		*err = xasprintf("specifier '%s': %s", spec,
				 perr ? perr : "malformed");
		free(perr);
		return NULL;
	}
	struct pep440_version *py =
		pol->python_version ? pep440_parse(pol->python_version) : NULL;
	struct pep440_version *best = NULL;
	const char *best_text = NULL;

	for (size_t i = 0; i < proj->nr_releases; i++) {
		const struct pypi_release *r = &proj->releases[i];
		if (!r->nr_files || all_yanked(r))
			continue;
		struct pep440_version *v = pep440_parse(r->version);
		if (!v)
			continue; /* not PEP 440: cannot be ordered (pip skips it too) */
		/* Pre-releases: only with --pre or a clause naming one (the
		 * empty set names none). */
		bool ok = pep440_specset_contains(ss, v, pol->allow_pre);
		if (ok && py && !admits_python(r, py))
			ok = false;
		if (ok && !uploads_settled(r, pol))
			ok = false;
		if (ok && (!best || pep440_compare(v, best) > 0)) {
			pep440_free(best);
			best = v;
			best_text = r->version;
		} else {
			pep440_free(v);
		}
	}
	pep440_free(best);
	pep440_free(py);
	pep440_specset_free(ss);
	return best_text ? xstrdup(best_text) : NULL;
}
