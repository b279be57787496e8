/* pypi.c - PyPI JSON API client: see pypi.h. */
#define _GNU_SOURCE
#include "pypi.h"
#include "options.h"
#include "pep440.h"
#include "pep503.h"
#include "version.h"

#include <curl/curl.h>
#include <jansson.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void pypi_config_default(struct pypi_config *cfg)
{
	cfg->jobs = 16;
	cfg->connect_timeout_ms = 10000;
	cfg->timeout_ms = 60000;
	cfg->max_body = (size_t)64 << 20;
	cfg->max_retries = 3;
	cfg->backoff_ms = 250;
	cfg->max_delay_ms = 30000;
	const char *t = getenv("PIPCANARY_HTTP_TIMEOUT");
	long secs;
	if (t && parse_long(t, 1, 3600, &secs)) {
		cfg->timeout_ms = secs * 1000;
		if (cfg->connect_timeout_ms > cfg->timeout_ms)
			cfg->connect_timeout_ms = cfg->timeout_ms;
	}
}

void pypi_request_clear(struct pypi_request *r)
{
	free(r->url);
	strbuf_release(&r->body);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

/* ---- URLs ---- */

static void add_escaped(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* RFC 3986 unreserved characters stay, and '+' (a sub-delim,
		 * legal in a path segment: PEP 440 local versions "1.0+abc",
		 * as pip writes them); everything else is encoded. */
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~' || *p == '+') {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

static void add_base(struct strbuf *sb, const char *api_url)
{
	strbuf_addstr(sb, api_url);
	while (sb->len && sb->buf[sb->len - 1] == '/')
		strbuf_setlen(sb, sb->len - 1);
}

char *pypi_release_url(const char *api_url, const char *name,
		       const char *version)
{
	struct strbuf sb = STRBUF_INIT;
	add_base(&sb, api_url);
	strbuf_addch(&sb, '/');
	add_escaped(&sb, name);
	strbuf_addch(&sb, '/');
	add_escaped(&sb, version);
	strbuf_addstr(&sb, "/json");
	return strbuf_detach(&sb);
}

char *pypi_project_url(const char *api_url, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	add_base(&sb, api_url);
	strbuf_addch(&sb, '/');
	add_escaped(&sb, name);
	strbuf_addstr(&sb, "/json");
	return strbuf_detach(&sb);
}

/* ---- transport ---- */

enum xstate { X_WAITING, X_ACTIVE, X_DONE };

struct xfer {
	struct pypi_request *req;
	const struct pypi_config *cfg;
	CURL *easy;
	enum xstate state;
	double not_before;          /* monotonic seconds */
	char *location;             /* URL of the next attempt after a redirect
				       (same origin), or NULL: req->url */
	int redirects;
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;
	if (n > x->cfg->max_body || x->req->body.len > x->cfg->max_body - n) {
		x->too_large = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	strbuf_add(&x->req->body, data, n);
	return n;
}

static struct curl_slist *accept_json;

static int global_init(char **err)
{
	static bool done;
	if (done)
		return 0;
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		*err = xasprintf("libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	accept_json = curl_slist_append(NULL, "Accept: application/json");
	done = true;
	return 0;
}

static CURL *make_easy(struct xfer *x)
{
	const struct pypi_config *cfg = x->cfg;
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	x->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL,
			 x->location ? x->location : x->req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)cfg->max_body);
	/* Redirects are followed by classify(), same origin only. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* what curl decodes */
	curl_easy_setopt(e, CURLOPT_USERAGENT, "pipcanary/" PIPCANARY_VERSION);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, accept_json);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* Over TLS, wait for a connection that may multiplex instead of opening
	 * one per request (HTTP/2 is only negotiated there). */
	if (str_starts_with(x->req->url, "https:"))
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	return e;
}

static unsigned long jitter_random(void)
{
	unsigned long r;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (unsigned long)time(NULL) * 2654435761UL;
	return r;
}

/* Exponential backoff with "equal jitter": half fixed, half random. */
static double backoff_seconds(const struct pypi_config *cfg, int attempt)
{
	double base = (double)cfg->backoff_ms / 1000.0;
	for (int i = 1; i < attempt && base < cfg->max_delay_ms / 1000.0; i++)
		base *= 2;
	double max = (double)cfg->max_delay_ms / 1000.0;
	if (base > max)
		base = max;
	return base / 2 + base / 2 * (double)(jitter_random() % 1000) / 1000.0;
}

/* Errors worth another attempt: the network or the server may recover. */
static bool transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

#define MAX_REDIRECTS 5

/* "scheme://host:port" of url (port made explicit), or NULL when libcurl
 * cannot parse it. Caller frees. */
static char *origin_of(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK) {
		out = xasprintf("%s://%s:%s", scheme, host, port);
		for (char *p = out; *p; p++) /* scheme and host: any case */
			*p = (char)tolower((unsigned char)*p);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

static void set_error(struct xfer *x, const char *why)
{
	struct pypi_request *r = x->req;
	free(r->error);
	if (r->attempts > 1)
		r->error = xasprintf("%s (%d attempts)", why, r->attempts);
	else
		r->error = xstrdup(why);
}

/*
 * A 3xx answer: the next attempt goes to Location when it has the same
 * scheme, host and port as the request's URL (a hostile or hijacked API
 * must not send us to another server, e.g. one on the local network).
 * Returns 0 (go now) or -1 with the request failed.
 */
static double redirect(struct xfer *x, long status)
{
	struct pypi_request *r = x->req;
	char *loc = NULL, *want = NULL, *got = NULL;
	char why[256];
	/* Not a new attempt: retries are for failures. */
	r->attempts--;
	if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc) !=
		    CURLE_OK ||
	    !loc) {
		snprintf(why, sizeof(why), "HTTP %ld without a Location", status);
		goto fail;
	}
	want = origin_of(r->url);
	got = origin_of(loc);
	if (!want || !got || strcmp(want, got)) {
		struct strbuf q = STRBUF_INIT;
		strbuf_add_quoted(&q, loc, 120);
		snprintf(why, sizeof(why),
			 "HTTP %ld redirect to another origin refused: %s",
			 status, q.buf);
		strbuf_release(&q);
		goto fail;
	}
	if (x->redirects >= MAX_REDIRECTS) {
		snprintf(why, sizeof(why), "more than %d redirects",
			 MAX_REDIRECTS);
		goto fail;
	}
	x->redirects++;
	free(x->location);
	x->location = xstrdup(loc);
	free(want);
	free(got);
	return 0;
fail:
	free(want);
	free(got);
	r->attempts++;
	r->outcome = PYPI_FAILED;
	set_error(x, why);
	return -1;
}

