/*
 * pep440.c - PEP 440 versions and specifiers; see pep440.h.
 *
 * The accepted syntax is the permissive one of PEP 440 §Normalization (and
 * Appendix B's regular expression), parsed by hand so that it is linear and
 * total on any bytes. Every number is kept as a digit string without leading
 * zeros: comparing length first, then bytes, orders arbitrarily large
 * numbers exactly.
 */
#include "pep440.h"
#include "util.h"

#include <string.h>

enum pre_kind { PRE_NONE = 0, PRE_A = 1, PRE_B = 2, PRE_RC = 3 };

struct pep440_version {
	char *text;       /* the input, trimmed (for "===") */
	char *epoch;      /* digit string, "0" when not written */
	char **rel;       /* release segments, digit strings */
	size_t nrel;
	enum pre_kind pre;
	char *pre_n;      /* set when pre != PRE_NONE */
	char *post_n;     /* NULL when not a post-release */
	char *dev_n;      /* NULL when not a developmental release */
	char **local;     /* local segments, lower case; numeric without zeros */
	size_t nlocal;
};

/* ---- small ASCII helpers (locale-independent on purpose) ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_alnum_lc(char c) { return is_digit(c) || is_lower(c); }
static bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }
/* Python's str.strip() / regex \s whitespace, ASCII part (it includes the
 * separators 0x1c-0x1f, which packaging's "^\s*" strips as well). */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || (c >= 0x1c && c <= 0x1f);
}

static size_t count_digits(const char *p)
{
	size_t n = 0;
	while (is_digit(p[n]))
		n++;
	return n;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

/* Copies the n digits at p without leading zeros ("007" -> "7", "00" -> "0"). */
static char *num_dup(const char *p, size_t n)
{
	while (n > 1 && *p == '0') {
		p++;
		n--;
	}
	return xstrndup(p, n);
}

/* Compares two digit strings without leading zeros as numbers. */
static int num_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = strcmp(a, b);
	return c < 0 ? -1 : c > 0;
}

static bool num_is_zero(const char *a) { return a[0] == '0' && !a[1]; }

/* ---- versions ---- */

void pep440_free(struct pep440_version *v)
{
	if (!v)
		return;
	free(v->text);
	free(v->epoch);
	for (size_t i = 0; i < v->nrel; i++)
		free(v->rel[i]);
	free(v->rel);
	free(v->pre_n);
	free(v->post_n);
	free(v->dev_n);
	for (size_t i = 0; i < v->nlocal; i++)
		free(v->local[i]);
	free(v->local);
	free(v);
}

/*
 * After a pre/post/dev label: an optional separator and an optional number
 * ("a1", "a.1", "a-1", "a", "a-"). Returns the number (default "0") and
 * advances *pp past both. Taking the separator even without digits is what
 * Appendix B's regular expression does ("1.0a-" is 1.0a0, "1.0a--dev" is
 * 1.0a0.dev0): every later part may start with its own separator, and the
 * implicit post-release "-N" after a pre-release label with a separator
 * ("1.0a-1") is read as the pre-release number by the regex too.
 */
static char *label_number(const char **pp)
{
	const char *p = *pp;
	if (is_sep(*p))
		p++;
	size_t n = count_digits(p);
	*pp = p + n;
	if (!n)
		return xstrdup("0");
	return num_dup(p, n);
}

/*
 * If one of labels starts at p (after an optional separator), returns its
 * index and sets *after past it; else -1. Labels are tried in order, so a
 * longer spelling must come before its prefix ("alpha" before "a").
 */
static int match_label(const char *p, const char *const *labels, size_t nr,
		       const char **after)
{
	if (is_sep(*p))
		p++;
	for (size_t i = 0; i < nr; i++) {
		size_t l = strlen(labels[i]);
		if (!strncmp(p, labels[i], l)) {
			*after = p + l;
			return (int)i;
		}
	}
	return -1;
}

static void push_seg(char ***arr, size_t *nr, size_t *alloc, char *s)
{
	GROW(*arr, *alloc, *nr + 1);
	(*arr)[(*nr)++] = s;
}

struct pep440_version *pep440_parse(const char *s)
{
	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	size_t len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	if (!len)
		return NULL;

