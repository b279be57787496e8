/* pyproject.c - see pyproject.h. */
#define _GNU_SOURCE
#include "pyproject.h"
#include "pep440.h"
#include "pep503.h"
#include "reqfile.h"
#include "runcmd.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#ifndef PIPCANARY_PROBE_DIR
#define PIPCANARY_PROBE_DIR "probe"
#endif

/* ---- Poetry constraints ---- */

/*
 * Splits v ("1!0.10.11.post1") into epoch prefix ("1!"), release
 * components and the rest. Returns false when there is no release.
 */
static bool split_release(const char *v, struct strbuf *epoch,
			  struct strvec *rel)
{
	const char *p = v;
	const char *bang = strchr(v, '!');
	if (bang) {
		strbuf_add(epoch, v, (size_t)(bang - v + 1));
		p = bang + 1;
	}
	if (*p == 'v' || *p == 'V')
		p++;
	while (isdigit((unsigned char)*p)) {
		const char *s = p;
		while (isdigit((unsigned char)*p))
			p++;
		strvec_push_nodup(rel, xstrndup(s, (size_t)(p - s)));
		if (*p == '.' && isdigit((unsigned char)p[1]))
			p++;
		else
			break;
	}
	return rel->nr > 0;
}

/*
 * The exclusive upper bound of a caret (bump = first non-zero component,
 * or the last one given when all are zero) or tilde (bump = minor when
 * given, else major) range: the components before `bump`, then bump + 1.
 */
static char *upper_bound(const char *v, bool caret, char **err)
{
	_cleanup_strbuf_ struct strbuf epoch = STRBUF_INIT;
	_cleanup_strvec_ struct strvec rel = STRVEC_INIT;
	if (!split_release(v, &epoch, &rel)) {
		*err = xasprintf("'%s' is not a version", v);
		return NULL;
	}
	size_t bump;
	if (caret) {
		bump = rel.nr - 1;
		for (size_t i = 0; i < rel.nr; i++)
			if (strspn(rel.v[i], "0") != strlen(rel.v[i])) {
				bump = i;
				break;
			}
	} else {
		bump = rel.nr >= 2 ? 1 : 0;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, epoch.buf);
	for (size_t i = 0; i < bump; i++)
		strbuf_addf(&sb, "%s.", rel.v[i]);
	/* Decimal increment on the digit string: no overflow on any length. */
	_cleanup_free_ char *n = xasprintf("0%s", rel.v[bump]);
	size_t k = strlen(n);
	while (k-- > 0) {
		if (n[k] == '9') {
			n[k] = '0';
			continue;
		}
		n[k]++;
		break;
	}
	const char *digits = n;
	while (digits[0] == '0' && digits[1])
		digits++;
	strbuf_addstr(&sb, digits);
	return strbuf_detach(&sb);
}

static int poetry_clause(const char *c, struct strbuf *out, char **err)
{
	if (!strcmp(c, "*"))
		return 0;
	const char *v;
	bool caret = c[0] == '^';
	if (caret || (c[0] == '~' && c[1] != '=')) {
		v = c + 1;
		struct pep440_version *ver = pep440_parse(v);
		if (!ver) {
			*err = xasprintf("'%s' in '%s' is not a PEP 440 version",
					 v, c);
			return -1;
		}
		pep440_free(ver);
		_cleanup_free_ char *up = upper_bound(v, caret, err);
		if (!up)
			return -1;
		strbuf_addf(out, "%s>=%s,<%s", out->len ? "," : "", v, up);
		return 0;
	}
	if (out->len)
		strbuf_addch(out, ',');
	if (strchr("<>!~", c[0]) || !strncmp(c, "==", 2)) {
		strbuf_addstr(out, c);
	} else if (c[0] == '=') {
		strbuf_addf(out, "=%s", c); /* Poetry's "=1.0" is "==1.0" */
	} else {
		strbuf_addf(out, "==%s", c);
	}
	return 0;
}

int poetry_constraint(const char *c, char **out, char **err)
{
	*out = NULL;
	if (strstr(c, "||") || strchr(c, '|')) {
		*err = xasprintf("'%s': alternatives ('||') have no PEP 440 "
				 "form: pick one range", c);
		return -1;
	}
	/* Drop spaces after operators, then whitespace or ',' separate. */
	struct strbuf norm = STRBUF_INIT;
	for (const char *p = c; *p; p++) {
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)p[1]))
				p++;
			char prev = norm.len ? norm.buf[norm.len - 1] : ',';
			if (!strchr("<>=!~^,", prev) && p[1] && p[1] != ',')
				strbuf_addch(&norm, ',');
			continue;
		}
		strbuf_addch(&norm, *p);
	}
	struct strbuf spec = STRBUF_INIT;
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(norm.buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((rc = poetry_clause(tok, &spec, err)) < 0)
			break;
	}
	strbuf_release(&norm);
	if (rc == 0) {
		char *perr = NULL;
		struct pep440_specset *ss = pep440_specset_parse(spec.buf, &perr);
		if (!ss) {
			*err = xasprintf("'%s' is not a valid version constraint "
					 "(%s)", c, perr);
			free(perr);
			rc = -1;
		}
		pep440_specset_free(ss);
	}
	if (rc < 0) {
		strbuf_release(&spec);
		return -1;
	}
	*out = strbuf_detach(&spec);
	return 0;
}

