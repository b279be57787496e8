/*
 * pep508.c - PEP 508 requirement strings and environment markers; see
 * pep508.h.
 *
 * The grammar is PEP 508 §Grammar as pip reads it (packaging's _parser.py):
 *
 *   requirement = WS? name WS? extras? WS? (url_req | spec_req)
 *   url_req     = '@' WS? URL (WS (';' marker)?)?     URL = [^ \t]+
 *   spec_req    = ('(' WS? versions WS? ')' | versions)? WS? (';' marker)?
 *   marker      = and ('or' and)* ;  and = atom ('and' atom)*
 *   atom        = '(' marker ')' | value op value
 *   value       = variable | 'string' | "string"
 *
 * Whitespace is ' ' and '\t', as in packaging's tokenizer. Parsing is
 * recursive descent with a nesting limit, so any input is safe.
 */
#include "pep508.h"
#include "pep440.h"
#include "pep503.h"

#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

/* Deepest parenthesis nesting in a marker (bounds the recursion). */
#define MAX_MARKER_DEPTH 64

static bool is_ws(char c) { return c == ' ' || c == '\t'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

static const char *skip_ws(const char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

/* Describes what is at p for an error message: "'x...'" or "end of input". */
static void add_found(struct strbuf *sb, const char *p)
{
	if (!*p) {
		strbuf_addstr(sb, "end of input");
		return;
	}
	strbuf_add_quoted(sb, p, 20);
}

/* Length of a PEP 508 name at p: [A-Za-z0-9] ([A-Za-z0-9._-]* [A-Za-z0-9])? */
static size_t name_len(const char *p)
{
	if (!is_alnum(*p))
		return 0;
	size_t n = 1, last = 1;
	while (is_alnum(p[n]) || p[n] == '.' || p[n] == '_' || p[n] == '-') {
		n++;
		if (is_alnum(p[n - 1]))
			last = n;
	}
	return last;
}

/* ---- markers ---- */

enum mop { M_LE, M_LT, M_NE, M_EQ, M_GE, M_GT, M_COMPAT, M_ARB, M_IN, M_NOTIN };

static const char *const mop_names[] = {"<=", "<", "!=", "==", ">=", ">",
					"~=", "===", "in", "not in"};

struct mparser {
	const char *start;   /* the whole marker, for column numbers */
	const char *p;
	const struct marker_env *env; /* NULL: check syntax only */
	struct strbuf err;   /* set on the first error */
	int depth;
};

PC_PRINTF(2, 3) static void merr(struct mparser *mp, const char *fmt, ...)
{
	if (mp->err.len)
		return;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&mp->err, fmt, ap);
	va_end(ap);
	strbuf_addf(&mp->err, " at column %zu of marker ",
		    (size_t)(mp->p - mp->start) + 1);
	strbuf_add_quoted(&mp->err, mp->start, 120);
}

/* The marker variables of PEP 508 §Environment Markers, with the legacy
 * dotted spellings packaging still accepts. Returns an index or -1. */
enum mvar {
	V_PYTHON_VERSION, V_PYTHON_FULL_VERSION, V_OS_NAME, V_SYS_PLATFORM,
	V_PLATFORM_SYSTEM, V_PLATFORM_MACHINE, V_PLATFORM_RELEASE,
	V_PLATFORM_VERSION, V_IMPLEMENTATION_NAME, V_IMPLEMENTATION_VERSION,
	V_PLATFORM_PYTHON_IMPLEMENTATION, V_EXTRA,
};

static int lookup_var(const char *p, size_t n)
{
	static const struct {
		const char *name;
		enum mvar var;
	} vars[] = {
		{"python_version", V_PYTHON_VERSION},
		{"python_full_version", V_PYTHON_FULL_VERSION},
		{"os_name", V_OS_NAME},
		{"os.name", V_OS_NAME},
		{"sys_platform", V_SYS_PLATFORM},
		{"sys.platform", V_SYS_PLATFORM},
		{"platform_system", V_PLATFORM_SYSTEM},
		{"platform_machine", V_PLATFORM_MACHINE},
		{"platform.machine", V_PLATFORM_MACHINE},
		{"platform_release", V_PLATFORM_RELEASE},
		{"platform_version", V_PLATFORM_VERSION},
		{"platform.version", V_PLATFORM_VERSION},
		{"implementation_name", V_IMPLEMENTATION_NAME},
		{"implementation_version", V_IMPLEMENTATION_VERSION},
		{"platform_python_implementation", V_PLATFORM_PYTHON_IMPLEMENTATION},
		{"platform.python_implementation", V_PLATFORM_PYTHON_IMPLEMENTATION},
		{"python_implementation", V_PLATFORM_PYTHON_IMPLEMENTATION},
		{"extra", V_EXTRA},
	};
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
		if (strlen(vars[i].name) == n && !strncmp(vars[i].name, p, n))
			return (int)vars[i].var;
	return -1;
}

static const char *env_value(const struct marker_env *env, int var)
{
	const char *v = NULL;
	switch ((enum mvar)var) {
	case V_PYTHON_VERSION: v = env->python_version; break;
	case V_PYTHON_FULL_VERSION: v = env->python_full_version; break;
	case V_OS_NAME: v = env->os_name; break;
	case V_SYS_PLATFORM: v = env->sys_platform; break;
	case V_PLATFORM_SYSTEM: v = env->platform_system; break;
	case V_PLATFORM_MACHINE: v = env->platform_machine; break;
	case V_PLATFORM_RELEASE: v = env->platform_release; break;
	case V_PLATFORM_VERSION: v = env->platform_version; break;
	case V_IMPLEMENTATION_NAME: v = env->implementation_name; break;
	case V_IMPLEMENTATION_VERSION: v = env->implementation_version; break;
	case V_PLATFORM_PYTHON_IMPLEMENTATION:
		v = env->platform_python_implementation;
		break;
	case V_EXTRA: v = env->extra; break;
	}
	return v ? v : "";
}

/* One side of a comparison: a variable or a quoted string. */
struct mvalue {
	int var;          /* enum mvar, or -1 for a string literal */
	const char *s;    /* literal text (not NUL-terminated) */
	size_t n;
};

static bool parse_value(struct mparser *mp, struct mvalue *out)
{
	const char *p = mp->p = skip_ws(mp->p);
	if (*p == '\'' || *p == '"') {
		const char *end = strchr(p + 1, *p);
		if (!end) {
			merr(mp, "unterminated string");
			return false;
		}
		out->var = -1;
		out->s = p + 1;
		out->n = (size_t)(end - p - 1);
		mp->p = end + 1;
		return true;
	}
	size_t n = 0;
	while (is_alnum(p[n]) || p[n] == '_' || p[n] == '.')
		n++;
	if (!n) {
		struct strbuf f = STRBUF_INIT;
		add_found(&f, p);
		merr(mp, "expected a marker variable or a quoted string, found %s", f.buf);
		strbuf_release(&f);
		return false;
	}
	int var = lookup_var(p, n);
	if (var < 0) {
		_cleanup_free_ char *name = xstrndup(p, n);
		struct strbuf q = STRBUF_INIT;
		strbuf_add_quoted(&q, name, 40);
		merr(mp, "unknown marker variable %s", q.buf);
		strbuf_release(&q);
		return false;
	}
	out->var = var;
	out->s = p;
	out->n = n;
	mp->p = p + n;
	return true;
}

static bool parse_op(struct mparser *mp, enum mop *op)
{
	const char *p = mp->p = skip_ws(mp->p);
	static const struct {
		const char *text;
		enum mop op;
	} ops[] = {{"===", M_ARB}, {"==", M_EQ}, {"!=", M_NE}, {"<=", M_LE},
		   {">=", M_GE},   {"~=", M_COMPAT}, {"<", M_LT}, {">", M_GT}};
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t l = strlen(ops[i].text);
		if (!strncmp(p, ops[i].text, l)) {
			*op = ops[i].op;
			mp->p = p + l;
			return true;
		}
	}
	/* Keywords must end at a word boundary ("in" but not "inx"). */
	if (!strncmp(p, "in", 2) && !is_alnum(p[2]) && p[2] != '_') {
		*op = M_IN;
		mp->p = p + 2;
		return true;
	}
	if (!strncmp(p, "not", 3) && is_ws(p[3])) {
		const char *q = skip_ws(p + 3);
		if (!strncmp(q, "in", 2) && !is_alnum(q[2]) && q[2] != '_') {
			*op = M_NOTIN;
			mp->p = q + 2;
			return true;
		}
	}
	struct strbuf f = STRBUF_INIT;
	add_found(&f, p);
	merr(mp, "expected a marker operator (==, !=, <, <=, >, >=, ~=, ===, in, not in), found %s",
	     f.buf);
	strbuf_release(&f);
	return false;
}