	struct pep440_version *v = xcalloc(1, sizeof(*v));
	v->text = xstrndup(s, len);
	/* Parse a lower-cased copy: PEP 440 §Case sensitivity. */
	_cleanup_free_ char *low = xstrndup(s, len);
	for (char *q = low; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	const char *p = low;
	size_t relalloc = 0, localloc = 0;

	if (*p == 'v') /* §Preceding v character */
		p++;
	size_t n = count_digits(p);
	if (!n)
		goto bad;
	if (p[n] == '!') { /* §Version epochs */
		v->epoch = num_dup(p, n);
		p += n + 1;
		n = count_digits(p);
		if (!n)
			goto bad;
	} else {
		v->epoch = xstrdup("0");
	}
	for (;;) { /* §Final releases: N(.N)* */
		push_seg(&v->rel, &v->nrel, &relalloc, num_dup(p, n));
		p += n;
		if (p[0] == '.' && is_digit(p[1])) {
			p++;
			n = count_digits(p);
			continue;
		}
		break;
	}

	/* §Pre-release spelling: a, b, c, rc, alpha, beta, pre, preview. */
	static const char *const pre_labels[] = {"alpha", "a",   "beta", "b",
						 "preview", "pre", "c",   "rc"};
	static const enum pre_kind pre_kinds[] = {PRE_A,  PRE_A,  PRE_B,  PRE_B,
						  PRE_RC, PRE_RC, PRE_RC, PRE_RC};
	const char *after;
	int i = match_label(p, pre_labels, ARRAY_SIZE(pre_labels), &after);
	if (i >= 0) {
		v->pre = pre_kinds[i];
		p = after;
		v->pre_n = label_number(&p);
	}

	/* §Post-release spelling: post, rev, r; and the implicit "-N". */
	static const char *const post_labels[] = {"post", "rev", "r"};
	if (p[0] == '-' && is_digit(p[1])) {
		p++;
		n = count_digits(p);
		v->post_n = num_dup(p, n);
		p += n;
	} else if (match_label(p, post_labels, ARRAY_SIZE(post_labels), &after) >= 0) {
		p = after;
		v->post_n = label_number(&p);
	}

	/* §Development release separators and number. */
	static const char *const dev_labels[] = {"dev"};
	if (match_label(p, dev_labels, 1, &after) >= 0) {
		p = after;
		v->dev_n = label_number(&p);
	}

	/* §Local version identifiers: [a-z0-9]+ separated by '.', '-' or '_'. */
	if (*p == '+') {
		p++;
		for (;;) {
			n = 0;
			while (is_alnum_lc(p[n]))
				n++;
			if (!n)
				goto bad;
			char *seg = count_digits(p) == n ? num_dup(p, n)
							 : xstrndup(p, n);
			push_seg(&v->local, &v->nlocal, &localloc, seg);
			p += n;
			if (is_sep(*p)) {
				p++;
				continue;
			}
			break;
		}
	}
	if (*p)
		goto bad;
	return v;
bad:
	pep440_free(v);
	return NULL;
}

/* Release segments compared with missing ones as zero (1.0 == 1.0.0). */
static int release_cmp(const struct pep440_version *a,
		       const struct pep440_version *b)
{
	size_t n = a->nrel > b->nrel ? a->nrel : b->nrel;
	for (size_t i = 0; i < n; i++) {
		const char *x = i < a->nrel ? a->rel[i] : "0";
		const char *y = i < b->nrel ? b->rel[i] : "0";
		int c = num_cmp(x, y);
		if (c)
			return c;
	}
	return 0;
}

/*
 * The rank of the pre-release part as packaging's _cmpkey orders it: a bare
 * ".devN" of the final release sorts before every pre-release (1.0.dev1 <
 * 1.0a1), no pre-release at all sorts after them (1.0rc1 < 1.0).
 */
static int pre_rank(const struct pep440_version *v)
{
	if (v->pre == PRE_NONE && !v->post_n && v->dev_n)
		return -1;
	if (v->pre == PRE_NONE)
		return 4;
	return (int)v->pre;
}

static int local_cmp(const struct pep440_version *a,
		     const struct pep440_version *b)
{
	/* §Local version identifiers: numeric segments sort after alphanumeric
	 * ones, numeric by value, alphanumeric lexicographically; a longer
	 * local version wins when the shorter one is its prefix. */
	size_t n = a->nlocal < b->nlocal ? a->nlocal : b->nlocal;
	for (size_t i = 0; i < n; i++) {
		bool na = all_digits(a->local[i]), nb = all_digits(b->local[i]);
		int c;
		if (na && nb)
			c = num_cmp(a->local[i], b->local[i]);
		else if (na != nb)
			c = na ? 1 : -1;
		else
			c = strcmp(a->local[i], b->local[i]);
		if (c)
			return c < 0 ? -1 : 1;
	}
	if (a->nlocal != b->nlocal)
		return a->nlocal < b->nlocal ? -1 : 1;
	return 0;
}

/* Compares everything but the local segment. */
static int public_cmp(const struct pep440_version *a,
		      const struct pep440_version *b)
{
	int c = num_cmp(a->epoch, b->epoch);
	if (c)
		return c;
	if ((c = release_cmp(a, b)))
		return c;
	int ra = pre_rank(a), rb = pre_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->pre != PRE_NONE && (c = num_cmp(a->pre_n, b->pre_n)))
		return c;
	/* No post-release sorts before any post-release. */
	if (!a->post_n != !b->post_n)
		return a->post_n ? 1 : -1;
	if (a->post_n && (c = num_cmp(a->post_n, b->post_n)))
		return c;
	/* No dev-release sorts after any dev-release. */
	if (!a->dev_n != !b->dev_n)
		return a->dev_n ? -1 : 1;
	if (a->dev_n && (c = num_cmp(a->dev_n, b->dev_n)))
		return c;
	return 0;
}

