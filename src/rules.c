/*
 * rules.c - loads rule files (format: docs/rules.md) and matches events.
 *
 * A rule is data: classes of event, path/peer/name globs, an optional POSIX
 * extended regular expression, phase restrictions, except patterns for
 * benign look-alikes, and the two lines the report prints. Matching walks the
 * rules most severe first (load order among equals) and returns the first
 * that matches. Events carry attacker-chosen paths, so the glob matcher has a
 * step budget: a pattern/path pair that would take too long counts as a
 * match for "match" lines and as no match for "except" lines (fail closed).
 */
#include "rules.h"
#include "util.h"

#include <errno.h>
#include <regex.h>
#include <string.h>

/* classes of a match/except line (bit per enum event_class, plus dns) */
#define CLS_BIT(c) (1u << (c))
#define CLS_DNS (1u << 8)
#define CLS_PATHS (CLS_BIT(EVENT_READ) | CLS_BIT(EVENT_WRITE) | CLS_BIT(EVENT_PROBE))

enum pat_kind { PAT_GLOB, PAT_ANY, PAT_UNLISTED };
struct pattern {
	unsigned classes;
	enum pat_kind kind;
	char *text;
	/* text with ~ expanded for the ruleset's cached home (NULL: a ~
	 * pattern and no home), and the length of its literal start: a path
	 * that does not begin with it cannot match, so most patterns are
	 * rejected by one strncmp */
	char *full;
	size_t lit;
};

enum { PH_INSTALL = 1, PH_BUILD = 2, PH_IMPORT = 4, PH_STARTUP = 8, PH_RESOLVE = 16 };

struct rule {
	char *id, *category, *description, *explanation, *show, *regex_text;
	enum severity sev;
	bool has_sev;
	struct pattern *match, *except;
	size_t nr_match, alloc_match, nr_except, alloc_except;
	unsigned phases; /* 0: every phase */
	bool has_regex;
	regex_t re;
	bool after_memfd;
	bool bad; /* a problem was reported in its header */
	char *file;
	int line;
	size_t order;
};

struct ruleset {
	struct rule **v;
	size_t nr, alloc;
	size_t next_order;
	/* the home the patterns' "full" texts were expanded for; matching
	 * re-expands when an event names another home (the monitor uses one
	 * home per scan, so that is once) */
	char *home;
	bool prepared;
};

static void rule_free(struct rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->category);
	free(r->description);
	free(r->explanation);
	free(r->show);
	free(r->regex_text);
	for (size_t i = 0; i < r->nr_match; i++) {
		free(r->match[i].text);
		free(r->match[i].full);
	}
	for (size_t i = 0; i < r->nr_except; i++) {
		free(r->except[i].text);
		free(r->except[i].full);
	}
	free(r->match);
	free(r->except);
	if (r->has_regex)
		regfree(&r->re);
	free(r->file);
	free(r);
}

struct ruleset *ruleset_new(void)
{
	return xcalloc(1, sizeof(struct ruleset));
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nr; i++)
		rule_free(rs->v[i]);
	free(rs->v);
	free(rs->home);
	free(rs);
}

size_t ruleset_count(const struct ruleset *rs)
{
	return rs ? rs->nr : 0;
}

const char *rule_id(const struct rule *r) { return r->id; }
const char *rule_category(const struct rule *r) { return r->category; }
enum severity rule_severity(const struct rule *r) { return r->sev; }
const char *rule_description(const struct rule *r) { return r->description; }
const char *rule_explanation(const struct rule *r) { return r->explanation; }

/* ---------------------------------------------------------------- glob */

#define GLOB_BUDGET 200000
#define MAX_STARS 8

struct globctx {
	long steps;
	bool exhausted;
};

/* [...] class at p (p after '['); returns the position after ']' or NULL
 * when malformed; *hit says whether c is in it. */
static const char *glob_class(const char *p, char c, bool *hit)
{
	bool neg = false;
	*hit = false;
	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	bool first = true;
	while (*p && (first || *p != ']')) {
		char lo = *p, hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 3;
		} else {
			p++;
		}
		if ((unsigned char)c >= (unsigned char)lo &&
		    (unsigned char)c <= (unsigned char)hi)
			*hit = true;
		first = false;
	}
	if (*p != ']')
		return NULL;
	if (neg)
		*hit = !*hit;
	return p + 1;
}

/* Matches s against pattern p. pathmode: '*' and '?' stop at '/', '**'
 * spans folders (zero or more). */
