/*
 * lockfile.c - the hash-locked requirements file (lockfile.h has the
 * format). pip's requirements file syntax: options after the requirement on
 * the same logical line, '\' continuations, '#' comments.
 */
#include "lockfile.h"
#include "report.h"
#include "version.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* One entry of the lock, before it is printed. */
struct entry {
	const struct dist *dist;
	const struct requirement *req; /* first requested line, or NULL */
	const char *name;              /* as it appears in the lock */
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return strcmp(x->dist->normalised, y->dist->normalised);
}

/* "git+https://..." and friends: pip cannot hash a repository. */
static bool is_vcs_url(const char *url)
{
	static const char *const schemes[] = {"git+", "hg+", "svn+", "bzr+"};
	for (size_t i = 0; i < ARRAY_SIZE(schemes); i++)
		if (str_starts_with(url, schemes[i]))
			return true;
	return false;
}

/*
 * The marker for the lock line of `normalised`: the requested lines'
 * markers joined with " or " (each in parentheses when there are several),
 * NULL when one of them has none (that line applies everywhere).
 */
static char *joined_marker(const struct input *in, const char *normalised)
{
	struct strvec markers = STRVEC_INIT;
	for (size_t i = 0; i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		if (r->constraint || strcmp(r->normalised, normalised))
			continue;
		if (!r->marker || !*r->marker) {
			strvec_clear(&markers);
			return NULL;
		}
		if (!strvec_contains(&markers, r->marker))
			strvec_push(&markers, r->marker);
	}
	char *m = NULL;
	if (markers.nr == 1) {
		m = xstrdup(markers.v[0]);
	} else if (markers.nr > 1) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < markers.nr; i++)
			strbuf_addf(&sb, "%s(%s)", i ? " or " : "",
				    markers.v[i]);
		m = strbuf_detach(&sb);
	}
	strvec_clear(&markers);
	return m;
}

/* The audit of this release (same order as the scan, but match by name and
 * version rather than trust the order). Borrowed; NULL when absent. */
static const struct dist_audit *find_audit(const struct audit_result *audit,
					   const struct dist *d)
{
	if (!audit)
		return NULL;
	for (size_t i = 0; i < audit->nr; i++) {
		const struct dist_audit *a = &audit->items[i];
		if (a->normalised && a->version &&
		    !strcmp(a->normalised, d->normalised) &&
		    !strcmp(a->version, d->version))
			return a;
	}
	return NULL;
}

/* The lock name of a normalised name (for "# via"). */
static const char *entry_name(const struct entry *e, size_t n,
			      const char *normalised)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].dist->normalised, normalised))
			return e[i].name;
	return normalised;
}

/*
 * Collects the hashes of one entry into *hashes (lower-case hex).
 * Returns 0, or -1 with *error set. *note gets a header note (owned) when
 * the release is not on the JSON API.
 */