/*
 * Decides what a finished attempt means. Returns the delay in seconds
 * before the next attempt, or a negative number when the request is final.
 */
static double classify(struct xfer *x, CURLcode rc)
{
	struct pypi_request *r = x->req;
	const struct pypi_config *cfg = x->cfg;
	long status = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (status)
		r->got_response = true;
	bool can_retry = r->attempts <= cfg->max_retries;

	if (rc == CURLE_OK) {
		if (status >= 200 && status < 300) {
			r->outcome = PYPI_OK;
			return -1;
		}
		if (status == 404) {
			r->outcome = PYPI_NOT_FOUND;
			return -1;
		}
		if (is_redirect(status))
			return redirect(x, status);
		if ((status == 429 || status >= 500) && can_retry) {
			curl_off_t after = -1;
			if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER,
					      &after) != CURLE_OK)
				after = -1;
			if (after >= 0) {
				double max = (double)cfg->max_delay_ms / 1000.0;
				return (double)after > max ? max : (double)after;
			}
			return backoff_seconds(cfg, r->attempts);
		}
		char why[64];
		snprintf(why, sizeof(why), "HTTP %ld", status);
		r->outcome = PYPI_FAILED;
		set_error(x, why);
		return -1;
	}
	if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		char why[96];
		snprintf(why, sizeof(why), "answer larger than %zu bytes",
			 cfg->max_body);
		r->outcome = PYPI_FAILED;
		set_error(x, why);
		return -1;
	}
	if (transient(rc) && can_retry)
		return backoff_seconds(cfg, r->attempts);
	r->outcome = PYPI_FAILED;
	r->transport_failed = true;
	set_error(x, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	return -1;
}