static bool glob_rec(const char *p, const char *s, bool pathmode,
		     struct globctx *g)
{
	while (*p) {
		if (++g->steps > GLOB_BUDGET) {
			g->exhausted = true;
			return false;
		}
		if (p[0] == '*' && p[1] == '*' && pathmode) {
			p += 2;
			while (*p == '*')
				p++;
			if (*p == '/')
				p++;
			if (!*p)
				return true;
			for (const char *t = s;;) {
				if (glob_rec(p, t, pathmode, g))
					return true;
				if (g->exhausted)
					return false;
				t = strchr(t, '/');
				if (!t)
					return false;
				t++;
			}
		}
		if (*p == '*') {
			while (*p == '*' && !(pathmode && p[1] == '*'))
				p++;
			if (*p == '*') /* "**" follows */
				continue;
			for (const char *t = s;; t++) {
				if (glob_rec(p, t, pathmode, g))
					return true;
				if (g->exhausted || !*t || (pathmode && *t == '/'))
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			if (pathmode && *s == '/')
				return false;
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			bool hit;
			const char *q = glob_class(p + 1, *s, &hit);
			if (q) {
				if (!hit || (pathmode && *s == '/'))
					return false;
				p = q;
				s++;
				continue;
			}
			/* a lone '[' is literal */
		}
		if (*p == '\\' && p[1])
			p++;
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}

/* Returns the match; on budget exhaustion returns on_exhaust. */
static bool glob_match(const char *pat, const char *s, bool pathmode,
		       bool on_exhaust)
{
	struct globctx g = {0, false};
	if (glob_rec(pat, s, pathmode, &g))
		return true;
	if (g.exhausted)
		return on_exhaust;
	/* "X/" + "**" also names the folder X itself */
	size_t n = strlen(pat);
	if (pathmode && n >= 3 && strcmp(pat + n - 3, "/**") == 0) {
		char *prefix = xstrndup(pat, n - 3);
		struct globctx g2 = {0, false};
		bool r = glob_rec(prefix, s, pathmode, &g2);
		free(prefix);
		if (g2.exhausted)
			return on_exhaust;
		return r;
	}
	return false;
}

static bool has_glob(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '\\')
			return true;
	return false;
}

/* ~/x -> home/x (a new string), absolute -> copy, NULL when ~ and no home */
static char *expand_home(const char *pat, const char *home)
{
	if (pat[0] == '~') {
		if (!home || !*home)
			return NULL;
		size_t hl = strlen(home);
		while (hl > 1 && home[hl - 1] == '/')
			hl--;
		return xasprintf("%.*s%s", (int)hl, home, pat + 1);
	}
	return xstrdup(pat);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool peer_listed(const char *peer, const char *const *allowed)
{
	for (; allowed && *allowed; allowed++)
		if (strcmp(*allowed, peer) == 0)
			return true;
	return false;
}

/* Does one pattern match the event? *shown (may be NULL) receives the
 * expanded pattern for path classes (for shown_path). */
static bool pattern_match(const struct pattern *pt, const struct rule_event *ev,
			  bool on_exhaust, char **expanded)
{
	if (expanded)
		*expanded = NULL;
	bool dns = ev->cls == EVENT_CONNECT && ev->path && ev->peer;
	if (dns && (pt->classes & CLS_DNS))
		return pt->kind == PAT_ANY ||
		       glob_match(pt->text, ev->path, false, on_exhaust);
	if (!(pt->classes & CLS_BIT(ev->cls)))
		return false;
	switch (ev->cls) {
	case EVENT_READ:
	case EVENT_WRITE:
	case EVENT_PROBE: {
		if (!ev->path)
			return false;
		if (pt->kind == PAT_ANY)
			return true;
		if (!pt->full || strncmp(ev->path, pt->full, pt->lit) != 0)
			return false;
		bool r = glob_match(pt->full, ev->path, true, on_exhaust);
		if (r && expanded)
			*expanded = xstrdup(pt->full);
		return r;
	}
	case EVENT_EXEC: {
		const char *cands[2] = {ev->path, ev->argv ? ev->argv[0] : NULL};
		if (pt->kind == PAT_ANY)
			return cands[0] || cands[1];
		bool slash = strchr(pt->text, '/') != NULL;
		if (slash && !pt->full)
			return false;
		bool r = false;
		for (int i = 0; i < 2 && !r; i++) {
			if (!cands[i])
				continue;
			if (slash)
				r = strncmp(cands[i], pt->full, pt->lit) == 0 &&
				    glob_match(pt->full, cands[i], true, on_exhaust);
			else
				r = glob_match(pt->text, base_name(cands[i]), false,
					       on_exhaust);
		}
		if (r && expanded && slash)
			*expanded = xstrdup(pt->full);
		return r;
	}
	case EVENT_CONNECT:
		if (!ev->peer)
			return false;
		if (pt->kind == PAT_ANY)
			return true;
		if (pt->kind == PAT_UNLISTED)
			return !peer_listed(ev->peer, ev->allowed_peers);
		/* full: a unix socket under the home expanded */
		return pt->full && strncmp(ev->peer, pt->full, pt->lit) == 0 &&
		       glob_match(pt->full, ev->peer, false, on_exhaust);
	case EVENT_SYSCALL:
		if (!ev->syscall)
			return false;
		if (pt->kind == PAT_ANY)
			return true;
		return glob_match(pt->text, ev->syscall, false, on_exhaust);
	}
	return false;
}

static unsigned phase_bit(const char *s)
{
	if (!s)
		return 0;
	if (strcmp(s, "install") == 0)
		return PH_INSTALL;
	if (strcmp(s, "build") == 0)
		return PH_BUILD;
	if (strcmp(s, "import") == 0)
		return PH_IMPORT;
	if (strcmp(s, "startup") == 0)
		return PH_STARTUP;
	if (strcmp(s, "resolve") == 0) /* --no-scan: pip install --dry-run */
		return PH_RESOLVE;
	return 0;
}

/* The text the regex line is matched against (caller frees). */
static char *regex_subject(const struct rule_event *ev)
{
	if (ev->cls == EVENT_EXEC) {
		struct strbuf sb = STRBUF_INIT;
		if (ev->argv && ev->argv[0])
			for (size_t i = 1; ev->argv[i]; i++) {
				if (i > 1)
					strbuf_addch(&sb, ' ');
				strbuf_addstr(&sb, ev->argv[i]);
			}
		return strbuf_detach(&sb);
	}
	if (ev->cls == EVENT_CONNECT)
		return xstrdup(ev->path ? ev->path : ev->peer ? ev->peer : "");
	if (ev->cls == EVENT_SYSCALL)
		return xstrdup(ev->syscall ? ev->syscall : "");
	return xstrdup(ev->path ? ev->path : "");
}

/* What the finding names: "show" line, else the rule's folder for a
 * "X/" + "**" pattern, else the exact path/peer/program. */
static char *shown_for(const struct rule *r, const struct rule_event *ev,
		       const char *expanded)
{
	if (r->show) {
		char *s = expand_home(r->show, ev->home);
		if (s)
			return s;
	}
	if (expanded) {
		size_t n = strlen(expanded);
		if (n > 3 && strcmp(expanded + n - 3, "/**") == 0 &&
		    !has_glob(expanded, n - 3))
			return xstrndup(expanded, n - 3);
		if (!has_glob(expanded, n))
			return xstrdup(expanded);
	}
	switch (ev->cls) {
	case EVENT_CONNECT:
		if (ev->path && ev->peer)
			return xasprintf("%s (DNS query to %s)", ev->path, ev->peer);
		return xstrdup(ev->peer ? ev->peer : "");
	case EVENT_EXEC:
		return xstrdup(ev->path ? ev->path
			       : ev->argv && ev->argv[0] ? ev->argv[0] : "");
	case EVENT_SYSCALL:
		return xstrdup(ev->path ? ev->path : ev->syscall ? ev->syscall : "");
	default:
		return xstrdup(ev->path ? ev->path : "");
	}
}

static bool rule_matches(const struct rule *r, const struct rule_event *ev,
			 char **expanded)
{
	*expanded = NULL;
	if (r->phases && !(r->phases & phase_bit(ev->phase)))
		return false;
	if (r->after_memfd && !ev->after_memfd)
		return false;
	char *exp = NULL;
	bool hit = false;
	for (size_t i = 0; i < r->nr_match && !hit; i++)
		hit = pattern_match(&r->match[i], ev, true, &exp);
	if (!hit)
		return false;
	for (size_t i = 0; i < r->nr_except; i++)
		if (pattern_match(&r->except[i], ev, false, NULL)) {
			free(exp);
			return false;
		}
	if (r->has_regex) {
		char *subj = regex_subject(ev);
		int rc = regexec(&r->re, subj, 0, NULL, 0);
		free(subj);
		if (rc != 0) {
			free(exp);
			return false;
		}
	}
	*expanded = exp;
	return true;
}

/* Length of the literal start of a glob: up to the first special
 * character, less a trailing '/' (so "X/" + "**" keeps matching X). */
static size_t literal_len(const char *pat)
{
	size_t n = strcspn(pat, "*?[\\");
	if (n > 0 && pat[n - 1] == '/')
		n--;
	return n;
}

static void prepare_patterns(struct pattern *v, size_t nr, const char *home)
{
	for (size_t i = 0; i < nr; i++) {
		free(v[i].full);
		v[i].full = NULL;
		v[i].lit = 0;
		if (v[i].kind != PAT_GLOB)
			continue;
		v[i].full = expand_home(v[i].text, home);
		if (v[i].full)
			v[i].lit = literal_len(v[i].full);
	}
}

/* Expands every pattern for home unless already done for it. The ruleset
 * is const to its users: this cache is its only mutable state (one thread
 * matches at a time). */
static void prepare(const struct ruleset *crs, const char *home)
{
	struct ruleset *rs = (struct ruleset *)crs;
	if (rs->prepared && ((!home && !rs->home) ||
			     (home && rs->home && strcmp(home, rs->home) == 0)))
		return;
	free(rs->home);
	rs->home = home ? xstrdup(home) : NULL;
	for (size_t i = 0; i < rs->nr; i++) {
		struct rule *r = rs->v[i];
		prepare_patterns(r->match, r->nr_match, home);
		prepare_patterns(r->except, r->nr_except, home);
	}
	rs->prepared = true;
}

const struct rule *ruleset_match(const struct ruleset *rs,
				 const struct rule_event *ev, char **shown_path)
{
	if (shown_path)
		*shown_path = NULL;
	if (!rs || !ev)
		return NULL;
	prepare(rs, ev->home);
	for (size_t i = 0; i < rs->nr; i++) {
		char *exp;
		if (rule_matches(rs->v[i], ev, &exp)) {
			if (shown_path)
				*shown_path = shown_for(rs->v[i], ev, exp);
			free(exp);
			return rs->v[i];
		}
	}
	return NULL;
}

/* -------------------------------------------------------------- loader */

struct loader {
	const char *name;
	int problems;
	struct rule *cur;
	struct ruleset *rs;
	struct rule **added; /* rules of this file, to find duplicate ids */
	size_t nr_added, alloc_added;
};

static void PC_PRINTF(3, 4) problem(struct loader *ld, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", ld->name, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ld->problems++;
}

static int by_severity(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a;
	const struct rule *y = *(const struct rule *const *)b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Ends the rule being read: checks it is complete and adds it. */
static void finish_rule(struct loader *ld)
{
	struct rule *r = ld->cur;
	if (!r)
		return;
	ld->cur = NULL;
	int before = ld->problems;
	if (!r->has_sev)
		problem(ld, r->line, "rule %s has no severity line", r->id);
	if (!r->category)
		problem(ld, r->line, "rule %s has no category line", r->id);
	if (!r->description)
		problem(ld, r->line, "rule %s has no description line", r->id);
	if (!r->explanation)
		problem(ld, r->line, "rule %s has no explanation line", r->id);
	if (r->nr_match == 0)
		problem(ld, r->line, "rule %s has no match line", r->id);
	for (size_t i = 0; i < ld->nr_added; i++)
		if (strcmp(ld->added[i]->id, r->id) == 0) {
			problem(ld, r->line, "duplicate rule id %s (first at line %d)",
				r->id, ld->added[i]->line);
			break;
		}
	/* something wrong inside the rule was already reported */
	if (ld->problems != before || r->bad) {
		rule_free(r);
		return;
	}
	/* a later file's rule with the same id replaces the earlier one;
	 * said aloud, since a rule file can come with the scanned project */
	for (size_t i = 0; i < ld->rs->nr; i++)
		if (strcmp(ld->rs->v[i]->id, r->id) == 0) {
			warnx("%s:%d: rule %s replaces the earlier rule with that "
			      "id",
			      ld->name, r->line, r->id);
			rule_free(ld->rs->v[i]);
			memmove(&ld->rs->v[i], &ld->rs->v[i + 1],
				(ld->rs->nr - i - 1) * sizeof(*ld->rs->v));
			ld->rs->nr--;
			break;
		}
	r->order = ld->rs->next_order++;
	GROW(ld->rs->v, ld->rs->alloc, ld->rs->nr + 1);
	ld->rs->v[ld->rs->nr++] = r;
	GROW(ld->added, ld->alloc_added, ld->nr_added + 1);
	ld->added[ld->nr_added++] = r;
}

static bool valid_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* Parses "read,write" into class bits; 0 on an unknown name (reported). */
static unsigned parse_classes(struct loader *ld, int line, const char *s)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{"read", CLS_BIT(EVENT_READ)},
		{"write", CLS_BIT(EVENT_WRITE)},
		{"probe", CLS_BIT(EVENT_PROBE)},
		{"access", CLS_PATHS},
		{"exec", CLS_BIT(EVENT_EXEC)},
		{"connect", CLS_BIT(EVENT_CONNECT)},
		{"syscall", CLS_BIT(EVENT_SYSCALL)},
		{"dns", CLS_DNS},
	};
	unsigned bits = 0;
	_cleanup_free_ char *copy = xstrdup(s);
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(t, names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(names)) {
			problem(ld, line, "unknown event class '%s' (expected read, write, probe, access, exec, connect, syscall or dns)", t);
			return 0;
		}
		bits |= names[i].bits;
	}
	if (!bits)
		problem(ld, line, "missing event class");
	return bits;
}

