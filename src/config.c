/* config.c - [tool.pipcanary] settings; see config.h. */
#define _GNU_SOURCE
#include "config.h"
#include "runcmd.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <string.h>

#ifndef PIPCANARY_PROBE_DIR
#define PIPCANARY_PROBE_DIR "probe"
#endif

struct ctx {
	struct options *opts;
	const char *file;
	int problems;
};

static void problem(struct ctx *c, const char *key, const char *fmt, ...)
	PC_PRINTF(3, 4);
static void problem(struct ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: %s: tool.pipcanary.%s: ", prog_name, c->file, key);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->problems++;
}

/*
 * An entry of a list setting: a string, or a table with the string under
 * `field`, an optional `expires` date and `reason`. Returns the string
 * (borrowed) or NULL when the entry is expired (said on stderr) or bad
 * (counted as a problem).
 */
static const char *entry_value(struct ctx *c, const char *key, json_t *e,
			       const char *field)
{
	if (json_is_string(e))
		return json_string_value(e);
	if (!json_is_object(e)) {
		problem(c, key, "each entry must be a string or a table");
		return NULL;
	}
	const char *v = json_string_value(json_object_get(e, field));
	if (!v) {
		problem(c, key, "a table entry needs a string '%s'", field);
		return NULL;
	}
	json_t *exp = json_object_get(e, "expires");
	if (!exp)
		return v;
	time_t until;
	const char *es = json_string_value(exp);
	if (!es || !parse_timestamp(es, &until)) {
		problem(c, key, "%s: 'expires' must be a date like 2026-12-31", v);
		return NULL;
	}
	if (strlen(es) == 10)
		until += 86399; /* the whole day */
	if (until < c->opts->now) {
		const char *why = json_string_value(json_object_get(e, "reason"));
		warnx("%s: %s %s expired on %s and applies no more%s%s%s", c->file,
		      key, v, es, why ? " (reason: " : "", why ? why : "",
		      why ? ")" : "");
		return NULL;
	}
	return v;
}

static json_t *list_of(struct ctx *c, json_t *t, const char *key)
{
	json_t *v = json_object_get(t, key);
	if (v && !json_is_array(v)) {
		problem(c, key, "must be a list");
		return NULL;
	}
	return v;
}

static void apply_scalars(struct ctx *c, json_t *t)
{
	struct options *o = c->opts;
	json_t *v;
	if ((v = json_object_get(t, "cool-down"))) {
		json_int_t d = json_integer_value(v);
		if (!json_is_integer(v) || d < 0 || d > 36500)
			problem(c, "cool-down", "must be a whole number of days "
						"from 0 to 36500");
		else if (!o->cool_down_set)
			o->cool_down_days = (long)d;
	}
	if ((v = json_object_get(t, "stop-at"))) {
		enum severity s;
		const char *str = json_string_value(v);
		if (!str || !severity_parse(str, &s) || s == SEV_NOTE)
			problem(c, "stop-at",
				"must be one of low, medium, high, critical");
		else if (!o->stop_at_set)
			o->stop_at = s;
	}
	if ((v = json_object_get(t, "index-url"))) {
		const char *str = json_string_value(v);
		if (!str || !*str)
			problem(c, "index-url", "must be a URL string");
		else if (!o->index_url)
			o->index_url = xstrdup(str);
	}
}