static int start(CURLM *multi, struct xfer *x)
{
	strbuf_reset(&x->req->body);
	x->too_large = false;
	x->easy = make_easy(x);
	if (!x->easy)
		return -1;
	if (curl_multi_add_handle(multi, x->easy) != CURLM_OK) {
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
		return -1;
	}
	x->req->attempts++;
	x->state = X_ACTIVE;
	return 0;
}

static void finish(CURLM *multi, struct xfer *x)
{
	curl_multi_remove_handle(multi, x->easy);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;
}

int pypi_fetch(const struct pypi_config *cfg, struct pypi_request *reqs,
	       size_t n, pypi_done_fn done, void *ctx, char **err)
{
	if (global_init(err) < 0)
		return -1;
	if (!n)
		return 0;
	CURLM *multi = curl_multi_init();
	if (!multi) {
		*err = xstrdup("libcurl: cannot create a multi handle");
		return -1;
	}
	long jobs = cfg->jobs > 0 ? cfg->jobs : 1;
	curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, jobs);
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, jobs);

	struct xfer *xs = xcalloc(n, sizeof(*xs));
	for (size_t i = 0; i < n; i++) {
		xs[i].req = &reqs[i];
		xs[i].cfg = cfg;
		reqs[i].outcome = PYPI_PENDING;
		reqs[i].attempts = 0;
		reqs[i].got_response = false;
		reqs[i].transport_failed = false;
		strbuf_init(&reqs[i].body, 0);
	}

	size_t finished = 0, active = 0, next = 0; /* next: first maybe-waiting */
	while (finished < n) {
		double now = now_monotonic(), wake;
		for (size_t i = next; i < n && active < (size_t)jobs; i++) {
			struct xfer *x = &xs[i];
			if (x->state != X_WAITING || x->not_before > now)
				continue;
			if (start(multi, x) < 0) {
				x->req->outcome = PYPI_FAILED;
				free(x->req->error);
				x->req->error = xstrdup("libcurl: cannot start a transfer");
				x->state = X_DONE;
				finished++;
				if (done)
					done(x->req, ctx);
				continue;
			}
			active++;
		}
		while (next < n && xs[next].state == X_DONE)
			next++;

		int running = 0;
		curl_multi_perform(multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&x);
			CURLcode rc = msg->data.result;
			double delay = classify(x, rc);
			finish(multi, x);
			active--;
			if (delay >= 0) {
				x->state = X_WAITING;
				x->not_before = now_monotonic() + delay;
				if ((size_t)(x - xs) < next)
					next = (size_t)(x - xs);
				continue;
			}
			if (x->req->outcome != PYPI_OK)
				strbuf_release(&x->req->body);
			x->state = X_DONE;
			finished++;
			if (done)
				done(x->req, ctx);
		}
		if (finished >= n)
			break;
		/* Wait for network activity, or until a delayed retry is due
		 * (retries scheduled just now included). */
		now = now_monotonic();
		wake = now + 1.0;
		for (size_t i = next; i < n && active < (size_t)jobs; i++)
			if (xs[i].state == X_WAITING && xs[i].not_before < wake)
				wake = xs[i].not_before;
		int wait_ms = wake > now ? (int)((wake - now) * 1000) + 1 : 0;
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (active == 0 && wait_ms > 0) {
			struct timespec ts = {wait_ms / 1000,
					      (long)(wait_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		} else if (active > 0) {
			curl_multi_poll(multi, NULL, 0, wait_ms, NULL);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(xs[i].location);
	free(xs);
	curl_multi_cleanup(multi);
	return 0;
}

/* ---- parsing ---- */

/* One line "what: problem" for the first shape error; later ones are
 * dropped (the first is what the user needs). */
struct perr {
	char *msg;
};

static void fail(struct perr *e, const char *fmt, ...) PC_PRINTF(2, 3);
static void fail(struct perr *e, const char *fmt, ...)
{
	if (e->msg)
		return;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	e->msg = strbuf_detach(&sb);
}

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true/false";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* An owned copy of a JSON string; a "\u0000" inside is an error (C
 * strings would cut it there and the rest go unchecked). */
static char *copy_string(const json_t *v, const char *where, const char *key,
			 struct perr *e)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (memchr(s, '\0', n)) {
		fail(e, "%s.%s holds a NUL character", where, key);
		return NULL;
	}
	return xstrndup(s, n);
}

/* A string field that may be missing or null: returns an owned copy or
 * NULL; a value of another type is an error. */