static int count_stars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (*s == '*' && s[1] != '*')
			n++;
	return n;
}

/* "match CLASSES PATTERN..." / "except CLASSES PATTERN..." */
static void parse_patterns(struct loader *ld, int line, const char *kw,
			   char *rest, bool is_except)
{
	struct rule *r = ld->cur;
	char *save = NULL;
	char *cls = strtok_r(rest, " \t", &save);
	if (!cls) {
		problem(ld, line, "%s needs an event class and at least one pattern", kw);
		return;
	}
	unsigned bits = parse_classes(ld, line, cls);
	if (!bits)
		return;
	int n = 0;
	for (char *t = strtok_r(NULL, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		struct pattern pt = {.classes = bits, .kind = PAT_GLOB};
		/* "%20" stands for a space inside a pattern ("Login Data") */
		struct strbuf sb = STRBUF_INIT;
		for (const char *c = t; *c; c++) {
			if (c[0] == '%' && c[1] == '2' && c[2] == '0') {
				strbuf_addch(&sb, ' ');
				c += 2;
			} else {
				strbuf_addch(&sb, *c);
			}
		}
		pt.text = strbuf_detach(&sb);
		n++;
		if (strcmp(pt.text, "any") == 0) {
			pt.kind = PAT_ANY;
		} else if (strcmp(pt.text, "unlisted") == 0) {
			pt.kind = PAT_UNLISTED;
			if (bits != CLS_BIT(EVENT_CONNECT)) {
				problem(ld, line, "'unlisted' is a connect pattern only");
				free(pt.text);
				continue;
			}
		} else if ((bits & CLS_PATHS) && pt.text[0] != '/' &&
			   strncmp(pt.text, "~/", 2) != 0 &&
			   strncmp(pt.text, "**/", 3) != 0) {
			problem(ld, line, "path pattern '%s' must start with /, ~/ or **/", pt.text);
			free(pt.text);
			continue;
		}
		if (count_stars(pt.text) > MAX_STARS) {
			problem(ld, line, "pattern '%s' has more than %d '*'", pt.text, MAX_STARS);
			free(pt.text);
			continue;
		}
		if (is_except) {
			GROW(r->except, r->alloc_except, r->nr_except + 1);
			r->except[r->nr_except++] = pt;
		} else {
			GROW(r->match, r->alloc_match, r->nr_match + 1);
			r->match[r->nr_match++] = pt;
		}
	}
	if (n == 0)
		problem(ld, line, "%s %s needs at least one pattern", kw, cls);
}

static bool set_once(struct loader *ld, int line, const char *kw, char **field,
		     const char *value)
{
	if (*field) {
		problem(ld, line, "second %s line in rule %s", kw, ld->cur->id);
		return false;
	}
	if (!*value) {
		problem(ld, line, "empty %s", kw);
		return false;
	}
	*field = xstrdup(value);
	return true;
}

static void parse_line(struct loader *ld, int line, char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (!*s || *s == '#')
		return;
	char *kw = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s) {
		*s++ = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
	}
	char *rest = s;

	if (strcmp(kw, "rule") == 0) {
		finish_rule(ld);
		struct rule *r = xcalloc(1, sizeof(*r));
		r->file = xstrdup(ld->name);
		r->line = line;
		if (!valid_id(rest)) {
			problem(ld, line, "bad rule id '%s' (lower-case letters, digits, '-', '_', '.')", rest);
			r->bad = true; /* read on, but do not add it */
		}
		r->id = xstrdup(rest);
		ld->cur = r;
		return;
	}
	if (!ld->cur) {
		problem(ld, line, "'%s' outside a rule (a rule starts with 'rule ID')", kw);
		return;
	}
	struct rule *r = ld->cur;
	if (strcmp(kw, "category") == 0) {
		set_once(ld, line, kw, &r->category, rest);
	} else if (strcmp(kw, "severity") == 0) {
		if (r->has_sev)
			problem(ld, line, "second severity line in rule %s", r->id);
		else if (!severity_parse(rest, &r->sev))
			problem(ld, line, "unknown severity '%s' (expected note, low, medium, high or critical)", rest);
		else
			r->has_sev = true;
	} else if (strcmp(kw, "description") == 0) {
		set_once(ld, line, kw, &r->description, rest);
	} else if (strcmp(kw, "explanation") == 0) {
		set_once(ld, line, kw, &r->explanation, rest);
	} else if (strcmp(kw, "show") == 0) {
		if (set_once(ld, line, kw, &r->show, rest) && rest[0] != '/' &&
		    strncmp(rest, "~/", 2) != 0 && strcmp(rest, "~") != 0)
			problem(ld, line, "show path '%s' must start with / or ~/", rest);
	} else if (strcmp(kw, "match") == 0) {
		parse_patterns(ld, line, kw, rest, false);
	} else if (strcmp(kw, "except") == 0) {
		parse_patterns(ld, line, kw, rest, true);
	} else if (strcmp(kw, "phase") == 0) {
		char *save = NULL;
		int count = 0;
		for (char *t = strtok_r(rest, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
			unsigned b = phase_bit(t);
			count++;
			if (!b)
				problem(ld, line, "unknown phase '%s' (expected install, build, import, startup or resolve)", t);
			r->phases |= b;
		}
		if (!count)
			problem(ld, line, "phase needs at least one phase name");
	} else if (strcmp(kw, "when") == 0) {
		if (strcmp(rest, "after-memfd") == 0)
			r->after_memfd = true;
		else
			problem(ld, line, "unknown condition '%s' (expected after-memfd)", rest);
	} else if (strcmp(kw, "regex") == 0) {
		if (r->has_regex || r->regex_text) {
			problem(ld, line, "second regex line in rule %s", r->id);
			return;
		}
		if (!*rest) {
			problem(ld, line, "empty regex");
			return;
		}
		int rc = regcomp(&r->re, rest, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &r->re, msg, sizeof(msg));
			problem(ld, line, "bad regex '%s': %s", rest, msg);
			r->regex_text = xstrdup(rest); /* blocks a second line */
			return;
		}
		r->has_regex = true;
		r->regex_text = xstrdup(rest);
	} else {
		problem(ld, line, "unknown keyword '%s'", kw);
	}
}

