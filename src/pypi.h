/*
 * pypi.h - client of the PyPI JSON API (https://docs.pypi.org/api/json/):
 * concurrent HTTP requests with libcurl's multi interface, and parsing of
 * the answers (untrusted input) with jansson.
 *
 *   GET <api>/<name>/<version>/json   one release: info, urls, vulnerabilities
 *   GET <api>/<name>/json             the project: info, releases
 *
 * Transport: one multi handle, so connections are reused and HTTP/2 streams
 * multiplexed where the server offers it; at most cfg->jobs transfers at
 * once; per attempt a connect and a total timeout; timeouts, connection
 * failures, 429 (honouring Retry-After) and 5xx are retried at most
 * cfg->max_retries times with exponential backoff and jitter; 404 means
 * "not on this index". Bodies above cfg->max_body are refused. Redirects
 * (301, 302, 303, 307, 308; at most 5) are followed only to the same
 * scheme, host and port as the request's URL; one elsewhere fails the
 * request ("redirect to another origin refused").
 */
#ifndef PIPCANARY_PYPI_H
#define PIPCANARY_PYPI_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>

struct pypi_config {
	long jobs;               /* transfers at once, >= 1 */
	long connect_timeout_ms; /* per attempt */
	long timeout_ms;         /* per attempt, whole transfer */
	size_t max_body;         /* bytes; larger answers fail */
	int max_retries;         /* retries after the first attempt */
	long backoff_ms;         /* delay before the first retry (doubles) */
	long max_delay_ms;       /* cap of a backoff or Retry-After delay */
};

/*
 * Fills *cfg with the defaults: 16 jobs, connect 10 s, total 60 s, 64 MiB,
 * 3 retries, 250 ms backoff, 30 s cap. The environment variable
 * PIPCANARY_HTTP_TIMEOUT (whole seconds, 1..3600) overrides the total
 * timeout and caps the connect timeout (tests of stalled servers use it).
 */
void pypi_config_default(struct pypi_config *cfg);

enum pypi_outcome {
	PYPI_PENDING = 0,
	PYPI_OK,        /* 2xx; body holds the answer */
	PYPI_NOT_FOUND, /* 404 */
	PYPI_FAILED,    /* see error */
};

/* One GET. The caller sets url (and data); pypi_fetch() fills the rest. */
struct pypi_request {
	char *url;                 /* owned; freed by pypi_request_clear() */
	void *data;                /* the caller's, untouched */
	enum pypi_outcome outcome;
	long status;               /* HTTP status of the last attempt; 0: none */
	int attempts;
	bool got_response;         /* some attempt received an HTTP answer */
	bool transport_failed;     /* PYPI_FAILED without a whole HTTP answer:
				      connect failure, timeout, reset */
	struct strbuf body;        /* PYPI_OK: the body (the callback may release it) */
	char *error;               /* PYPI_FAILED: one line, e.g. "HTTP 503 (4 attempts)" */
};

void pypi_request_clear(struct pypi_request *r);

/* Called once per request as soon as it has finished (any outcome). */
typedef void (*pypi_done_fn)(struct pypi_request *req, void *ctx);

/*
 * Runs the n requests, at most cfg->jobs at once, and calls done(req, ctx)
 * (may be NULL) for each as it finishes, in completion order. Returns 0, or
 * -1 with *err set (caller frees) when libcurl could not be set up at all
 * (no request was made then).
 */
int pypi_fetch(const struct pypi_config *cfg, struct pypi_request *reqs,
	       size_t n, pypi_done_fn done, void *ctx, char **err);

/* "<api>/<name>/<version>/json" and "<api>/<name>/json", path parts
 * percent-encoded, no doubled '/'. Caller frees. */
char *pypi_release_url(const char *api_url, const char *name,
		       const char *version);
char *pypi_project_url(const char *api_url, const char *name);

/* ---- parsing (the body is untrusted: every shape is checked) ---- */

/* One release of a project, from the "releases" map. */
struct pypi_release {
	char *version;               /* as the API spells it */
	struct release_file *files;
	size_t nr_files;
};

struct pypi_project {
	char *name;                  /* info.name */
	struct pypi_release *releases; /* in the API's order */
	size_t nr_releases;
};

void pypi_project_clear(struct pypi_project *p);

/*
 * Parses a per-release answer (GET <api>/<name>/<version>/json) into
 * d->display_name (info.name), d->files (urls[]) and d->vulns (every
 * advisory of "vulnerabilities", in the API's order, withdrawn ones
 * included: the caller filters). Returns 0, or -1 with *err set to one line
 * naming the field (caller frees); d's fields are then unchanged.
 * Checked, as the text reaches reports and the lock: info.name is a valid
 * project name (PEP 508 §Names) and, when d->normalised is set, normalises
 * to it (PEP 503); an advisory's id and aliases are 1..128 printable ASCII
 * characters without space; each fixed_in is a PEP 440 version; no string
 * holds "\u0000". An upload time that is not a timestamp or is before 1970
 * is no error: the file gets upload_invalid, upload_time NULL and
 * upload_epoch -1 (unknown, so too recent for the cool-down).
 */
int pypi_parse_release(const char *body, size_t len, struct dist_audit *d,
		       char **err);

/*
 * Parses a project answer (GET <api>/<name>/json): info.name and the
 * "releases" map with each release's files. Returns 0, or -1 with *err set
 * (caller frees) and *p empty. info.name must be a valid project name and,
 * when asked is not NULL, normalise to the same as asked (PEP 503); files
 * as in pypi_parse_release(). pypi_parse_project() is asked == NULL.
 */
int pypi_parse_project_of(const char *body, size_t len, const char *asked,
			  struct pypi_project *p, char **err);
int pypi_parse_project(const char *body, size_t len, struct pypi_project *p,
		       char **err);

/*
 * True when the advisory is withdrawn as of now: "withdrawn" holds a
 * timestamp (RFC 3339, parse_timestamp) that is not in the future. An
 * unparsable value is NOT withdrawn: bad data never hides an advisory (a
 * hostile or broken API could otherwise silence any of them).
 */
bool advisory_withdrawn(const struct advisory *a, time_t now);

/* True when id is the advisory's id or one of its aliases. */
bool advisory_matches(const struct advisory *a, const char *id);

#endif
