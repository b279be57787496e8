/*
 * audit.c - vulnerabilities and cool-down of every installed release: see
 * audit.h. Three rounds of concurrent requests (pypi.h):
 *   1. GET <api>/<name>/<version>/json of every installed distribution;
 *   2. GET <api>/<name>/json of each release that is too recent (cool-down);
 *   3. GET <api>/<name>/<suggestion>/json of each suggested release.
 * Each answer is parsed as soon as it arrives and its body released, so
 * memory stays at about --jobs bodies.
 */
#include "audit.h"
#include "progress.h"
#include "cooldown.h"
#include "pep508.h"
#include "pypi.h"

#include <string.h>

/* Drops withdrawn advisories; moves ignored ones (--ignore-vuln, id or
 * alias) into *ignored when it is not NULL. Keeps the API's order. */
static void filter_advisories(struct advisory *vulns, size_t *nr,
			      const struct options *opts,
			      struct strvec *ignored)
{
	size_t kept = 0;
	for (size_t i = 0; i < *nr; i++) {
		struct advisory *a = &vulns[i];
		bool drop = advisory_withdrawn(a, opts->now);
		for (size_t j = 0; !drop && j < opts->ignore_vulns.nr; j++) {
			if (advisory_matches(a, opts->ignore_vulns.v[j])) {
				drop = true;
				if (ignored && !strvec_contains(ignored, a->id))
					strvec_push(ignored, a->id);
			}
		}
		if (drop) {
			advisory_clear(a);
			continue;
		}
		if (kept != i) {
			vulns[kept] = *a;
			memset(a, 0, sizeof(*a));
		}
		kept++;
	}
	*nr = kept;
}

struct ctx {
	const struct options *opts;
	const struct input *in;
	const struct scan_result *scan;
	struct audit_result *res;
	const struct marker_env *env;
	/* Progress of the current round (progress.h). */
	pypi_done_fn inner;
	size_t finished, total;
};

/* The error text of a request that did not give a usable answer. */
static char *request_error(const struct pypi_request *r)
{
	return xasprintf("GET %s: %s", r->url,
			 r->error ? r->error : "no answer");
}

/* Round 1: one installed release. */
static void on_release(struct pypi_request *r, void *data)
{
	struct ctx *c = data;
	struct dist_audit *d = r->data;
	if (r->outcome == PYPI_NOT_FOUND) {
		d->status = AUDIT_NOT_FOUND;
		return;
	}
	if (r->outcome != PYPI_OK) {
		d->status = AUDIT_ERROR;
		d->error = request_error(r);
		return;
	}
	char *err = NULL;
	if (pypi_parse_release(r->body.buf, r->body.len, d, &err) < 0) {
		d->status = AUDIT_ERROR;
		d->error = xasprintf("GET %s: %s", r->url, err);
		free(err);
	} else {
		d->status = AUDIT_OK;
		filter_advisories(d->vulns, &d->nr_vulns, c->opts, &d->ignored);
	}
	strbuf_release(&r->body);
}

static time_t allowance_of(const struct options *opts, const char *normalised)
{
	time_t until = -1;
	for (size_t i = 0; i < opts->nr_allowances; i++)
		if (!strcmp(opts->allowances[i].normalised, normalised) &&
		    opts->allowances[i].until > until)
			until = opts->allowances[i].until;
	return until;
}