int pep440_compare(const struct pep440_version *a, const struct pep440_version *b)
{
	int c = public_cmp(a, b);
	return c ? c : local_cmp(a, b);
}

bool pep440_compare_str(const char *a, const char *b, int *cmp)
{
	struct pep440_version *va = pep440_parse(a);
	struct pep440_version *vb = pep440_parse(b);
	bool ok = va && vb;
	if (ok)
		*cmp = pep440_compare(va, vb);
	pep440_free(va);
	pep440_free(vb);
	return ok;
}

bool pep440_is_prerelease(const struct pep440_version *v)
{
	return v->pre != PRE_NONE || v->dev_n;
}

bool pep440_is_postrelease(const struct pep440_version *v)
{
	return v->post_n != NULL;
}

bool pep440_is_devrelease(const struct pep440_version *v)
{
	return v->dev_n != NULL;
}

bool pep440_has_local(const struct pep440_version *v)
{
	return v->nlocal > 0;
}

static void add_public(struct strbuf *sb, const struct pep440_version *v)
{
	static const char *const pre_names[] = {"", "a", "b", "rc"};
	if (!num_is_zero(v->epoch))
		strbuf_addf(sb, "%s!", v->epoch);
	for (size_t i = 0; i < v->nrel; i++)
		strbuf_addf(sb, "%s%s", i ? "." : "", v->rel[i]);
	if (v->pre != PRE_NONE)
		strbuf_addf(sb, "%s%s", pre_names[v->pre], v->pre_n);
	if (v->post_n)
		strbuf_addf(sb, ".post%s", v->post_n);
	if (v->dev_n)
		strbuf_addf(sb, ".dev%s", v->dev_n);
}

char *pep440_public(const struct pep440_version *v)
{
	struct strbuf sb = STRBUF_INIT;
	add_public(&sb, v);
	return strbuf_detach(&sb);
}

char *pep440_normalised(const struct pep440_version *v)
{
	struct strbuf sb = STRBUF_INIT;
	add_public(&sb, v);
	for (size_t i = 0; i < v->nlocal; i++)
		strbuf_addf(&sb, "%c%s", i ? '.' : '+', v->local[i]);
	return strbuf_detach(&sb);
}

/* ---- specifiers ---- */

enum spec_op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARB };

static const char *const op_names[] = {"~=", "==", "!=", "<=",
				       ">=", "<",  ">",  "==="};

struct clause {
	enum spec_op op;
	bool wildcard;              /* "==1.2.*" / "!=1.2.*" */
	struct pep440_version *v;   /* NULL only for "===" of a non-version */
	char *text;                 /* the version as written, trimmed */
};

struct pep440_specset {
	struct clause *c;
	size_t nr, alloc;
};

void pep440_specset_free(struct pep440_specset *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->nr; i++) {
		pep440_free(ss->c[i].v);
		free(ss->c[i].text);
	}
	free(ss->c);
	free(ss);
}

/* True when v has nothing but an epoch and a release. */
static bool is_plain_release(const struct pep440_version *v)
{
	return v->pre == PRE_NONE && !v->post_n && !v->dev_n && !v->nlocal;
}

/*
 * Parses one clause "OP VERSION" (trimmed, non-empty) into *c. Returns NULL,
 * or an error text (static) saying what is wrong.
 */
