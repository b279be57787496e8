/*
 * model_builders.h - hand-built model.h structs for the unit tests of the
 * lock file and the reports (they stand in for the scan and the audit).
 * Everything is owned by the structs: free with input_clear(),
 * scan_result_clear(), audit_result_clear().
 */
#ifndef PIPCANARY_MODEL_BUILDERS_H
#define PIPCANARY_MODEL_BUILDERS_H

#include "model.h"
#include "pep503.h"
#include "util.h"

#include <stdarg.h>
#include <string.h>

/* Adds a requested requirement line; marker may be NULL. */
static inline struct requirement *tb_req(struct input *in, const char *name,
					 const char *spec, const char *marker,
					 const char *file, int line)
{
	GROW(in->reqs, in->alloc, in->nr + 1);
	struct requirement *r = &in->reqs[in->nr++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->normalised = pep503_normalise(name);
	r->specifier = xstrdup(spec);
	r->marker = xstrdup(marker);
	r->text = xasprintf("%s%s%s%s", name, spec ? spec : "",
			    marker ? " ; " : "", marker ? marker : "");
	r->file = xstrdup(file);
	r->line = line;
	return r;
}

/* Adds an installed distribution; required_by is a NULL-ended list of
 * normalised names. */
static inline struct dist *tb_dist(struct scan_result *s, const char *name,
				   const char *version, const char *sha256,
				   bool requested, ...)
{
	GROW(s->dists, s->alloc_dists, s->nr_dists + 1);
	struct dist *d = &s->dists[s->nr_dists++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	d->normalised = pep503_normalise(name);
	d->version = xstrdup(version);
	d->url = xasprintf("http://127.0.0.1/files/%s-%s-py3-none-any.whl",
			   name, version);
	d->sha256 = xstrdup(sha256);
	d->is_wheel = true;
	d->requested = requested;
	va_list ap;
	va_start(ap, requested);
	const char *by;
	while ((by = va_arg(ap, const char *)))
		strvec_push(&d->required_by, by);
	va_end(ap);
	return d;
}

/* Adds the audit of one release with files of the given sha256s
 * (NULL-ended), status AUDIT_OK. */
static inline struct dist_audit *tb_audit(struct audit_result *a,
					  const char *display,
					  const char *version, ...)
{
	a->items = xrealloc(a->items, (a->nr + 1) * sizeof(*a->items));
	struct dist_audit *d = &a->items[a->nr++];
	memset(d, 0, sizeof(*d));
	d->normalised = pep503_normalise(display);
	d->display_name = xstrdup(display);
	d->version = xstrdup(version);
	va_list ap;
	va_start(ap, version);
	const char *h;
	while ((h = va_arg(ap, const char *))) {
		d->files = xrealloc(d->files, (d->nr_files + 1) *
						      sizeof(*d->files));
		struct release_file *f = &d->files[d->nr_files++];
		memset(f, 0, sizeof(*f));
		f->filename = xasprintf("%s-%s-%zu.whl", display, version,
					d->nr_files);
		f->packagetype = xstrdup("bdist_wheel");
		f->sha256 = xstrdup(h);
		f->upload_time = xstrdup("2024-01-01T00:00:00");
	}
	va_end(ap);
	return d;
}

/* Appends an advisory; fixed is a NULL-ended list of versions. */
static inline struct advisory *tb_vuln(struct advisory **v, size_t *n,
				       const char *id, ...)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	struct advisory *x = &(*v)[(*n)++];
	memset(x, 0, sizeof(*x));
	x->id = xstrdup(id);
	va_list ap;
	va_start(ap, id);
	const char *fx;
	while ((fx = va_arg(ap, const char *)))
		strvec_push(&x->fixed_in, fx);
	va_end(ap);
	return x;
}

#endif