/*
 * Evaluates lhs op rhs (PEP 508 §Environment Markers): PEP 440 rules when
 * "op rhs" is a valid specifier and lhs a version, Python string operators
 * otherwise. Returns 1, 0 or -1 (error set).
 */
static int compare(struct mparser *mp, const char *lhs, enum mop op,
		   const char *rhs)
{
	if (op == M_IN)
		return strstr(rhs, lhs) != NULL;
	if (op == M_NOTIN)
		return strstr(rhs, lhs) == NULL;
	if (op == M_ARB)
		return strcmp(lhs, rhs) == 0;
	_cleanup_free_ char *spec = xasprintf("%s%s", mop_names[op], rhs);
	_cleanup_free_ char *e = NULL;
	struct pep440_specset *ss = pep440_specset_parse(spec, &e);
	struct pep440_version *v = ss ? pep440_parse(lhs) : NULL;
	if (ss && v && pep440_specset_count(ss) == 1) {
		int r = pep440_specset_contains(ss, v, true);
		pep440_specset_free(ss);
		pep440_free(v);
		return r;
	}
	pep440_specset_free(ss);
	pep440_free(v);
	int c = strcmp(lhs, rhs);
	switch (op) {
	case M_EQ: return c == 0;
	case M_NE: return c != 0;
	case M_LT: return c < 0;
	case M_LE: return c <= 0;
	case M_GT: return c > 0;
	case M_GE: return c >= 0;
	default: break;
	}
	merr(mp, "~= needs versions on both sides, not %s and %s",
	     lhs[0] ? lhs : "''", rhs[0] ? rhs : "''");
	return -1;
}