static int load_text(struct ruleset *rs, const char *name, const char *text,
		     size_t len)
{
	struct loader ld = {.name = name ? name : "(rules)", .rs = rs};
	const char *p = text, *end = text + len;
	int line = 0;
	struct strbuf sb = STRBUF_INIT;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (memchr(p, '\0', n)) {
			problem(&ld, line, "contains a NUL byte");
		} else {
			strbuf_reset(&sb);
			strbuf_add(&sb, p, n);
			parse_line(&ld, line, sb.buf);
		}
		p += n + 1;
	}
	finish_rule(&ld);
	strbuf_release(&sb);
	free(ld.added);
	rs->prepared = false; /* new patterns: expand again at the next match */
	if (rs->nr > 1) /* v is NULL while empty; qsort's pointer must not be */
		qsort(rs->v, rs->nr, sizeof(*rs->v), by_severity);
	return ld.problems;
}

int ruleset_load_string(struct ruleset *rs, const char *name, const char *text)
{
	return load_text(rs, name, text ? text : "", text ? strlen(text) : 0);
}

int ruleset_load_file(struct ruleset *rs, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path, 16u << 20) < 0) {
		fprintf(stderr, "%s:0: cannot read the rule file: %s\n", path,
			strerror(errno));
		strbuf_release(&sb);
		return 1;
	}
	int r = load_text(rs, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return r;
}