static int entry_hashes(const struct entry *e, const struct options *opts,
			const struct audit_result *audit,
			struct strvec *hashes, char **note, char **error)
{
	const struct dist *d = e->dist;
	if (!str_is_sha256_hex(d->sha256)) {
		*error = xasprintf(
			"%s %s: the sha256 of the scanned artifact %s is %s, "
			"so it cannot be locked",
			d->name ? d->name : d->normalised, d->version,
			d->url ? d->url : "(unknown URL)",
			d->sha256 ? "not a sha256 digest" : "unknown");
		return -1;
	}
	_cleanup_free_ char *scanned = xstrdup_lower(d->sha256);
	bool direct = e->req && e->req->url;
	if (direct && is_vcs_url(e->req->url)) {
		*error = xasprintf("%s @ %s: a version control URL cannot be "
				   "locked with hashes (pip cannot hash a "
				   "repository); pin a release or an archive URL",
				   e->name, e->req->url);
		return -1;
	}
	if (opts->lock_hashes == LOCK_HASHES_SCANNED || !audit || direct) {
		strvec_push(hashes, scanned);
		return 0;
	}
	const struct dist_audit *a = find_audit(audit, d);
	if (a && a->status == AUDIT_NOT_FOUND) {
		*note = xasprintf("%s %s is not on the JSON API: only the hash "
				  "of the scanned artifact is listed.",
				  e->name, d->version);
		strvec_push(hashes, scanned);
		return 0;
	}
	if (!a || a->status != AUDIT_OK) {
		*error = xasprintf(
			"%s %s: no list of the release's files from the JSON "
			"API (%s), so its hashes cannot be checked; use "
			"--lock-hashes scanned to lock the scanned artifact only",
			e->name, d->version,
			!a ? "no answer" : a->error ? a->error : "error");
		return -1;
	}
	for (size_t i = 0; i < a->nr_files; i++) {
		const char *h = a->files[i].sha256;
		if (!h)
			continue;
		if (!str_is_sha256_hex(h)) {
			*error = xasprintf("%s %s: the JSON API lists '%s' for "
					   "%s, which is not a sha256 digest",
					   e->name, d->version, h,
					   a->files[i].filename
						   ? a->files[i].filename
						   : "a file");
			return -1;
		}
		_cleanup_free_ char *lh = xstrdup_lower(h);
		if (!strvec_contains(hashes, lh))
			strvec_push(hashes, lh);
	}
	if (!strvec_contains(hashes, scanned)) {
		*error = xasprintf(
			"%s %s: the scanned artifact %s has sha256 %s, which the "
			"JSON API does not list for that release: the index "
			"served a file that the API does not know",
			e->name, d->version, d->url ? d->url : "(unknown URL)",
			scanned);
		return -1;
	}
	return 0;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void add_header(struct strbuf *out, const struct options *opts,
		       const struct input *in, const struct scan_result *scan,
		       const struct audit_result *audit,
		       const struct strvec *notes)
{
	const struct strvec *files =
		in->files.nr ? &in->files : &opts->req_files;
	_cleanup_free_ char *inputs = strvec_join(files, ", ");
	bool all = opts->lock_hashes == LOCK_HASHES_ALL && audit;

	strbuf_addstr(out, "#\n");
	/* Data is added with report_add_printable(): a control character
	 * (a newline above all) from a file name, pip or the JSON API must
	 * not start a line of its own, which pip would read as an option or
	 * a requirement. */
	strbuf_addf(out, "# This file was generated by pipcanary %s from ",
		    PIPCANARY_VERSION);
	report_add_printable(out, files->nr ? inputs : "(no input file)");
	strbuf_addstr(out, ".\n");
	if (opts->no_scan)
		strbuf_addstr(out, "# The dependency set was resolved in the "
				   "sandbox but not installed or imported "
				   "(--no-scan).\n");
	else
		strbuf_addstr(out, "# Every distribution below was installed "
				   "and imported in the sandbox with no\n"
				   "# suspicious behaviour found.\n");
	strbuf_addstr(out, "# Python ");
	report_add_printable(out, scan->python_version ? scan->python_version
						       : "(unknown)");
	strbuf_addstr(out, " on ");
	report_add_printable(out, scan->platform ? scan->platform
						 : "(unknown platform)");
	strbuf_addstr(out, ".\n");
	if (all)
		strbuf_addstr(out, "# Hashes: every file of each release on "
				   "the JSON API (--lock-hashes all).\n");
	else
		strbuf_addstr(out, "# Hashes: the scanned artifact only.\n");
	strbuf_addstr(out, "# Install with:\n"
			   "#    pip install --require-hashes --no-deps -r ");
	report_add_printable(out, opts->lock_file ? basename_of(opts->lock_file)
						  : "THIS_FILE");
	strbuf_addch(out, '\n');
	strbuf_addstr(out, "#\n");

	/* The audit's warnings, repeated (--lock-on-warnings write). */
	bool warned = false;
	for (size_t i = 0; audit && i < audit->nr; i++) {
		const struct dist_audit *a = &audit->items[i];
		if (a->nr_vulns) {
			if (!warned)
				strbuf_addstr(out, "# Warnings of the audit:\n");
			warned = true;
			strbuf_addstr(out, "#   ");
			report_add_vuln_line(out, a);
			strbuf_addch(out, '\n');
		}
	}
	for (size_t i = 0; audit && i < audit->nr; i++) {
		const struct dist_audit *a = &audit->items[i];
		if (report_cooldown_warns(a)) {
			if (!warned)
				strbuf_addstr(out, "# Warnings of the audit:\n");
			warned = true;
			strbuf_addstr(out, "#   ");
			report_add_cooldown_line(out, a);
			strbuf_addch(out, '\n');
		}
	}
	for (size_t i = 0; i < notes->nr; i++) {
		if (!warned)
			strbuf_addstr(out, "# Warnings of the audit:\n");
		warned = true;
		strbuf_addstr(out, "#   ");
		report_add_printable(out, notes->v[i]);
		strbuf_addch(out, '\n');
	}
	if (warned)
		strbuf_addstr(out, "#\n");
}

int lockfile_render(struct strbuf *out, const struct options *opts,
		    const struct input *in, const struct scan_result *scan,
		    const struct audit_result *audit, char **error)
{
	*error = NULL;
	size_t n = scan->nr_dists;
	struct entry *e = xcalloc(n ? n : 1, sizeof(*e));
	for (size_t i = 0; i < n; i++) {
		const struct dist *d = &scan->dists[i];
		if (!d->normalised || !d->version) {
			*error = xasprintf("distribution %zu of the scan (%s) has "
					   "no %s",
					   i + 1, d->name ? d->name : "no name",
					   d->normalised ? "version" : "name");
			free(e);
			return -1;
		}
		e[i].dist = d;
		e[i].req = input_find(in, d->normalised);
		e[i].name = e[i].req ? e[i].req->name : d->normalised;
	}
	qsort(e, n, sizeof(*e), cmp_entry);

	struct strbuf body = STRBUF_INIT;
	struct strvec notes = STRVEC_INIT;
	struct strvec hashes = STRVEC_INIT;
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dist *d = e[i].dist;
		char *note = NULL;
		strvec_clear(&hashes);
		if (entry_hashes(&e[i], opts, audit, &hashes, &note, error) < 0) {
			ret = -1;
			break;
		}
		if (note)
			strvec_push_nodup(&notes, note);
		report_add_printable(&body, e[i].name);
		if (e[i].req && e[i].req->url) {
			strbuf_addstr(&body, " @ ");
			report_add_printable(&body, e[i].req->url);
		} else {
			strbuf_addstr(&body, "==");
			report_add_printable(&body, d->version);
		}
		_cleanup_free_ char *marker = joined_marker(in, d->normalised);
		/* pip-compile's spacing: "name==1.0 ; marker". */
		if (marker) {
			strbuf_addstr(&body, " ; ");
			report_add_printable(&body, marker);
		}
		for (size_t h = 0; h < hashes.nr; h++)
			strbuf_addf(&body, " \\\n   --hash=sha256:%s",
				    hashes.v[h]);
		strbuf_addch(&body, '\n');
		bool requested = e[i].req || d->requested;
		if (!requested && d->required_by.nr) {
			strbuf_addstr(&body, "   # via ");
			for (size_t k = 0; k < d->required_by.nr; k++) {
				strbuf_addstr(&body, k ? ", " : "");
				report_add_printable(&body,
						     entry_name(e, n,
								d->required_by.v[k]));
			}
			strbuf_addch(&body, '\n');
		}
	}
	if (ret == 0) {
		add_header(out, opts, in, scan, audit, &notes);
		strbuf_add(out, body.buf, body.len);
	}
	strvec_clear(&hashes);
	strvec_clear(&notes);
	strbuf_release(&body);
	free(e);
	return ret;
}

int lockfile_write(const struct options *opts, const struct input *in,
		   const struct scan_result *scan,
		   const struct audit_result *audit)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	_cleanup_free_ char *error = NULL;
	if (!opts->lock_file) {
		warnx("lock file: no file name given (-l FILE)");
		return -1;
	}
	if (lockfile_render(&out, opts, in, scan, audit, &error) < 0) {
		warnx("lock file %s not written: %s", opts->lock_file, error);
		return -1;
	}
	/* Like any file the user creates: 0666 less the umask. */
	mode_t mask = umask(0);
	umask(mask);
	if (write_file_atomic(opts->lock_file, out.buf, out.len,
			      (int)(0666 & ~mask)) < 0) {
		warnx("lock file %s not written: %s", opts->lock_file,
		      strerror(errno));
		return -1;
	}
	return 0;
}