static void apply_lists(struct ctx *c, json_t *t)
{
	struct options *o = c->opts;
	json_t *list, *e;
	size_t i;
	if ((list = list_of(c, t, "rules"))) {
		_cleanup_free_ char *copy = xstrdup(c->file);
		const char *dir = dirname(copy);
		json_array_foreach(list, i, e) {
			const char *p = json_string_value(e);
			if (!p || !*p)
				problem(c, "rules", "each entry must be a file name");
			else if (p[0] == '/')
				strvec_push(&o->rule_files, p);
			else
				strvec_pushf(&o->rule_files, "%s/%s", dir, p);
		}
	}
	if ((list = list_of(c, t, "ignore-vuln"))) {
		json_array_foreach(list, i, e) {
			const char *id = entry_value(c, "ignore-vuln", e, "id");
			if (id && !*id)
				problem(c, "ignore-vuln", "empty advisory id");
			else if (id && !strvec_contains(&o->ignore_vulns, id))
				strvec_push(&o->ignore_vulns, id);
		}
	}
	if ((list = list_of(c, t, "allow-upload-time"))) {
		json_array_foreach(list, i, e) {
			const char *v =
				entry_value(c, "allow-upload-time", e, "value");
			struct upload_allowance a;
			char *err = NULL;
			if (!v)
				continue;
			if (!parse_allowance(v, &a, &err)) {
				problem(c, "allow-upload-time", "%s", err);
				free(err);
				continue;
			}
			options_add_allowance(o, &a);
			free(a.normalised);
		}
	}
}

static const char *const known_keys[] = {
	"cool-down", "stop-at", "index-url", "rules", "ignore-vuln",
	"allow-upload-time",
};

int config_apply_json(struct options *opts, const char *file,
		      const char *json_text, bool own_file)
{
	struct ctx c = {opts, file, 0};
	json_error_t jerr;
	json_t *doc = json_loads(json_text, 0, &jerr);
	if (!json_is_object(doc)) {
		fprintf(stderr, "%s: %s: cannot read the settings: %s\n",
			prog_name, file, doc ? "not a table" : jerr.text);
		json_decref(doc);
		return 1;
	}
	/* [tool.pipcanary]; the top level only in a --config file of its
	 * own (one that is not a pyproject.toml: no [project], no [tool]). */
	json_t *t = json_object_get(json_object_get(doc, "tool"), "pipcanary");
	if (!t && own_file && !json_object_get(doc, "tool") &&
	    !json_object_get(doc, "project") &&
	    !json_object_get(doc, "build-system") &&
	    !json_object_get(doc, "dependency-groups"))
		t = doc;
	if (!t) {
		json_decref(doc);
		return 0;
	}
	if (!json_is_object(t)) {
		fprintf(stderr, "%s: %s: [tool.pipcanary] must be a table\n",
			prog_name, file);
		json_decref(doc);
		return 1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(t, key, v) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++)
			known |= !strcmp(key, known_keys[i]);
		if (!known)
			problem(&c, key, "unknown setting (known: cool-down, "
					 "stop-at, index-url, rules, "
					 "ignore-vuln, allow-upload-time)");
	}
	apply_scalars(&c, t);
	apply_lists(&c, t);
	json_decref(doc);
	return c.problems;
}

/* The config file: --config, else the first -r *.toml. NULL: none. */
static const char *config_file(const struct options *opts)
{
	if (opts->config)
		return opts->config;
	for (size_t i = 0; i < opts->req_files.nr; i++)
		if (str_ends_with(opts->req_files.v[i], ".toml"))
			return opts->req_files.v[i];
	return NULL;
}

int config_apply(struct options *opts)
{
	const char *file = config_file(opts);
	if (!file)
		return 0;
	/* A --config file that is not TOML is not for us to guess. */
	const char *dir = getenv("PIPCANARY_PROBE_DIR");
	_cleanup_free_ char *helper = xasprintf(
		"%s/toml2json.py", dir && *dir ? dir : PIPCANARY_PROBE_DIR);
	const char *argv[] = {opts->python, "-I", helper, file, NULL};
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
	int rc = run_capture(argv, &out, &err, 0);
	if (rc < 0)
		die(EXIT_UNAVAILABLE, "cannot run %s to read %s: %s", opts->python,
		    file, strerror(errno));
	if (rc != 0) {
		/* The helper says FILE:LINE: message; pass it on as is. */
		strbuf_trim(&err);
		fprintf(stderr, "%s: %s\n", prog_name,
			err.len ? err.buf : "cannot read the TOML file");
		return 1;
	}
	return config_apply_json(opts, file, out.buf, opts->config != NULL);
}