/* Returns 1/0 (the value; 1 when only checking) or -1 on error. */
static int parse_or(struct mparser *mp);

static int parse_item(struct mparser *mp)
{
	struct mvalue l, r;
	enum mop op;
	if (!parse_value(mp, &l) || !parse_op(mp, &op) || !parse_value(mp, &r))
		return -1;
	if (!mp->env)
		return 1;
	_cleanup_free_ char *ls = l.var < 0 ? xstrndup(l.s, l.n)
					    : xstrdup(env_value(mp->env, l.var));
	_cleanup_free_ char *rs = r.var < 0 ? xstrndup(r.s, r.n)
					    : xstrdup(env_value(mp->env, r.var));
	if (l.var == V_EXTRA || r.var == V_EXTRA) {
		/* PEP 685: extras compare as normalised names. */
		char *a = pep503_normalise(ls), *b = pep503_normalise(rs);
		free(ls);
		free(rs);
		ls = a;
		rs = b;
	}
	return compare(mp, ls, op, rs);
}

static int parse_atom(struct mparser *mp)
{
	mp->p = skip_ws(mp->p);
	if (*mp->p == '(') {
		if (++mp->depth > MAX_MARKER_DEPTH) {
			merr(mp, "parentheses nested too deeply");
			return -1;
		}
		mp->p++;
		int r = parse_or(mp);
		if (r < 0)
			return -1;
		mp->p = skip_ws(mp->p);
		if (*mp->p != ')') {
			struct strbuf f = STRBUF_INIT;
			add_found(&f, mp->p);
			merr(mp, "expected ')' or a boolean operator, found %s", f.buf);
			strbuf_release(&f);
			return -1;
		}
		mp->p++;
		mp->depth--;
		return r;
	}
	return parse_item(mp);
}

/* Consumes the keyword kw ("and"/"or") at a word boundary; false if absent. */
static bool take_keyword(struct mparser *mp, const char *kw)
{
	const char *p = skip_ws(mp->p);
	size_t l = strlen(kw);
	if (strncmp(p, kw, l) || is_alnum(p[l]) || p[l] == '_' || p[l] == '.')
		return false;
	mp->p = p + l;
	return true;
}

/* Every item is evaluated (no short-circuit), so errors are found wherever
 * they are, as packaging does. */
static int parse_and(struct mparser *mp)
{
	int r = parse_atom(mp);
	if (r < 0)
		return -1;
	while (take_keyword(mp, "and")) {
		int s = parse_atom(mp);
		if (s < 0)
			return -1;
		r = r && s;
	}
	return r;
}

static int parse_or(struct mparser *mp)
{
	int r = parse_and(mp);
	if (r < 0)
		return -1;
	while (take_keyword(mp, "or")) {
		int s = parse_and(mp);
		if (s < 0)
			return -1;
		r = r || s;
	}
	return r;
}