/* ---- reading ---- */

struct ctx {
	struct input *in;
	const char *path;
	const struct pyproject_opts *o;
	struct strvec *problems;
	int count;
	char *text;              /* the file, to find line numbers */
	char *self;              /* normalised [project].name, or NULL */
	json_t *optional;        /* [project.optional-dependencies] or NULL */
	json_t *poetry_deps;     /* [tool.poetry.dependencies] or NULL */
	struct strvec extras_done;
	struct qstr *quoted;     /* the text's quoted strings, sorted; built
				    on the first locate() */
	size_t nquoted;
	bool quoted_built;
	struct strvec header_names; /* header_line() results, cached */
	int *header_lines;
	size_t header_alloc;
};

/* A quoted string of the file's text and its line (for locate()). */
struct qstr {
	const char *s; /* into ctx.text; not NUL-terminated */
	size_t n;
	int line;
};

static void ctx_clear(struct ctx *c)
{
	free(c->text);
	free(c->self);
	free(c->quoted);
	free(c->header_lines);
	strvec_clear(&c->header_names);
	strvec_clear(&c->extras_done);
}

static void problem(struct ctx *c, int line, const char *fmt, ...)
	PC_PRINTF(3, 4);
static void problem(struct ctx *c, int line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	if (line > 0)
		strbuf_addf(&sb, "%s:%d: ", c->path, line);
	else
		strbuf_addf(&sb, "%s: ", c->path);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push_nodup(c->problems, strbuf_detach(&sb));
	c->count++;
}