static char *opt_string(const json_t *obj, const char *key, const char *where,
			struct perr *e)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		fail(e, "%s.%s is %s, expected a string", where, key,
		     type_name(v));
		return NULL;
	}
	return copy_string(v, where, key, e);
}

static char *req_string(const json_t *obj, const char *key, const char *where,
			struct perr *e)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		fail(e, "%s.%s is missing", where, key);
		return NULL;
	}
	if (!json_is_string(v) || !json_string_length(v)) {
		fail(e, "%s.%s is %s, expected a non-empty string", where, key,
		     json_is_string(v) ? "empty" : type_name(v));
		return NULL;
	}
	return copy_string(v, where, key, e);
}

/* An array of strings that may be missing or null. */
static void opt_strings(const json_t *obj, const char *key, const char *where,
			struct strvec *out, struct perr *e)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return;
	if (!json_is_array(v)) {
		fail(e, "%s.%s is %s, expected an array", where, key,
		     type_name(v));
		return;
	}
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s) {
		if (!json_is_string(s)) {
			fail(e, "%s.%s[%zu] is %s, expected a string", where,
			     key, i, type_name(s));
			return;
		}
		char k[64];
		snprintf(k, sizeof(k), "%s[%zu]", key, i);
		char *c = copy_string(s, where, k, e);
		if (!c)
			return;
		strvec_push_nodup(out, c);
	}
}

static json_t *load(const char *body, size_t len, struct perr *e)
{
	json_error_t jerr;
	/* JSON_REJECT_DUPLICATES: two different answers to one key are not
	 * something to pick from silently. */
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fail(e, "invalid JSON (truncated or malformed) at line %d column %d: %s",
		     jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		fail(e, "the answer is %s, expected an object", type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

static void parse_file(const json_t *j, const char *where,
		       struct release_file *f, struct perr *e)
{
	memset(f, 0, sizeof(*f));
	f->upload_epoch = -1;
	if (!json_is_object(j)) {
		fail(e, "%s is %s, expected an object", where, type_name(j));
		return;
	}
	f->filename = req_string(j, "filename", where, e);
	f->packagetype = opt_string(j, "packagetype", where, e);
	f->requires_python = opt_string(j, "requires_python", where, e);
	json_t *dig = json_object_get(j, "digests");
	if (dig && !json_is_null(dig)) {
		if (!json_is_object(dig))
			fail(e, "%s.digests is %s, expected an object", where,
			     type_name(dig));
		else
			f->sha256 = opt_string(dig, "sha256", where, e);
	}
	if (f->sha256) {
		size_t n = strlen(f->sha256);
		bool ok = n == 64;
		for (size_t i = 0; ok && i < n; i++)
			ok = strchr("0123456789abcdefABCDEF", f->sha256[i]) != NULL;
		if (!ok)
			fail(e, "%s.digests.sha256 '%.80s' is not 64 hex digits",
			     where, f->sha256);
	}
	_cleanup_free_ char *t = opt_string(j, "upload_time_iso_8601", where, e);
	if (!t)
		t = opt_string(j, "upload_time", where, e);
	if (t) {
		/* Unparsable or before 1970: unknown, which the cool-down
		 * treats as too recent (never as old enough); upload_invalid
		 * lets the report say why. */
		time_t epoch;
		if (!parse_timestamp(t, &epoch) || epoch < 0) {
			f->upload_invalid = true;
		} else {
			char buf[20];
			format_timestamp(epoch, buf);
			f->upload_epoch = epoch;
			f->upload_time = xstrdup(buf);
		}
	}
	json_t *y = json_object_get(j, "yanked");
	if (y && !json_is_null(y)) {
		if (!json_is_boolean(y))
			fail(e, "%s.yanked is %s, expected true/false", where,
			     type_name(y));
		else
			f->yanked = json_is_true(y);
	}
}

static int parse_files(const json_t *arr, const char *where,
		       struct release_file **out, size_t *nr, struct perr *e)
{
	*out = NULL;
	*nr = 0;
	if (!json_is_array(arr)) {
		fail(e, "%s is %s, expected an array", where,
		     arr ? type_name(arr) : "missing");
		return -1;
	}
	size_t n = json_array_size(arr);
	struct release_file *files = n ? xcalloc(n, sizeof(*files)) : NULL;
	for (size_t i = 0; i < n && !e->msg; i++) {
		char w[320];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		parse_file(json_array_get(arr, i), w, &files[i], e);
	}
	if (e->msg) {
		for (size_t i = 0; i < n; i++)
			release_file_clear(&files[i]);
		free(files);
		return -1;
	}
	*out = files;
	*nr = n;
	return 0;
}

/* Advisory ids seen on PyPI ("PYSEC-2023-62", "GHSA-m2qf-hxjv-5gpq",
 * "CVE-2023-30861", "OSV-..."): far shorter than this. */
#define MAX_ID_LEN 128

/* An id or alias: 1..MAX_ID_LEN printable ASCII characters, no space. It
 * is printed in reports and the lock's comments and matched against
 * --ignore-vuln, so nothing else is taken. */
static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > MAX_ID_LEN)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return true;
}

static void fail_quoted(struct perr *e, const char *where, const char *s,
			const char *problem)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_add_quoted(&q, s, 80);
	fail(e, "%s %s %s", where, q.buf, problem);
	strbuf_release(&q);
}

