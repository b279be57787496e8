/* model.c - constructors and destructors of the shared data (model.h). */
#include "model.h"

#include <string.h>

void requirement_clear(struct requirement *r)
{
	free(r->name);
	free(r->normalised);
	strvec_clear(&r->extras);
	free(r->specifier);
	free(r->marker);
	free(r->url);
	strvec_clear(&r->hashes);
	free(r->text);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

void input_clear(struct input *in)
{
	for (size_t i = 0; i < in->nr; i++)
		requirement_clear(&in->reqs[i]);
	free(in->reqs);
	strvec_clear(&in->pip_options);
	strvec_clear(&in->files);
	memset(in, 0, sizeof(*in));
}

const struct requirement *input_find(const struct input *in,
				     const char *normalised)
{
	for (size_t i = 0; i < in->nr; i++)
		if (!in->reqs[i].constraint &&
		    !strcmp(in->reqs[i].normalised, normalised))
			return &in->reqs[i];
	return NULL;
}

static const char *const severity_names[] = {
	[SEV_NOTE] = "note",     [SEV_LOW] = "low",   [SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",     [SEV_CRITICAL] = "critical",
};

const char *severity_name(enum severity s)
{
	if ((size_t)s < ARRAY_SIZE(severity_names))
		return severity_names[s];
	return "unknown";
}

bool severity_parse(const char *s, enum severity *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(severity_names); i++)
		if (!strcmp(s, severity_names[i])) {
			*out = (enum severity)i;
			return true;
		}
	return false;
}

void finding_clear(struct finding *f)
{
	free(f->rule_id);
	free(f->category);
	free(f->description);
	free(f->explanation);
	free(f->shown_path);
	free(f->path);
	free(f->syscall);
	free(f->package);
	free(f->phase);
	free(f->argv);
	memset(f, 0, sizeof(*f));
}

void dist_clear(struct dist *d)
{
	free(d->name);
	free(d->normalised);
	free(d->version);
	free(d->url);
	free(d->sha256);
	strvec_clear(&d->requires_dist);
	strvec_clear(&d->required_by);
	memset(d, 0, sizeof(*d));
}

void scan_result_clear(struct scan_result *r)
{
	for (size_t i = 0; i < r->nr_dists; i++)
		dist_clear(&r->dists[i]);
	free(r->dists);
	for (size_t i = 0; i < r->nr_findings; i++)
		finding_clear(&r->findings[i]);
	free(r->findings);
	for (size_t i = 0; i < r->nr_notes; i++)
		finding_clear(&r->notes[i]);
	free(r->notes);
	strvec_clear(&r->messages);
	free(r->limit_hit);
	free(r->limit_package);
	free(r->python_version);
	free(r->platform);
	memset(r, 0, sizeof(*r));
}

void advisory_clear(struct advisory *a)
{
	free(a->id);
	strvec_clear(&a->aliases);
	strvec_clear(&a->fixed_in);
	free(a->summary);
	free(a->details);
	free(a->link);
	free(a->withdrawn);
	memset(a, 0, sizeof(*a));
}

void release_file_clear(struct release_file *f)
{
	free(f->filename);
	free(f->packagetype);
	free(f->sha256);
	free(f->upload_time);
	free(f->requires_python);
	memset(f, 0, sizeof(*f));
}

static void cooldown_clear(struct cooldown *c)
{
	free(c->newest_upload);
	free(c->suggestion);
	for (size_t i = 0; i < c->nr_suggestion_vulns; i++)
		advisory_clear(&c->suggestion_vulns[i]);
	free(c->suggestion_vulns);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

void dist_audit_clear(struct dist_audit *d)
{
	free(d->normalised);
	free(d->display_name);
	free(d->version);
	free(d->error);
	for (size_t i = 0; i < d->nr_vulns; i++)
		advisory_clear(&d->vulns[i]);
	free(d->vulns);
	strvec_clear(&d->ignored);
	for (size_t i = 0; i < d->nr_files; i++)
		release_file_clear(&d->files[i]);
	free(d->files);
	cooldown_clear(&d->cooldown);
	memset(d, 0, sizeof(*d));
}

void audit_result_clear(struct audit_result *r)
{
	for (size_t i = 0; i < r->nr; i++)
		dist_audit_clear(&r->items[i]);
	free(r->items);
	free(r->unreachable);
	memset(r, 0, sizeof(*r));
}