static const char *parse_clause(const char *s, struct clause *c)
{
	/* Longest operators first: "===" before "==", "<=" before "<". */
	static const enum spec_op order[] = {OP_ARB, OP_COMPAT, OP_EQ, OP_NE,
					     OP_LE,  OP_GE,     OP_LT, OP_GT};
	size_t oplen = 0;
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const char *name = op_names[order[i]];
		if (str_starts_with(s, name)) {
			c->op = order[i];
			oplen = strlen(name);
			break;
		}
	}
	if (!oplen)
		return "expected an operator (~=, ==, !=, <=, >=, <, >, ===)";
	s += oplen;
	while (is_space(*s))
		s++;
	if (!*s)
		return "missing version after the operator";
	for (const char *q = s; *q; q++)
		if (is_space(*q))
			return "whitespace inside the version";
	c->text = xstrdup(s);
	if (c->op == OP_ARB) {
		/* §Arbitrary equality: any string; it may also be a version. */
		c->v = pep440_parse(s);
		return NULL;
	}
	size_t len = strlen(s);
	if (len >= 2 && !strcmp(s + len - 2, ".*")) {
		if (c->op != OP_EQ && c->op != OP_NE)
			return "'.*' is only allowed with == and !=";
		c->wildcard = true;
		_cleanup_free_ char *pfx = xstrndup(s, len - 2);
		c->v = pep440_parse(pfx);
		if (!c->v)
			return "invalid version before '.*'";
		if (!is_plain_release(c->v))
			return "'.*' may only follow a release number (e.g. ==1.2.*)";
		return NULL;
	}
	c->v = pep440_parse(s);
	if (!c->v)
		return "invalid version";
	if (c->op != OP_EQ && c->op != OP_NE && c->v->nlocal)
		return "a local version (+...) is only allowed with == and !=";
	if (c->op == OP_COMPAT && c->v->nrel < 2)
		return "~= needs at least two release numbers (e.g. ~=1.4)";
	return NULL;
}

struct pep440_specset *pep440_specset_parse(const char *s, char **err)
{
	struct pep440_specset *ss = xcalloc(1, sizeof(*ss));
	if (err)
		*err = NULL;
	if (!s)
		return ss;
	const char *p = s;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && is_space(*p)) {
			p++;
			n--;
		}
		while (n && is_space(p[n - 1]))
			n--;
		/* Empty clauses are skipped, as packaging's SpecifierSet does
		 * (PyPI metadata has ">=3.6," in the wild). */
		if (n) {
			_cleanup_free_ char *one = xstrndup(p, n);
			GROW(ss->c, ss->alloc, ss->nr + 1);
			struct clause *c = &ss->c[ss->nr++];
			const char *why = parse_clause(one, c);
			if (why) {
				if (err) {
					struct strbuf sb = STRBUF_INIT;
					strbuf_addstr(&sb, "invalid version specifier ");
					strbuf_add_quoted(&sb, one, 80);
					strbuf_addf(&sb, ": %s", why);
					*err = strbuf_detach(&sb);
				}
				pep440_specset_free(ss);
				return NULL;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return ss;
}

int pep440_specset_count(const struct pep440_specset *ss)
{
	return (int)ss->nr;
}

char *pep440_specset_str(const struct pep440_specset *ss)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ss->nr; i++) {
		const struct clause *c = &ss->c[i];
		if (i)
			strbuf_addch(&sb, ',');
		strbuf_addstr(&sb, op_names[c->op]);
		if (c->op == OP_ARB || !c->v) {
			strbuf_addstr(&sb, c->text);
			continue;
		}
		_cleanup_free_ char *norm = pep440_normalised(c->v);
		strbuf_addstr(&sb, norm);
		if (c->wildcard)
			strbuf_addstr(&sb, ".*");
	}
	return strbuf_detach(&sb);
}

/* Does the clause itself name a pre-release? (packaging's
 * Specifier.prereleases since 24.2: every operator but "!="; before 24.2
 * "<" and ">" did not count. PEP 440 §Handling of pre-releases names no
 * operator, so "<2.0rc1" opts in like ">=2.0rc1" does). */
static bool clause_names_pre(const struct clause *c)
{
	return c->op != OP_NE && c->v && pep440_is_prerelease(c->v);
}

/* §Version matching with a trailing ".*": the release of v, padded with
 * zeros, starts with the release of the clause; epochs equal. */