static void check_advisory(const struct advisory *a, const char *where,
			   struct perr *e)
{
	char w[160];
	if (a->id && !valid_id(a->id)) {
		snprintf(w, sizeof(w), "%s.id", where);
		fail_quoted(e, w, a->id,
			    "is not an advisory id (1 to 128 printable ASCII "
			    "characters, no space)");
	}
	for (size_t i = 0; i < a->aliases.nr; i++) {
		if (valid_id(a->aliases.v[i]))
			continue;
		snprintf(w, sizeof(w), "%s.aliases[%zu]", where, i);
		fail_quoted(e, w, a->aliases.v[i],
			    "is not an advisory id (1 to 128 printable ASCII "
			    "characters, no space)");
	}
	for (size_t i = 0; i < a->fixed_in.nr; i++) {
		struct pep440_version *v = pep440_parse(a->fixed_in.v[i]);
		/* valid_id too: PEP 440 tolerates surrounding white space,
		 * which has no place in a line of the report. */
		if (v && valid_id(a->fixed_in.v[i])) {
			pep440_free(v);
			continue;
		}
		pep440_free(v);
		snprintf(w, sizeof(w), "%s.fixed_in[%zu]", where, i);
		fail_quoted(e, w, a->fixed_in.v[i], "is not a PEP 440 version");
	}
}

static void parse_advisory(const json_t *j, const char *where,
			   struct advisory *a, struct perr *e)
{
	memset(a, 0, sizeof(*a));
	if (!json_is_object(j)) {
		fail(e, "%s is %s, expected an object", where, type_name(j));
		return;
	}
	a->id = req_string(j, "id", where, e);
	opt_strings(j, "aliases", where, &a->aliases, e);
	opt_strings(j, "fixed_in", where, &a->fixed_in, e);
	check_advisory(a, where, e);
	a->summary = opt_string(j, "summary", where, e);
	a->details = opt_string(j, "details", where, e);
	a->link = opt_string(j, "link", where, e);
	a->withdrawn = opt_string(j, "withdrawn", where, e);
}

/* info.name: a valid project name and, when asked is not NULL, one whose
 * normalised form is asked (the answer is about the project requested). */
static char *info_name(const json_t *root, const char *asked, struct perr *e)
{
	json_t *info = json_object_get(root, "info");
	if (!json_is_object(info)) {
		fail(e, "info is %s, expected an object",
		     info ? type_name(info) : "missing");
		return NULL;
	}
	char *name = req_string(info, "name", "info", e);
	if (!name)
		return NULL;
	if (!pep503_valid(name)) {
		fail_quoted(e, "info.name", name, "is not a valid project name");
	} else if (asked) {
		_cleanup_free_ char *n = pep503_normalise(name);
		_cleanup_free_ char *a = pep503_normalise(asked);
		if (strcmp(n, a))
			fail(e, "info.name '%s' is not the project asked for "
				"(%s)", name, a);
	}
	if (e->msg) {
		free(name);
		return NULL;
	}
	return name;
}