/* The line of a table header "[name]" (spaces allowed inside), or 0. */
static int header_line(const char *text, const char *name)
{
	int no = 1;
	for (const char *p = text; p && *p; no++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < n; i++)
			if (!isspace((unsigned char)p[i]) && p[i] != '"' &&
			    p[i] != '\'')
				strbuf_addch(&sb, p[i]);
		bool hit = sb.len == strlen(name) + 2 && sb.buf[0] == '[' &&
			   !strncmp(sb.buf + 1, name, strlen(name));
		strbuf_release(&sb);
		if (hit)
			return no;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int qstr_cmp(const void *a, const void *b)
{
	const struct qstr *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int d = memcmp(x->s, y->s, n);
	if (d)
		return d;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/*
 * Collects every '...' and "..." of the text (closed on the same line) with
 * its line, sorted, so that locate() is a binary search: a file of 100,000
 * requirements would otherwise be scanned 100,000 times.
 */
static void build_quoted(struct ctx *c)
{
	size_t alloc = 0;
	int line = 1;
	c->quoted_built = true;
	for (const char *p = c->text; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (*p != '"' && *p != '\'')
			continue;
		const char *e = p + 1;
		while (*e && *e != *p && *e != '\n')
			e++;
		if (*e != *p) {
			p = e - 1; /* not closed on this line */
			continue;
		}
		GROW(c->quoted, alloc, c->nquoted + 1);
		c->quoted[c->nquoted++] =
			(struct qstr){p + 1, (size_t)(e - p - 1), line};
		p = e;
	}
	if (c->nquoted)
		qsort(c->quoted, c->nquoted, sizeof(*c->quoted), qstr_cmp);
}

/* The first line >= from where value is quoted, or 0. */
static int quoted_line(struct ctx *c, const char *value, int from)
{
	struct qstr key = {value, strlen(value), from};
	size_t lo = 0, hi = c->nquoted;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (qstr_cmp(&c->quoted[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nquoted && c->quoted[lo].n == key.n &&
	    !memcmp(c->quoted[lo].s, value, key.n))
		return c->quoted[lo].line;
	return 0;
}

/* header_line() of c's text, each table looked up once. */
static int header_line_cached(struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->header_names.nr; i++)
		if (!strcmp(c->header_names.v[i], name))
			return c->header_lines[i];
	int l = header_line(c->text, name);
	GROW(c->header_lines, c->header_alloc, c->header_names.nr + 1);
	c->header_lines[c->header_names.nr] = l;
	strvec_push(&c->header_names, name);
	return l;
}

/*
 * Where a string value is written: its first quoted occurrence after the
 * table's header (else anywhere), else the header, else 0.
 */
static int locate(struct ctx *c, const char *table, const char *value)
{
	int h = table ? header_line_cached(c, table) : 0;
	if (!c->quoted_built)
		build_quoted(c);
	int l = quoted_line(c, value, h ? h : 1);
	if (!l && h > 1)
		l = quoted_line(c, value, 1);
	return l ? l : h;
}

/* Where a Poetry key "name = ..." is written in table. */
static int locate_key(struct ctx *c, const char *table, const char *key)
{
	int h = header_line(c->text, table);
	int no = 1;
	for (const char *p = c->text; p && *p; no++) {
		const char *nl = strchr(p, '\n');
		const char *s = p;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '"' || *s == '\'')
			s++;
		size_t k = strlen(key);
		if (no > h && !strncmp(s, key, k) &&
		    strchr(" \t=\"'", s[k]))
			return no;
		p = nl ? nl + 1 : NULL;
	}
	return h;
}

static void add_requirement_string(struct ctx *c, const char *s, int line,
				   const char *marker_and, int depth);

/* "(a) and (b)" of two markers (either may be NULL); caller frees. */
static char *and_markers(const char *a, const char *b)
{
	if (!a || !*a)
		return b && *b ? xstrdup(b) : NULL;
	if (!b || !*b)
		return xstrdup(a);
	return xasprintf("(%s) and (%s)", a, b);
}

/* Adds [project.optional-dependencies] `extra` (normalised). */
static bool add_optional(struct ctx *c, const char *extra, int line,
			 const char *marker, int depth)
{
	const char *key;
	json_t *list;
	json_object_foreach(c->optional, key, list) {
		_cleanup_free_ char *n = pep503_normalise(key);
		if (strcmp(n, extra))
			continue;
		if (strvec_contains(&c->extras_done, n))
			return true;
		strvec_push(&c->extras_done, n);
		if (!json_is_array(list)) {
			problem(c, locate_key(c, "project.optional-dependencies",
					      key),
				"[project.optional-dependencies] %s must be an "
				"array of requirement strings", key);
			return true;
		}
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v) {
			if (!json_is_string(v)) {
				problem(c, locate_key(c, "project.optional-dependencies", key),
					"[project.optional-dependencies] %s: "
					"entry %zu is not a string", key, i + 1);
				continue;
			}
			add_requirement_string(
				c, json_string_value(v),
				locate(c, "project.optional-dependencies",
				       json_string_value(v)),
				marker, depth + 1);
		}
		(void)line;
		return true;
	}
	return false;
}

static void push_requirement(struct ctx *c, struct requirement *r, int line)
{
	r->file = xstrdup(c->path);
	r->line = line;
	GROW(c->in->reqs, c->in->alloc, c->in->nr + 1);
	c->in->reqs[c->in->nr++] = *r;
	memset(r, 0, sizeof(*r));
}

/*
 * Parses one PEP 508 string; a requirement naming the project itself
 * ("proj[test]") adds the project's own extras instead (pip would look the
 * project up on the index). marker_and is ANDed with its marker.
 */
static void add_requirement_string(struct ctx *c, const char *s, int line,
				   const char *marker_and, int depth)
{
	struct requirement r = {0};
	_cleanup_free_ char *err = NULL;
	if (requirement_parse(&r, s, &err) < 0) {
		problem(c, line, "%s", err);
		return;
	}
	if (marker_and && *marker_and) {
		char *m = and_markers(marker_and, r.marker);
		free(r.marker);
		r.marker = m;
		struct strbuf t = STRBUF_INIT;
		requirement_format(&t, &r);
		free(r.text);
		r.text = strbuf_detach(&t);
	}
	if (c->self && !strcmp(r.normalised, c->self) && !r.url) {
		if (depth > 32 || !c->optional) {
			if (!c->optional && r.extras.nr)
				problem(c, line, "'%s' names the project itself, "
					"which has no optional-dependencies", s);
			requirement_clear(&r);
			return;
		}
		for (size_t i = 0; i < r.extras.nr; i++)
			if (!add_optional(c, r.extras.v[i], line, r.marker, depth))
				problem(c, line, "'%s' names the project's extra "
					"'%s', which [project.optional-dependencies] "
					"does not have", s, r.extras.v[i]);
		requirement_clear(&r);
		return;
	}
	push_requirement(c, &r, line);
}

static void add_string_array(struct ctx *c, json_t *arr, const char *table,
			     const char *what)
{
	if (!json_is_array(arr)) {
		problem(c, header_line(c->text, table),
			"%s must be an array of requirement strings", what);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			problem(c, header_line(c->text, table),
				"%s: entry %zu is not a string", what, i + 1);
			continue;
		}
		add_requirement_string(c, json_string_value(v),
				       locate(c, table, json_string_value(v)),
				       NULL, 0);
	}
}

/* True for an array of strings only. */
static bool string_array(json_t *a)
{
	size_t i;
	json_t *v;
	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return false;
	}
	return true;
}

/* ---- PEP 735 ---- */

/*
 * Total [dependency-groups] entries all --group selections may walk: far
 * above real projects, so that a crafted file is refused with the limit
 * named instead of running for minutes. Nesting needs no limit of its own:
 * the expansion keeps its stack on the heap.
 */
#define MAX_GROUP_ENTRIES 100000