/* Round 2: the project's releases -> the next suitable release. */
static void on_project(struct pypi_request *r, void *data)
{
	struct ctx *c = data;
	struct dist_audit *d = r->data;
	struct cooldown *cd = &d->cooldown;
	if (r->outcome != PYPI_OK) {
		cd->error = r->outcome == PYPI_NOT_FOUND
				    ? xasprintf("GET %s: not on this index", r->url)
				    : request_error(r);
		return;
	}
	struct pypi_project proj;
	char *err = NULL;
	if (pypi_parse_project_of(r->body.buf, r->body.len, d->normalised,
				  &proj, &err) < 0) {
		cd->error = xasprintf("GET %s: %s", r->url, err);
		free(err);
		strbuf_release(&r->body);
		return;
	}
	strbuf_release(&r->body);

	_cleanup_strvec_ struct strvec specs = STRVEC_INIT;
	_cleanup_strvec_ struct strvec problems = STRVEC_INIT;
	cooldown_specifiers(d->normalised, c->in, c->scan, c->env, &specs,
			    &problems);
	for (size_t i = 0; i < problems.nr; i++)
		warnx("cool-down of %s: %s (ignored)", d->display_name,
		      problems.v[i]);
	_cleanup_free_ char *joined = strvec_join(&specs, ",");
	struct cooldown_policy pol = {
		.specifier = joined,
		.allow_pre = c->in && c->in->pre,
		.python_version = c->scan ? c->scan->python_version : NULL,
		.cutoff = c->opts->now - (time_t)c->opts->cool_down_days * 86400,
		.allowed_until = allowance_of(c->opts, d->normalised),
	};
	err = NULL;
	cd->suggestion = cooldown_suggest(&proj, &pol, &err);
	if (err) {
		cd->error = xasprintf("requirements on %s: %s", d->display_name,
				      err);
		free(err);
	}
	pypi_project_clear(&proj);
}

/* Round 3: the suggested release's own advisories. */
static void on_suggestion(struct pypi_request *r, void *data)
{
	struct ctx *c = data;
	struct dist_audit *d = r->data;
	struct cooldown *cd = &d->cooldown;
	if (r->outcome != PYPI_OK) {
		cd->error = r->outcome == PYPI_NOT_FOUND
				    ? xasprintf("GET %s: not on this index", r->url)
				    : request_error(r);
		free(cd->suggestion);
		cd->suggestion = NULL;
		return;
	}
	/* normalised: the answer must be about d's project (info.name). */
	struct dist_audit tmp = {.normalised = xstrdup(d->normalised)};
	char *err = NULL;
	if (pypi_parse_release(r->body.buf, r->body.len, &tmp, &err) < 0) {
		cd->error = xasprintf("GET %s: %s", r->url, err);
		free(err);
		free(cd->suggestion);
		cd->suggestion = NULL;
	} else {
		filter_advisories(tmp.vulns, &tmp.nr_vulns, c->opts, NULL);
		cd->suggestion_vulns = steal_pointer(&tmp.vulns);
		cd->nr_suggestion_vulns = tmp.nr_vulns;
		tmp.nr_vulns = 0;
	}
	dist_audit_clear(&tmp);
	strbuf_release(&r->body);
}

static void config_for(const struct options *opts, struct pypi_config *cfg)
{
	pypi_config_default(cfg);
	if (opts->jobs > 0)
		cfg->jobs = opts->jobs;
}

/* Counts finished requests for the status line, then hands on. */
static void counted_done(struct pypi_request *req, void *data)
{
	struct ctx *c = data;
	c->finished++;
	progress_set("auditing: %zu/%zu JSON API requests done", c->finished,
		     c->total);
	if (c->inner)
		c->inner(req, data);
}

/* Runs reqs; returns -1 with *err only when libcurl failed to set up. */
static int run_round(const struct options *opts, struct pypi_request *reqs,
		     size_t n, pypi_done_fn done, struct ctx *c, char **err)
{
	struct pypi_config cfg;
	config_for(opts, &cfg);
	c->inner = done;
	c->finished = 0;
	c->total = n;
	return pypi_fetch(&cfg, reqs, n, counted_done, c, err);
}

static void clear_requests(struct pypi_request *reqs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pypi_request_clear(&reqs[i]);
	free(reqs);
}