int pypi_parse_release(const char *body, size_t len, struct dist_audit *d,
		       char **err)
{
	struct perr e = {0};
	json_t *root = load(body, len, &e);
	char *name = NULL;
	struct release_file *files = NULL;
	size_t nr_files = 0, nr_vulns = 0;
	struct advisory *vulns = NULL;
	if (!root)
		goto out;
	name = info_name(root, d->normalised, &e);
	if (e.msg)
		goto out;
	if (parse_files(json_object_get(root, "urls"), "urls", &files,
			&nr_files, &e) < 0)
		goto out;
	json_t *vs = json_object_get(root, "vulnerabilities");
	if (!json_is_array(vs)) {
		/* Missing is not "none": an answer without the field cannot
		 * say the release is clean. */
		fail(&e, "vulnerabilities is %s, expected an array",
		     vs ? type_name(vs) : "missing");
		goto out;
	}
	nr_vulns = json_array_size(vs);
	vulns = nr_vulns ? xcalloc(nr_vulns, sizeof(*vulns)) : NULL;
	for (size_t i = 0; i < nr_vulns && !e.msg; i++) {
		char w[64];
		snprintf(w, sizeof(w), "vulnerabilities[%zu]", i);
		parse_advisory(json_array_get(vs, i), w, &vulns[i], &e);
	}
out:
	json_decref(root);
	if (e.msg) {
		free(name);
		for (size_t i = 0; i < nr_files; i++)
			release_file_clear(&files[i]);
		free(files);
		for (size_t i = 0; i < nr_vulns; i++)
			advisory_clear(&vulns[i]);
		free(vulns);
		*err = e.msg;
		return -1;
	}
	free(d->display_name);
	d->display_name = name;
	for (size_t i = 0; i < d->nr_files; i++)
		release_file_clear(&d->files[i]);
	free(d->files);
	d->files = files;
	d->nr_files = nr_files;
	for (size_t i = 0; i < d->nr_vulns; i++)
		advisory_clear(&d->vulns[i]);
	free(d->vulns);
	d->vulns = vulns;
	d->nr_vulns = nr_vulns;
	return 0;
}

void pypi_project_clear(struct pypi_project *p)
{
	free(p->name);
	for (size_t i = 0; i < p->nr_releases; i++) {
		struct pypi_release *r = &p->releases[i];
		free(r->version);
		for (size_t j = 0; j < r->nr_files; j++)
			release_file_clear(&r->files[j]);
		free(r->files);
	}
	free(p->releases);
	memset(p, 0, sizeof(*p));
}

int pypi_parse_project(const char *body, size_t len, struct pypi_project *p,
		       char **err)
{
	return pypi_parse_project_of(body, len, NULL, p, err);
}

int pypi_parse_project_of(const char *body, size_t len, const char *asked,
			  struct pypi_project *p, char **err)
{
	struct perr e = {0};
	memset(p, 0, sizeof(*p));
	json_t *root = load(body, len, &e);
	if (!root)
		goto out;
	p->name = info_name(root, asked, &e);
	if (e.msg)
		goto out;
	json_t *rels = json_object_get(root, "releases");
	if (!json_is_object(rels)) {
		fail(&e, "releases is %s, expected an object",
		     rels ? type_name(rels) : "missing");
		goto out;
	}
	size_t n = json_object_size(rels);
	p->releases = n ? xcalloc(n, sizeof(*p->releases)) : NULL;
	const char *version;
	json_t *files;
	json_object_foreach(rels, version, files) {
		struct pypi_release *r = &p->releases[p->nr_releases++];
		r->version = xstrdup(version);
		char where[160];
		snprintf(where, sizeof(where), "releases[\"%.100s\"]", version);
		if (parse_files(files, where, &r->files, &r->nr_files, &e) < 0)
			break;
	}
out:
	json_decref(root);
	if (e.msg) {
		pypi_project_clear(p);
		*err = e.msg;
		return -1;
	}
	return 0;
}

bool advisory_withdrawn(const struct advisory *a, time_t now)
{
	if (!a->withdrawn)
		return false;
	time_t t;
	/* Unparsable: not withdrawn. Bad data never hides an advisory. */
	if (!parse_timestamp(a->withdrawn, &t))
		return false;
	return t <= now;
}

bool advisory_matches(const struct advisory *a, const char *id)
{
	if (a->id && !strcasecmp(a->id, id))
		return true;
	for (size_t i = 0; i < a->aliases.nr; i++)
		if (!strcasecmp(a->aliases.v[i], id))
			return true;
	return false;
}