/* The group of `groups` whose normalised name is `name`, or NULL. */
static json_t *find_group(json_t *groups, const char *name, const char **key)
{
	const char *k;
	json_t *v;
	json_object_foreach(groups, k, v) {
		_cleanup_free_ char *n = pep503_normalise(k);
		if (!strcmp(n, name)) {
			*key = k;
			return v;
		}
	}
	return NULL;
}

/* One [dependency-groups] group, indexed by normalised name. */
struct group_ent {
	char *norm;
	const char *key;  /* as written (borrowed from the JSON) */
	json_t *value;
	size_t order;     /* position in the table, for messages */
	int state;        /* 0 not yet, 1 being expanded, 2 done */
};

struct group_index {
	struct group_ent *v;
	size_t nr;
};

static int group_cmp(const void *a, const void *b)
{
	const struct group_ent *x = a, *y = b;
	int d = strcmp(x->norm, y->norm);
	if (d)
		return d;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void group_index_build(struct group_index *gi, json_t *groups)
{
	gi->nr = 0;
	gi->v = xmalloc(sizeof(*gi->v) * (json_object_size(groups) + 1));
	const char *k;
	json_t *v;
	json_object_foreach(groups, k, v) {
		struct group_ent *e = &gi->v[gi->nr];
		e->norm = pep503_normalise(k);
		e->key = k;
		e->value = v;
		e->order = gi->nr++;
		e->state = 0;
	}
	qsort(gi->v, gi->nr, sizeof(*gi->v), group_cmp);
}

static void group_index_clear(struct group_index *gi)
{
	for (size_t i = 0; i < gi->nr; i++)
		free(gi->v[i].norm);
	free(gi->v);
	gi->v = NULL;
	gi->nr = 0;
}

/* The first group (in table order) named `norm`, or NULL: O(log n). */
static struct group_ent *group_lookup(struct group_index *gi, const char *norm)
{
	size_t lo = 0, hi = gi->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(gi->v[mid].norm, norm) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < gi->nr && !strcmp(gi->v[lo].norm, norm) ? &gi->v[lo] : NULL;
}

/*
 * Expands group `start` and what it includes, each group once (a group
 * included twice adds the same requirements, which pip merges: expanding
 * it again would only repeat them, exponentially for a "diamond"), with an
 * explicit stack so that a long include chain neither recurses nor scans
 * the chain for cycles (state 1 marks the groups on the stack).
 */
static void add_dependency_group(struct ctx *c, struct group_index *gi,
				 struct group_ent *start, size_t *budget)
{
	struct frame {
		struct group_ent *g;
		size_t next;
	};
	struct frame *st = NULL;
	size_t nr = 0, alloc = 0;
	if (start->state)
		return;
	if (!json_is_array(start->value)) {
		start->state = 2;
		problem(c, locate_key(c, "dependency-groups", start->key),
			"[dependency-groups] %s must be an array", start->key);
		return;
	}
	GROW(st, alloc, 1);
	st[nr++] = (struct frame){start, 0};
	start->state = 1;
	while (nr) {
		struct frame *f = &st[nr - 1];
		struct group_ent *g = f->g;
		if (f->next >= json_array_size(g->value)) {
			g->state = 2;
			nr--;
			continue;
		}
		size_t i = f->next++;
		json_t *v = json_array_get(g->value, i);
		if (*budget == 0) {
			problem(c, locate_key(c, "dependency-groups", g->key),
				"[dependency-groups] %s: more than %d entries "
				"to expand in total (include-group): refused",
				g->key, MAX_GROUP_ENTRIES);
			for (size_t k = 0; k < nr; k++)
				st[k].g->state = 2;
			break;
		}
		(*budget)--;
		if (json_is_string(v)) {
			add_requirement_string(c, json_string_value(v),
					       locate(c, "dependency-groups",
						      json_string_value(v)),
					       NULL, 0);
			continue;
		}
		json_t *inc = json_object_get(v, "include-group");
		if (!json_is_object(v) || json_object_size(v) != 1 ||
		    !json_is_string(inc)) {
			problem(c, locate_key(c, "dependency-groups", g->key),
				"[dependency-groups] %s: entry %zu is neither a "
				"requirement string nor {include-group = \"NAME\"}",
				g->key, i + 1);
			continue;
		}
		const char *iname = json_string_value(inc);
		_cleanup_free_ char *n = pep503_normalise(iname);
		struct group_ent *t = group_lookup(gi, n);
		if (!t) {
			problem(c, locate(c, "dependency-groups", iname),
				"[dependency-groups] %s: include-group '%s': no "
				"such group", g->key, iname);
			continue;
		}
		if (t->state == 2)
			continue; /* already added */
		if (t->state == 1) {
			struct strbuf chain = STRBUF_INIT;
			size_t k = 0;
			while (k < nr && st[k].g != t)
				k++;
			for (; k < nr; k++)
				strbuf_addf(&chain, "%s -> ", st[k].g->norm);
			strbuf_addstr(&chain, t->norm);
			problem(c, locate_key(c, "dependency-groups", t->key),
				"[dependency-groups] include-group cycle: %s",
				chain.buf);
			strbuf_release(&chain);
			continue;
		}
		if (!json_is_array(t->value)) {
			t->state = 2;
			problem(c, locate_key(c, "dependency-groups", t->key),
				"[dependency-groups] %s must be an array", t->key);
			continue;
		}
		t->state = 1;
		GROW(st, alloc, nr + 1);
		st[nr++] = (struct frame){t, 0};
	}
	free(st);
}

/* Two group names that normalise alike are an error (PEP 735). */
static void check_group_names(struct ctx *c, struct group_index *gi)
{
	for (size_t i = 1; i < gi->nr; i++)
		if (!strcmp(gi->v[i].norm, gi->v[i - 1].norm))
			problem(c, locate_key(c, "dependency-groups", gi->v[i].key),
				"[dependency-groups] '%s': another group has the "
				"same normalised name '%s'", gi->v[i].key,
				gi->v[i].norm);
}

/* ---- Poetry ---- */

static void add_poetry_dep(struct ctx *c, const char *table, const char *name,
			   json_t *spec, bool from_extra);

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static char *python_range_marker(const char *constraint, char **err);

/*
 * python = "^3.8" as a marker: 'python_version >= "3.8" and ...'. Unlike a
 * package version, a Python constraint may have alternatives ("~2.7 ||
 * ^3.6", poetry-core splits on '|' or '||'): a marker can say "or".
 * Returns a new string ("" for any Python), or NULL with *err set.
 */
static char *python_marker(const char *constraint, char **err)
{
	if (!strchr(constraint, '|'))
		return python_range_marker(constraint, err);
	struct strbuf m = STRBUF_INIT;
	_cleanup_free_ char *copy = xstrdup(constraint);
	char *save = NULL;
	for (char *alt = strtok_r(copy, "|", &save); alt;
	     alt = strtok_r(NULL, "|", &save)) {
		_cleanup_free_ char *one = python_range_marker(alt, err);
		if (!one) {
			strbuf_release(&m);
			return NULL;
		}
		if (!*one) { /* "*" among the alternatives: any Python */
			strbuf_release(&m);
			return xstrdup("");
		}
		strbuf_addf(&m, "%s(%s)", m.len ? " or " : "", one);
	}
	return strbuf_detach(&m);
}

static char *python_range_marker(const char *constraint, char **err)
{
	_cleanup_free_ char *spec = NULL;
	if (poetry_constraint(constraint, &spec, err) < 0)
		return NULL;
	struct strbuf m = STRBUF_INIT;
	char *save = NULL;
	for (char *t = strtok_r(spec, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		size_t op = strspn(t, "<>=!~");
		const char *ver = t + op;
		/* python_version is "3.8": longer versions compare the full one. */
		int dots = 0;
		for (const char *p = ver; *p; p++)
			dots += *p == '.';
		bool full = dots >= 2 && !str_ends_with(ver, ".*");
		strbuf_addf(&m, "%s%s %.*s \"%s\"", m.len ? " and " : "",
			    full ? "python_full_version" : "python_version",
			    (int)op, t, ver);
	}
	return strbuf_detach(&m);
}

static void add_poetry_table_dep(struct ctx *c, const char *table,
				 const char *name, json_t *t, bool from_extra)
{
	int line = locate_key(c, table, name);
	if (json_is_true(json_object_get(t, "optional")) && !from_extra)
		return; /* only through [tool.poetry.extras] */
	if (json_object_get(t, "path")) {
		problem(c, line, "%s: local path '%s' cannot be scanned from an "
			"index", name, jstr(t, "path") ? jstr(t, "path") : "?");
		return;
	}
	if (jstr(t, "source")) {
		problem(c, line, "%s: source = \"%s\" ([[tool.poetry.source]]) is "
			"not followed: give that index with --index-url or "
			"--extra-index-url", name, jstr(t, "source"));
		return;
	}
	struct strbuf req = STRBUF_INIT;
	strbuf_addstr(&req, name);
	json_t *extras = json_object_get(t, "extras");
	if (json_is_array(extras) && json_array_size(extras)) {
		strbuf_addch(&req, '[');
		size_t i;
		json_t *e;
		json_array_foreach(extras, i, e) {
			strbuf_addf(&req, "%s%s", i ? "," : "",
				    json_string_value(e) ? json_string_value(e) : "");
		}
		strbuf_addch(&req, ']');
	}
	_cleanup_free_ char *err = NULL;
	_cleanup_free_ char *spec = NULL;
	const char *git = jstr(t, "git"), *url = jstr(t, "url");
	if (git) {
		strbuf_addf(&req, " @ git+%s", git);
		const char *rev = jstr(t, "rev") ? jstr(t, "rev")
			: jstr(t, "tag") ? jstr(t, "tag") : jstr(t, "branch");
		if (rev)
			strbuf_addf(&req, "@%s", rev);
		if (jstr(t, "subdirectory"))
			strbuf_addf(&req, "#subdirectory=%s",
				    jstr(t, "subdirectory"));
	} else if (url) {
		strbuf_addf(&req, " @ %s", url);
	} else {
		const char *v = jstr(t, "version");
		if (v && poetry_constraint(v, &spec, &err) < 0) {
			problem(c, line, "%s: %s", name, err);
			strbuf_release(&req);
			return;
		}
		if (spec)
			strbuf_addstr(&req, spec);
	}
	_cleanup_free_ char *marker = NULL;
	if (jstr(t, "markers"))
		marker = xstrdup(jstr(t, "markers"));
	if (jstr(t, "python")) {
		char *pm = python_marker(jstr(t, "python"), &err);
		if (!pm) {
			problem(c, line, "%s: python = \"%s\": %s", name,
				jstr(t, "python"), err);
			strbuf_release(&req);
			return;
		}
		char *m = and_markers(marker, pm);
		free(pm);
		free(marker);
		marker = m;
	}
	if (jstr(t, "platform")) {
		_cleanup_free_ char *pm =
			xasprintf("sys_platform == \"%s\"", jstr(t, "platform"));
		char *m = and_markers(marker, pm);
		free(marker);
		marker = m;
	}
	if (marker)
		strbuf_addf(&req, "%s; %s", git || url ? " " : "", marker);
	if (json_is_true(json_object_get(t, "allow-prereleases")) ||
	    json_is_true(json_object_get(t, "allows-prereleases"))) {
		c->in->pre = true;
		if (!strvec_contains(&c->in->pip_options, "--pre"))
			strvec_push(&c->in->pip_options, "--pre");
	}
	add_requirement_string(c, req.buf, line, NULL, 0);
	strbuf_release(&req);
}

static void add_poetry_dep(struct ctx *c, const char *table, const char *name,
			   json_t *spec, bool from_extra)
{
	if (!strcasecmp(name, "python"))
		return; /* the Python the project supports, not a package */
	if (json_is_string(spec)) {
		_cleanup_free_ char *out = NULL, *err = NULL;
		int line = locate_key(c, table, name);
		if (poetry_constraint(json_string_value(spec), &out, &err) < 0) {
			problem(c, line, "%s: %s", name, err);
			return;
		}
		_cleanup_free_ char *req = xasprintf("%s%s", name, out);
		add_requirement_string(c, req, line, NULL, 0);
	} else if (json_is_object(spec)) {
		add_poetry_table_dep(c, table, name, spec, from_extra);
	} else if (json_is_array(spec)) {
		/* Multiple constraints: one requirement each (by markers). */
		size_t i;
		json_t *t;
		json_array_foreach(spec, i, t) {
			if (json_is_object(t))
				add_poetry_table_dep(c, table, name, t, from_extra);
			else
				problem(c, locate_key(c, table, name),
					"%s: entry %zu of the multiple-constraints "
					"array is not a table", name, i + 1);
		}
	} else {
		problem(c, locate_key(c, table, name),
			"%s: a dependency is a version string or a table", name);
	}
}

static void add_poetry_table(struct ctx *c, json_t *deps, const char *table)
{
	if (!json_is_object(deps)) {
		problem(c, header_line(c->text, table), "[%s] must be a table",
			table);
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(deps, k, v) {
		add_poetry_dep(c, table, k, v, false);
	}
}

/* [tool.poetry.extras] NAME = ["pkg", ...]: the optional dependencies. */
static bool add_poetry_extra(struct ctx *c, json_t *extras, const char *extra)
{
	const char *k;
	json_t *names;
	json_object_foreach(extras, k, names) {
		_cleanup_free_ char *n = pep503_normalise(k);
		if (strcmp(n, extra))
			continue;
		size_t i;
		json_t *pkg;
		if (!string_array(names)) {
			problem(c, locate_key(c, "tool.poetry.extras", k),
				"[tool.poetry.extras] %s must be an array of "
				"package names", k);
			return true;
		}
		json_array_foreach(names, i, pkg) {
			const char *pname = json_string_value(pkg);
			_cleanup_free_ char *pn = pep503_normalise(pname);
			const char *dk;
			json_t *dv;
			bool found = false;
			json_object_foreach(c->poetry_deps, dk, dv) {
				_cleanup_free_ char *dn = pep503_normalise(dk);
				if (!strcmp(dn, pn)) {
					add_poetry_dep(c, "tool.poetry.dependencies",
						       dk, dv, true);
					found = true;
				}
			}
			if (!found)
				problem(c, locate(c, "tool.poetry.extras", pname),
					"[tool.poetry.extras] %s: '%s' is not in "
					"[tool.poetry.dependencies]", k, pname);
		}
		return true;
	}
	return false;
}

static void known_names(struct strbuf *sb, json_t *obj)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		strbuf_addf(sb, "%s%s", sb->len ? ", " : "", k);
	}
}

static bool in_array(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	}
	return false;
}