int audit_run(const struct options *opts, const struct input *in,
	      const struct scan_result *scan, struct audit_result *res)
{
	double t0 = now_monotonic();
	size_t n = scan ? scan->nr_dists : 0;
	res->nr = n;
	res->items = n ? xcalloc(n, sizeof(*res->items)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct dist *src = &scan->dists[i];
		struct dist_audit *d = &res->items[i];
		d->normalised = xstrdup(src->normalised ? src->normalised
							: src->name);
		d->display_name = xstrdup(src->name ? src->name : src->normalised);
		d->version = xstrdup(src->version);
		d->status = AUDIT_ERROR;
		if (!d->normalised || !d->version)
			d->error = xstrdup("pip reported no name or version: "
					   "nothing to ask the JSON API");
	}
	if (!n)
		return 0;

	struct marker_env env;
	marker_env_host(&env, scan->python_version);
	struct ctx c = {.opts = opts, .in = in, .scan = scan, .res = res,
			 .env = &env};
	char *err = NULL;

	/* Round 1: every installed release. */
	struct pypi_request *reqs = xcalloc(n, sizeof(*reqs));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct dist_audit *d = &res->items[i];
		if (d->error)
			continue;
		reqs[m].url = pypi_release_url(opts->api_url, d->normalised,
					       d->version);
		reqs[m].data = d;
		m++;
	}
	if (!m) {
		free(reqs);
		res->seconds = now_monotonic() - t0;
		return 0;
	}
	if (run_round(opts, reqs, m, on_release, &c, &err) < 0) {
		res->unreachable = xasprintf("cannot reach %s: %s",
					     opts->api_url, err);
		free(err);
		clear_requests(reqs, m);
		res->seconds = now_monotonic() - t0;
		return -1;
	}
	bool any_answer = false;
	for (size_t i = 0; i < m; i++)
		any_answer |= !reqs[i].transport_failed;
	if (!any_answer) {
		/* Not one whole HTTP answer (refused, reset, timed out every
		 * time): the API is down, not the packages bad. */
		res->unreachable = xasprintf("cannot reach %s: %s",
					     opts->api_url,
					     reqs[0].error ? reqs[0].error
							   : "no answer");
		clear_requests(reqs, m);
		res->seconds = now_monotonic() - t0;
		return -1;
	}
	clear_requests(reqs, m);

	/* Round 2: cool-down of each release read. */
	reqs = xcalloc(n, sizeof(*reqs));
	m = 0;
	for (size_t i = 0; i < n; i++) {
		struct dist_audit *d = &res->items[i];
		if (d->status != AUDIT_OK)
			continue;
		cooldown_evaluate(d->normalised, d->files, d->nr_files, opts,
				  &d->cooldown);
		if (!d->cooldown.too_recent || d->cooldown.allowed)
			continue;
		reqs[m].url = pypi_project_url(opts->api_url, d->normalised);
		reqs[m].data = d;
		m++;
	}
	if (m && run_round(opts, reqs, m, on_project, &c, &err) < 0) {
		for (size_t i = 0; i < m; i++) {
			struct dist_audit *d = reqs[i].data;
			d->cooldown.error = xstrdup(err);
		}
		free(err);
		err = NULL;
	}
	clear_requests(reqs, m);

	/* Round 3: advisories of each suggestion. */
	reqs = xcalloc(n, sizeof(*reqs));
	m = 0;
	for (size_t i = 0; i < n; i++) {
		struct dist_audit *d = &res->items[i];
		if (!d->cooldown.suggestion)
			continue;
		reqs[m].url = pypi_release_url(opts->api_url, d->normalised,
					       d->cooldown.suggestion);
		reqs[m].data = d;
		m++;
	}
	if (m && run_round(opts, reqs, m, on_suggestion, &c, &err) < 0) {
		for (size_t i = 0; i < m; i++) {
			struct dist_audit *d = reqs[i].data;
			d->cooldown.error = xstrdup(err);
			free(d->cooldown.suggestion);
			d->cooldown.suggestion = NULL;
		}
		free(err);
	}
	clear_requests(reqs, m);
	res->seconds = now_monotonic() - t0;
	return 0;
}