static int run_marker(const char *marker, const struct marker_env *env,
		      char **err)
{
	if (err)
		*err = NULL;
	struct mparser mp = {.start = marker ? marker : "", .env = env};
	strbuf_init(&mp.err, 0);
	mp.p = mp.start;
	int r = parse_or(&mp);
	if (r >= 0) {
		mp.p = skip_ws(mp.p);
		if (*mp.p) {
			struct strbuf f = STRBUF_INIT;
			add_found(&f, mp.p);
			merr(&mp, "expected 'and', 'or' or the end, found %s", f.buf);
			strbuf_release(&f);
			r = -1;
		}
	}
	if (r < 0 && err)
		*err = strbuf_detach(&mp.err);
	strbuf_release(&mp.err);
	return r;
}

int pep508_marker_eval(const char *marker, const struct marker_env *env,
		       char **err)
{
	static const struct marker_env empty;
	return run_marker(marker, env ? env : &empty, err);
}

int pep508_marker_check(const char *marker, char **err)
{
	return run_marker(marker, NULL, err) < 0 ? -1 : 0;
}

void marker_env_host(struct marker_env *env, const char *python_full_version)
{
	static struct utsname uts;
	static char pyver[32], pyfull[64];
	memset(env, 0, sizeof(*env));
	if (uname(&uts) == 0) {
		env->platform_system = uts.sysname;
		env->platform_machine = uts.machine;
		env->platform_release = uts.release;
		env->platform_version = uts.version;
	}
	env->os_name = "posix";
	env->sys_platform = "linux";
	env->implementation_name = "cpython";
	env->platform_python_implementation = "CPython";
	if (python_full_version) {
		/* python_version is "major.minor" of the full version
		 * (platform.python_version_tuple()[:2]). */
		snprintf(pyfull, sizeof(pyfull), "%s", python_full_version);
		const char *dot = strchr(pyfull, '.');
		const char *dot2 = dot ? strchr(dot + 1, '.') : NULL;
		size_t n = dot2 ? (size_t)(dot2 - pyfull) : strlen(pyfull);
		if (n >= sizeof(pyver))
			n = sizeof(pyver) - 1;
		memcpy(pyver, pyfull, n);
		pyver[n] = '\0';
		env->python_version = pyver;
		env->python_full_version = pyfull;
		env->implementation_version = pyfull;
	}
}

/* ---- requirements ---- */

void pep508_req_clear(struct pep508_req *r)
{
	if (!r)
		return;
	free(r->name);
	strvec_clear(&r->extras);
	free(r->specifier);
	free(r->url);
	free(r->marker);
	memset(r, 0, sizeof(*r));
}

/* Sets *err to "invalid requirement 'S': WHAT at column N". */
PC_PRINTF(4, 5) static int req_err(char **err, const char *s, const char *at,
				   const char *fmt, ...)
{
	if (!err)
		return -1;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "invalid requirement ");
	strbuf_add_quoted(&sb, s, 120);
	strbuf_addstr(&sb, ": ");
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (at)
		strbuf_addf(&sb, " at column %zu", (size_t)(at - s) + 1);
	*err = strbuf_detach(&sb);
	return -1;
}

/*
 * A URL as PEP 508 and pip accept it: a scheme (RFC 3986: case-insensitive),
 * and for schemes other than file: a "//host" part; no control bytes (RFC
 * 3986 has none, and they would reach reports and logs). Returns true when
 * acceptable.
 */