/*
 * obj[key] when it is a table; NULL when absent, or after a problem naming
 * the key when it has another type (a string or number where a table
 * belongs is a mistake, not "no dependencies").
 */
static json_t *table_or_null(struct ctx *c, json_t *obj, const char *key,
			     const char *table, const char *shown)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_object(v) && !json_object_get(v, "toml-value"))
		return v;
	int line = header_line_cached(c, table);
	if (!line) {
		const char *dot = strrchr(table, '.');
		line = locate_key(c, dot ? "project" : table, dot ? dot + 1 : key);
	}
	problem(c, line, "%s must be a table", shown);
	return NULL;
}

static void convert(struct ctx *c, json_t *root)
{
	if (!json_is_object(root)) {
		problem(c, 0, "the TOML helper's output is not a JSON object");
		return;
	}
	int before = c->count;
	json_t *project = table_or_null(c, root, "project", "project", "[project]");
	json_t *groups = table_or_null(c, root, "dependency-groups",
				       "dependency-groups", "[dependency-groups]");
	json_t *poetry = table_or_null(c, root, "poetry", "tool.poetry",
				       "[tool.poetry]");
	json_t *pdeps = poetry ? json_object_get(poetry, "dependencies") : NULL;
	c->poetry_deps = json_is_object(pdeps) ? pdeps : NULL;
	json_t *dynamic = project ? json_object_get(project, "dynamic") : NULL;
	if (dynamic && !string_array(dynamic)) {
		problem(c, locate_key(c, "project", "dynamic"),
			"[project] dynamic must be an array of field names");
		dynamic = NULL;
	}
	json_t *name = project ? json_object_get(project, "name") : NULL;
	if (json_is_string(name))
		c->self = pep503_normalise(json_string_value(name));
	else if (name)
		problem(c, locate_key(c, "project", "name"),
			"[project] name must be a string");
	if (project) {
		c->optional = table_or_null(c, project, "optional-dependencies",
					    "project.optional-dependencies",
					    "[project.optional-dependencies]");
		const char *k;
		json_t *v;
		if (c->optional)
			json_object_foreach(c->optional, k, v) {
				if (!json_is_array(v))
					problem(c, locate_key(c, "project.optional-"
							      "dependencies", k),
						"[project.optional-dependencies] "
						"%s must be an array of "
						"requirement strings", k);
			}
	}

	/* Main dependencies. */
	json_t *deps = project ? json_object_get(project, "dependencies") : NULL;
	if (deps) {
		add_string_array(c, deps, "project", "[project] dependencies");
	} else if (project && in_array(dynamic, "dependencies") && !pdeps) {
		problem(c, locate(c, "project", "dependencies"),
			"[project] dependencies are dynamic: the build backend "
			"computes them at build time, so they cannot be read "
			"statically; write them out (e.g. pip-compile or "
			"`pip install --dry-run --report`) to a requirements file "
			"and scan that with -r");
	} else if (pdeps) {
		add_poetry_table(c, pdeps, "tool.poetry.dependencies");
	} else if (!project && !groups && !poetry && c->count == before) {
		problem(c, 0, "no [project], [dependency-groups] or [tool.poetry] "
			"table: no dependencies to scan");
	}

	/* Extras: --all-extras, then each --extra (found in either table). */
	json_t *pextras = poetry ? table_or_null(c, poetry, "extras",
						 "tool.poetry.extras",
						 "[tool.poetry.extras]")
				 : NULL;
	if (!c->poetry_deps)
		pextras = NULL;
	_cleanup_strvec_ struct strvec want = STRVEC_INIT;
	_cleanup_strvec_ struct strvec done = STRVEC_INIT;
	const char *k;
	json_t *v;
	if (c->o->all_extras) {
		if (c->optional)
			json_object_foreach(c->optional, k, v) {
				strvec_push_nodup(&want, pep503_normalise(k));
			}
		if (pextras)
			json_object_foreach(pextras, k, v) {
				strvec_push_nodup(&want, pep503_normalise(k));
			}
	}
	for (size_t i = 0; c->o->extras && i < c->o->extras->nr; i++)
		strvec_push(&want, c->o->extras->v[i]);
	for (size_t i = 0; i < want.nr; i++) {
		const char *e = want.v[i];
		if (strvec_contains(&done, e))
			continue;
		strvec_push(&done, e);
		bool found = c->optional && add_optional(c, e, 0, NULL, 0);
		if (pextras && add_poetry_extra(c, pextras, e))
			found = true;
		if (found)
			continue;
		if (in_array(dynamic, "optional-dependencies")) {
			problem(c, 0, "--extra %s: [project] optional-dependencies "
				"are dynamic (computed at build time) and cannot "
				"be read statically", e);
			continue;
		}
		struct strbuf known = STRBUF_INIT;
		if (c->optional)
			known_names(&known, c->optional);
		if (pextras)
			known_names(&known, pextras);
		problem(c, 0, "--extra %s: no such extra (%s%s)", e,
			known.len ? "known: " : "the file defines none",
			known.buf);
		strbuf_release(&known);
	}

	/* Groups: PEP 735 and Poetry. */
	json_t *pgroups = poetry ? table_or_null(c, poetry, "group",
						 "tool.poetry.group",
						 "[tool.poetry.group]")
				 : NULL;
	struct group_index gi = {0};
	size_t budget = MAX_GROUP_ENTRIES;
	if (groups) {
		group_index_build(&gi, groups);
		check_group_names(c, &gi);
	}
	for (size_t i = 0; c->o->groups && i < c->o->groups->nr; i++) {
		const char *g = c->o->groups->v[i];
		bool found = false;
		const char *key;
		struct group_ent *ge = groups ? group_lookup(&gi, g) : NULL;
		if (ge) {
			add_dependency_group(c, &gi, ge, &budget);
			found = true;
		}
		json_t *pg = pgroups ? find_group(pgroups, g, &key) : NULL;
		if (pg && !json_is_object(pg)) {
			_cleanup_free_ char *table =
				xasprintf("tool.poetry.group.%s", key);
			problem(c, locate_key(c, "tool.poetry.group", key),
				"[%s] must be a table", table);
			found = true;
		} else if (pg) {
			_cleanup_free_ char *table =
				xasprintf("tool.poetry.group.%s.dependencies", key);
			json_t *d = json_object_get(pg, "dependencies");
			if (d)
				add_poetry_table(c, d, table);
			found = true;
		}
		json_t *dev = poetry ? json_object_get(poetry, "dev-dependencies")
				     : NULL;
		if (!strcmp(g, "dev") && dev && !pg) {
			add_poetry_table(c, dev, "tool.poetry.dev-dependencies");
			found = true;
		}
		if (found)
			continue;
		struct strbuf known = STRBUF_INIT;
		if (groups)
			known_names(&known, groups);
		if (pgroups)
			known_names(&known, pgroups);
		problem(c, 0, "--group %s: no such dependency group (%s%s)", g,
			known.len ? "known: " : "the file defines none",
			known.buf);
		strbuf_release(&known);
	}
	group_index_clear(&gi);
}