static bool prefix_match(const struct pep440_version *v,
			 const struct pep440_version *spec)
{
	if (num_cmp(v->epoch, spec->epoch))
		return false;
	for (size_t i = 0; i < spec->nrel; i++) {
		const char *x = i < v->nrel ? v->rel[i] : "0";
		if (num_cmp(x, spec->rel[i]))
			return false;
	}
	return true;
}

/* §Version matching without ".*": local versions of v are ignored unless the
 * clause has one itself. */
static bool version_equal(const struct pep440_version *v,
			  const struct pep440_version *spec)
{
	if (spec->nlocal)
		return pep440_compare(v, spec) == 0;
	return public_cmp(v, spec) == 0;
}

/* Same epoch and release (the "base version"), trailing zeros ignored. */
static bool same_base(const struct pep440_version *a,
		      const struct pep440_version *b)
{
	return !num_cmp(a->epoch, b->epoch) && !release_cmp(a, b);
}

static bool ascii_casecmp_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

static bool clause_contains(const struct clause *c,
			    const struct pep440_version *v)
{
	const struct pep440_version *s = c->v;
	switch (c->op) {
	case OP_ARB:
		/* §Arbitrary equality: plain string equality (case-insensitive
		 * as in packaging) with the version as written. */
		return ascii_casecmp_eq(v->text, c->text);
	case OP_EQ:
		return c->wildcard ? prefix_match(v, s) : version_equal(v, s);
	case OP_NE:
		return c->wildcard ? !prefix_match(v, s) : !version_equal(v, s);
	case OP_LE:
		return public_cmp(v, s) <= 0;
	case OP_GE:
		return public_cmp(v, s) >= 0;
	case OP_LT:
		/* §Exclusive ordered comparison: <V excludes pre-releases of V
		 * itself unless V is one. */
		if (public_cmp(v, s) >= 0)
			return false;
		if (!pep440_is_prerelease(s) && pep440_is_prerelease(v) &&
		    same_base(v, s))
			return false;
		return true;
	case OP_GT:
		/* >V excludes post-releases of V unless V is one, and local
		 * versions of V. */
		if (pep440_compare(v, s) <= 0)
			return false;
		if (!s->post_n && v->post_n && same_base(v, s))
			return false;
		if (v->nlocal && same_base(v, s))
			return false;
		return true;
	case OP_COMPAT: {
		/* §Compatible release: ~=V.N is >=V.N, ==V.* ; suffixes of the
		 * clause's version are dropped before taking the prefix. */
		if (public_cmp(v, s) < 0)
			return false;
		struct pep440_version pfx = *s;
		pfx.nrel = s->nrel - 1;
		return prefix_match(v, &pfx);
	}
	}
	return false;
}

bool pep440_specset_contains(const struct pep440_specset *ss,
			     const struct pep440_version *v, bool allow_pre)
{
	if (!ss || !v)
		return false;
	/* §Handling of pre-releases: accepted when asked for, or when a clause
	 * names a pre-release itself (as packaging's SpecifierSet does). */
	bool pre_ok = allow_pre;
	for (size_t i = 0; i < ss->nr && !pre_ok; i++)
		pre_ok = clause_names_pre(&ss->c[i]);
	if (pep440_is_prerelease(v) && !pre_ok)
		return false;
	for (size_t i = 0; i < ss->nr; i++) {
		const struct clause *c = &ss->c[i];
		if (!c->v && c->op != OP_ARB)
			return false;
		if (c->op == OP_ARB) {
			if (!clause_contains(c, v))
				return false;
			continue;
		}
		if (!clause_contains(c, v))
			return false;
	}
	return true;
}

bool pep440_specset_contains_str(const struct pep440_specset *ss,
				 const char *s, bool allow_pre)
{
	if (!ss || !s)
		return false;
	struct pep440_version *v = pep440_parse(s);
	if (v) {
		bool r = pep440_specset_contains(ss, v, allow_pre);
		pep440_free(v);
		return r;
	}
	/* Not a version: only "===" clauses can match it (string equality). */
	if (!ss->nr)
		return false;
	_cleanup_free_ char *t = NULL;
	const char *b = s;
	while (is_space(*b))
		b++;
	size_t n = strlen(b);
	while (n && is_space(b[n - 1]))
		n--;
	t = xstrndup(b, n);
	for (size_t i = 0; i < ss->nr; i++)
		if (ss->c[i].op != OP_ARB || !ascii_casecmp_eq(t, ss->c[i].text))
			return false;
	return true;
}