static bool url_ok(const char *u)
{
	for (const char *q = u; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return false;
	if (!is_alpha(*u))
		return false;
	const char *p = u + 1;
	while (is_alnum(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':')
		return false;
	if ((size_t)(p - u) == 4 && !strncasecmp(u, "file", 4))
		return true;
	return p[1] == '/' && p[2] == '/' && p[3] && p[3] != '/';
}

/*
 * Reads a list of version clauses at *pp, up to (not including) a ';', ')'
 * or the end, into sb with whitespace removed. Returns 0 or -1 (err set).
 */
static int read_versions(const char *s, const char **pp, struct strbuf *sb,
			 char **err)
{
	const char *p = skip_ws(*pp);
	for (;;) {
		const char *clause = p;
		size_t before = sb->len;
		/* operator */
		while (*p == '<' || *p == '>' || *p == '=' || *p == '!' || *p == '~')
			strbuf_addch(sb, *p++);
		if (sb->len == before)
			return req_err(err, s, p, "expected a version specifier (e.g. >=1.0)");
		p = skip_ws(p);
		size_t vstart = sb->len;
		/* The version ends at any whitespace (packaging's "[^\s;)]"), so
		 * a stray "\r" or "\n" is an error below, never specifier text. */
		while (*p && !is_ws(*p) && !strchr("\r\n\f\v,;()", *p))
			strbuf_addch(sb, *p++);
		if (sb->len == vstart)
			return req_err(err, s, p, "missing version after the operator");
		_cleanup_free_ char *one = xstrndup(sb->buf + before, sb->len - before);
		_cleanup_free_ char *e = NULL;
		struct pep440_specset *ss = pep440_specset_parse(one, &e);
		if (!ss)
			return req_err(err, s, clause, "%s", e);
		pep440_specset_free(ss);
		p = skip_ws(p);
		if (*p != ',')
			break;
		strbuf_addch(sb, ',');
		p = skip_ws(p + 1);
	}
	*pp = p;
	return 0;
}

int pep508_parse(const char *s, struct pep508_req *out, char **err)
{
	memset(out, 0, sizeof(*out));
	if (err)
		*err = NULL;
	if (!s)
		s = "";
	const char *p = skip_ws(s);
	size_t n = name_len(p);
	if (!n) {
		pep508_req_clear(out);
		return req_err(err, s, p, "expected a package name");
	}
	out->name = xstrndup(p, n);
	p = skip_ws(p + n);

	/* §Extras: "[a, b]", possibly empty. */
	if (*p == '[') {
		p = skip_ws(p + 1);
		if (*p != ']') {
			for (;;) {
				size_t m = name_len(p);
				if (!m) {
					req_err(err, s, p, "expected an extra name inside [...]");
					goto fail;
				}
				strvec_push_nodup(&out->extras, xstrndup(p, m));
				p = skip_ws(p + m);
				if (*p == ',') {
					p = skip_ws(p + 1);
					continue;
				}
				if (*p == ']')
					break;
				req_err(err, s, p, "expected ',' or ']' in the extras");
				goto fail;
			}
		}
		p = skip_ws(p + 1);
	}

	if (*p == '@') {
		/* §URL: name @ url, the URL ends at whitespace; a marker must be
		 * separated from it by whitespace (a ';' right after belongs to
		 * the URL). */
		p = skip_ws(p + 1);
		const char *u = p;
		while (*p && !is_ws(*p))
			p++;
		if (p == u) {
			req_err(err, s, p, "expected a URL after '@'");
			goto fail;
		}
		out->url = xstrndup(u, (size_t)(p - u));
		if (!url_ok(out->url)) {
			req_err(err, s, u, "invalid URL (expected scheme://host/... or file:...)");
			goto fail;
		}
		p = skip_ws(p);
		if (*p && *p != ';') {
			req_err(err, s, p, "expected ';' and a marker or the end after the URL");
			goto fail;
		}
	} else if (*p == '(') {
		const char *open = p;
		p = skip_ws(p + 1);
		struct strbuf sb = STRBUF_INIT;
		if (*p != ')' && read_versions(s, &p, &sb, err) < 0) {
			strbuf_release(&sb);
			goto fail;
		}
		p = skip_ws(p);
		if (*p != ')') {
			strbuf_release(&sb);
			if (*p)
				req_err(err, s, p, "expected ',' or ')' in the version specifier");
			else
				req_err(err, s, open, "'(' without a matching ')'");
			goto fail;
		}
		p = skip_ws(p + 1);
		out->specifier = sb.len ? strbuf_detach(&sb) : NULL;
		strbuf_release(&sb);
	} else if (*p && *p != ';') {
		if (!strchr("<>=!~", *p)) {
			req_err(err, s, p, "expected a version specifier, '@ URL', ';' or the end after the name");
			goto fail;
		}
		struct strbuf sb = STRBUF_INIT;
		if (read_versions(s, &p, &sb, err) < 0) {
			strbuf_release(&sb);
			goto fail;
		}
		out->specifier = strbuf_detach(&sb);
	}

	p = skip_ws(p);
	if (*p == ';') {
		const char *m = skip_ws(p + 1);
		size_t len = strlen(m);
		while (len && (is_ws(m[len - 1]) || m[len - 1] == '\r' ||
			       m[len - 1] == '\n'))
			len--;
		if (!len) {
			req_err(err, s, p, "expected a marker after ';'");
			goto fail;
		}
		out->marker = xstrndup(m, len);
		_cleanup_free_ char *e = NULL;
		if (pep508_marker_check(out->marker, &e) < 0) {
			req_err(err, s, NULL, "%s", e);
			goto fail;
		}
	} else if (*p) {
		req_err(err, s, p, "expected ';' and a marker or the end after the version specifier");
		goto fail;
	}
	return 0;
fail:
	pep508_req_clear(out);
	return -1;
}