/* Parses the helper's JSON output and converts it (problems into c). */
static void convert_output(struct ctx *c, const char *helper,
			   const char *json, size_t len)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, 0, &jerr);
	if (!root)
		problem(c, 0, "cannot read the output of %s: %s", helper,
			jerr.text);
	else
		convert(c, root);
	json_decref(root);
}

static const char *probe_dir(const struct pyproject_opts *o)
{
	if (o->probe_dir)
		return o->probe_dir;
	const char *e = getenv("PIPCANARY_PROBE_DIR");
	return e && *e ? e : PIPCANARY_PROBE_DIR;
}

int pyproject_read(struct input *in, const char *path,
		   const struct pyproject_opts *o, struct strvec *problems)
{
	struct ctx c = {.in = in, .path = path, .o = o, .problems = problems};
	struct strbuf text = STRBUF_INIT;
	if (strbuf_read_file(&text, path, 16u << 20) < 0) {
		problem(&c, 0, "cannot read: %s", strerror(errno));
		strbuf_release(&text);
		return c.count;
	}
	c.text = strbuf_detach(&text);

	const char *python = o->python ? o->python : "python3";
	_cleanup_free_ char *helper =
		xasprintf("%s/pyproject_reqs.py", probe_dir(o));
	if (access(helper, R_OK) < 0) {
		problem(&c, 0, "cannot read pipcanary's TOML helper %s: %s (set "
			"PIPCANARY_PROBE_DIR to pipcanary's probe folder)", helper,
			strerror(errno));
		free(c.text);
		return c.count;
	}
	const char *argv[] = {python, "-I", helper, path, NULL};
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
	int rc = run_capture(argv, &out, &err, 0);
	if (rc < 0) {
		problem(&c, 0, "cannot run %s to read TOML: %s", python,
			strerror(errno));
	} else if (rc != 0) {
		/* The helper prints "FILE:LINE: message" lines itself. */
		strbuf_trim(&err);
		char *save = NULL;
		bool any = false;
		for (char *l = strtok_r(err.buf, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save)) {
			/* Its own "FILE:..." lines as they are; anything else
			 * (Python's "can't open file", a traceback) gets the
			 * file name put before it. */
			if ((rc == 1 || rc == 2) && str_starts_with(l, path) &&
			    l[strlen(path)] == ':') {
				strvec_push(problems, l);
				c.count++;
			} else {
				problem(&c, 0, "%s", l);
			}
			any = true;
		}
		if (!any)
			problem(&c, 0, "%s exited with status %d", helper, rc);
	} else {
		convert_output(&c, helper, out.buf, out.len);
	}
	ctx_clear(&c);
	return c.count;
}

int pyproject_convert_json(struct input *in, const char *path,
			   const char *toml_text, const char *json, size_t len,
			   const struct pyproject_opts *o,
			   struct strvec *problems)
{
	struct ctx c = {.in = in, .path = path, .o = o, .problems = problems,
			.text = xstrdup(toml_text ? toml_text : "")};
	convert_output(&c, "the TOML helper", json, len);
	ctx_clear(&c);
	return c.count;
}
