/* reqfile.c - see reqfile.h. pip's req_file.py is the reference. */
#define _GNU_SOURCE
#include "reqfile.h"
#include "pep503.h"
#include "pep508.h"
#include "runcmd.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <string.h>

#define MAX_FILE_BYTES (16u << 20) /* far above any real requirements file */
#define MAX_DEPTH 64               /* -r nesting, beyond any real project */
/*
 * Total work of one reqfile_read(): pip reads an included file again each
 * time it is named, so "-r b" twice in each of 40 files is 2^40 reads. Real
 * projects read tens of files and thousands of lines; past these budgets the
 * input is refused (one problem naming the limit) instead of hanging.
 */
#define MAX_FILES_READ 1000    /* files opened, repeats counted */
#define MAX_LINES 1000000      /* logical lines handled, all files */
#define MAX_TOTAL_BYTES (64u << 20) /* bytes read, all files */

/* ---- the Python whose markers count ---- */

void reqfile_env_clear(struct reqfile_env *env)
{
	free(env->cached);
	env->cached = NULL;
}

const char *reqfile_env_python_version(struct reqfile_env *env, char **err)
{
	if (env->python_full_version)
		return env->python_full_version;
	if (env->cached)
		return env->cached;
	const char *python = env->python ? env->python : "python3";
	const char *argv[] = {python, "-c",
			      "import platform; print(platform.python_version())",
			      NULL};
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf errb = STRBUF_INIT;
	int rc = run_capture(argv, &out, &errb, 1 << 16);
	if (rc < 0) {
		*err = xasprintf("cannot run %s: %s", python, strerror(errno));
		return NULL;
	}
	strbuf_trim(&out);
	if (rc != 0 || !out.len) {
		strbuf_trim(&errb);
		*err = xasprintf("cannot ask %s its version (exit %d%s%s)",
				 python, rc, errb.len ? ": " : "", errb.buf);
		return NULL;
	}
	env->cached = strbuf_detach(&out);
	return env->cached;
}

/* ---- decoding (pip's utils/encoding.py auto_decode) ---- */

static bool utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned int cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			k = 1, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3, cp = c & 0x07;
		} else {
			goto fail;
		}
		if (i + k >= n)
			goto fail;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += k + 1;
	}
	return true;
fail:
	*bad = i;
	return false;
}

static int line_of_offset(const char *s, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

static int convert(const char *from, const char *data, size_t len,
		   struct strbuf *out, char **err)
{
	/* Python's names ("latin_1", "latin-1") as iconv spells them. */
	iconv_t cd = iconv_open("UTF-8", from);
	for (int k = 0; k < 2 && cd == (iconv_t)-1; k++) {
		struct strbuf alt = STRBUF_INIT;
		for (const char *p = from; *p; p++)
			if (*p != '-' && *p != '_')
				strbuf_addch(&alt, *p);
			else if (!k)
				strbuf_addch(&alt, '-');
		cd = iconv_open("UTF-8", alt.buf);
		strbuf_release(&alt);
	}
	if (cd == (iconv_t)-1) {
		*err = xasprintf("unknown encoding '%s'", from);
		return -1;
	}
	char *in = (char *)data;
	size_t left = len;
	int rc = 0;
	while (left) {
		char buf[4096];
		char *o = buf;
		size_t room = sizeof buf;
		size_t r = iconv(cd, &in, &left, &o, &room);
		strbuf_add(out, buf, (size_t)(o - buf));
		if (r == (size_t)-1 && errno != E2BIG) {
			*err = xasprintf("not valid %s (byte %zu)", from,
					 (size_t)(in - data));
			rc = -1;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

/* The "coding[:=]\s*([-\w.]+)" of a '#' line among the first two. */
static char *coding_declaration(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	for (int n = 0; n < 2 && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (*p == '#') {
			for (const char *q = p; q + 7 <= le; q++) {
				if (memcmp(q, "coding", 6) || (q[6] != ':' && q[6] != '='))
					continue;
				const char *v = q + 7;
				while (v < le && (*v == ' ' || *v == '\t'))
					v++;
				const char *e = v;
				while (e < le && (isalnum((unsigned char)*e) ||
						  *e == '-' || *e == '_' || *e == '.'))
					e++;
				if (e > v)
					return xstrndup(v, (size_t)(e - v));
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

int reqfile_decode(const char *data, size_t len, struct strbuf *out,
		   char **err)
{
	static const struct {
		const char *bom;
		size_t n;
		const char *enc;
	} boms[] = {
		/* UTF-32 before UTF-16: FF FE 00 00 starts like FF FE. */
		{"\xEF\xBB\xBF", 3, "UTF-8"},
		{"\xFF\xFE\x00\x00", 4, "UTF-32LE"},
		{"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
		{"\xFF\xFE", 2, "UTF-16LE"},
		{"\xFE\xFF", 2, "UTF-16BE"},
	};
	const char *enc = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(boms); i++)
		if (len >= boms[i].n && !memcmp(data, boms[i].bom, boms[i].n)) {
			data += boms[i].n;
			len -= boms[i].n;
			enc = boms[i].enc;
			break;
		}
	_cleanup_free_ char *declared = NULL;
	if (!enc) {
		declared = coding_declaration(data, len);
		enc = declared;
	}
	if (enc) {
		char lower[32];
		size_t i;
		for (i = 0; enc[i] && i + 1 < sizeof lower; i++)
			lower[i] = (char)tolower((unsigned char)enc[i]);
		lower[i] = '\0';
		if (strcmp(lower, "utf-8") && strcmp(lower, "utf8") &&
		    strcmp(lower, "utf_8")) {
			size_t start = out->len;
			if (convert(enc, data, len, out, err) < 0)
				return -1;
			if (memchr(out->buf + start, '\0', out->len - start)) {
				*err = xasprintf("contains a NUL character");
				return -1;
			}
			return 0;
		}
	}
	size_t bad;
	if (memchr(data, '\0', len)) {
		*err = xstrdup("contains NUL bytes: UTF-16 or UTF-32 without a "
			       "byte order mark? Save it as UTF-8");
		return -1;
	}
	if (!utf8_valid((const unsigned char *)data, len, &bad)) {
		*err = xasprintf("line %d is not valid UTF-8: save the file as "
				 "UTF-8 or declare its encoding "
				 "(# -*- coding: NAME -*-)",
				 line_of_offset(data, bad));
		return -1;
	}
	strbuf_add(out, data, len);
	return 0;
}

/* ---- physical and logical lines ---- */

struct line {
	int no;     /* 1-based number of the first physical line */
	char *text;
};

struct lines {
	struct line *v;
	size_t nr, alloc;
};

static void lines_clear(struct lines *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void lines_push(struct lines *l, int no, char *text)
{
	GROW(l->v, l->alloc, l->nr + 1);
	l->v[l->nr].no = no;
	l->v[l->nr].text = text;
	l->nr++;
}

/*
 * Length of the line break at s (0 if none): the breaks of Python's
 * str.splitlines(), which pip uses: \n \r\n \r \v \f \x1c-\x1e U+0085
 * U+2028 U+2029.
 */
static size_t line_break(const char *s, size_t left)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '\r')
		return left > 1 && s[1] == '\n' ? 2 : 1;
	if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
		return 1;
	if (c == 0xC2 && left > 1 && (unsigned char)s[1] == 0x85)
		return 2;
	if (c == 0xE2 && left > 2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0xA8 || (unsigned char)s[2] == 0xA9))
		return 3;
	return 0;
}

static void split_lines(const char *s, size_t len, struct lines *out)
{
	size_t start = 0, i = 0;
	int no = 1;
	while (i < len) {
		size_t b = line_break(s + i, len - i);
		if (!b) {
			i++;
			continue;
		}
		lines_push(out, no++, xstrndup(s + start, i - start));
		i += b;
		start = i;
	}
	if (start < len)
		lines_push(out, no, xstrndup(s + start, len - start));
}

/* pip's COMMENT_RE.match: '#' first, or after leading whitespace. */
static bool is_comment_line(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '#';
}

/* pip's str.strip("\\"): backslashes off both ends. */
static char *strip_backslashes(const char *s)
{
	size_t n = strlen(s);
	while (*s == '\\')
		s++, n--;
	while (n && s[n - 1] == '\\')
		n--;
	return xstrndup(s, n);
}

/*
 * pip's join_lines: a line ending in '\' (that is not a comment line) is
 * joined with the next; the result takes the first line's number. Comment
 * lines end a continuation (they are joined, then stripped as comments).
 */
static void join_lines(struct lines *phys, struct lines *out)
{
	struct strbuf cur = STRBUF_INIT;
	int first = 0;
	bool open = false;
	for (size_t i = 0; i < phys->nr; i++) {
		const char *t = phys->v[i].text;
		bool comment = is_comment_line(t);
		if (!str_ends_with(t, "\\") || comment) {
			_cleanup_free_ char *piece =
				comment ? xasprintf(" %s", t) : xstrdup(t);
			if (open) {
				strbuf_addstr(&cur, piece);
				lines_push(out, first, strbuf_detach(&cur));
				open = false;
			} else {
				lines_push(out, phys->v[i].no, xstrdup(piece));
			}
		} else {
			if (!open)
				first = phys->v[i].no;
			open = true;
			_cleanup_free_ char *piece = strip_backslashes(t);
			strbuf_addstr(&cur, piece);
		}
	}
	if (open)
		lines_push(out, first, strbuf_detach(&cur));
	strbuf_release(&cur);
}

/* pip's COMMENT_RE.sub("", line).strip(): "(^|\s+)#.*$" removed. */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p != '#')
			continue;
		if (p == s || isspace((unsigned char)p[-1])) {
			while (p > s && isspace((unsigned char)p[-1]))
				p--;
			*p = '\0';
			break;
		}
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, s);
	strbuf_trim(&sb);
	memcpy(s, sb.buf, sb.len + 1);
	strbuf_release(&sb);
}

/*
 * pip's expand_env_variables: ${NAME} with NAME of [A-Z0-9_]+ is replaced
 * by the variable's value; unset or empty variables are left as written.
 * Returns a new string.
 */
static char *expand_env(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	while (*s) {
		if (s[0] == '$' && s[1] == '{') {
			const char *n = s + 2, *e = n;
			while ((*e >= 'A' && *e <= 'Z') || isdigit((unsigned char)*e) ||
			       *e == '_')
				e++;
			if (e > n && *e == '}') {
				_cleanup_free_ char *name = xstrndup(n, (size_t)(e - n));
				const char *v = getenv(name);
				if (v && *v) {
					strbuf_addstr(&sb, v);
					s = e + 1;
					continue;
				}
			}
		}
		strbuf_addch(&sb, *s++);
	}
	return strbuf_detach(&sb);
}

const char *pip_line_problem(const char *s, bool as_value)
{
	if (as_value && !*s)
		return "is empty";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "holds a newline or other control character";
		if ((p[0] == 0xC2 && p[1] == 0x85) ||
		    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)))
			return "holds a Unicode line break (U+0085, U+2028 or "
			       "U+2029)";
		if (*p == '#' && (p == (const unsigned char *)s || p[-1] == ' '))
			return "holds ' #', where pip starts a comment";
		if (p[0] == '$' && p[1] == '{') {
			const unsigned char *e = p + 2;
			while ((*e >= 'A' && *e <= 'Z') || isdigit(*e) || *e == '_')
				e++;
			if (e > p + 2 && *e == '}')
				return "holds ${NAME}, which pip would expand "
				       "again";
		}
		if (as_value && (*p == ' ' || *p == '\\' || *p == '\'' ||
				 *p == '"'))
			return "holds a space, quote or backslash (pip would "
			       "split or unquote it)";
		if (!as_value && *p == ' ' && p[1] == '-')
			return "holds a word starting with '-', where pip "
			       "starts reading options";
	}
	if (str_ends_with(s, "\\"))
		return "ends with '\\', which joins it with the next line";
	return NULL;
}

/* ---- options ---- */

enum opt_kind {
	O_INDEX_URL,
	O_EXTRA_INDEX_URL,
	O_NO_INDEX,
	O_CONSTRAINT,
	O_REQUIREMENT,
	O_EDITABLE,
	O_FIND_LINKS,
	O_NO_BINARY,
	O_ONLY_BINARY,
	O_PREFER_BINARY,
	O_REQUIRE_HASHES,
	O_PRE,
	O_TRUSTED_HOST,
	O_USE_FEATURE,
	/* per-requirement options (pip's SUPPORTED_OPTIONS_REQ) */
	O_HASH,
	O_GLOBAL_OPTION,
	O_CONFIG_SETTINGS,
};

/* pip's cmdoptions of SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ. */
static const struct optdef {
	char short_name;      /* 0: none */
	const char *long_name; /* the canonical spelling */
	const char *alias;     /* another long spelling, or NULL */
	bool value;
	enum opt_kind kind;
} optdefs[] = {
	{'i', "--index-url", "--pypi-url", true, O_INDEX_URL},
	{0, "--extra-index-url", NULL, true, O_EXTRA_INDEX_URL},
	{0, "--no-index", NULL, false, O_NO_INDEX},
	{'c', "--constraint", NULL, true, O_CONSTRAINT},
	{'r', "--requirement", NULL, true, O_REQUIREMENT},
	{'e', "--editable", NULL, true, O_EDITABLE},
	{'f', "--find-links", NULL, true, O_FIND_LINKS},
	{0, "--no-binary", NULL, true, O_NO_BINARY},
	{0, "--only-binary", NULL, true, O_ONLY_BINARY},
	{0, "--prefer-binary", NULL, false, O_PREFER_BINARY},
	{0, "--require-hashes", NULL, false, O_REQUIRE_HASHES},
	{0, "--pre", NULL, false, O_PRE},
	{0, "--trusted-host", NULL, true, O_TRUSTED_HOST},
	{0, "--use-feature", NULL, true, O_USE_FEATURE},
	{0, "--hash", NULL, true, O_HASH},
	{0, "--global-option", NULL, true, O_GLOBAL_OPTION},
	{'C', "--config-settings", NULL, true, O_CONFIG_SETTINGS},
};

/*
 * Finds a long option as optparse does: the exact name, or an unambiguous
 * prefix of one ("--extra-index" = "--extra-index-url"). *ambiguous is set
 * when several match.
 */
static const struct optdef *find_long(const char *name, size_t n,
				      bool *ambiguous)
{
	const struct optdef *hit = NULL;
	int hits = 0;
	*ambiguous = false;
	for (size_t i = 0; i < ARRAY_SIZE(optdefs); i++) {
		const char *names[2] = {optdefs[i].long_name, optdefs[i].alias};
		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			if (strlen(names[k]) == n && !memcmp(names[k], name, n))
				return &optdefs[i];
			if (strlen(names[k]) > n && !memcmp(names[k], name, n)) {
				if (hit != &optdefs[i])
					hits++;
				hit = &optdefs[i];
			}
		}
	}
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return hit;
}

static const struct optdef *find_short(char c)
{
	for (size_t i = 0; i < ARRAY_SIZE(optdefs); i++)
		if (optdefs[i].short_name == c)
			return &optdefs[i];
	return NULL;
}

/*
 * shlex.split() in POSIX mode (pip splits the options part of a line with
 * it): whitespace separates words, '...' is literal, "..." allows \\ \" \$
 * \` escapes, a backslash outside quotes escapes the next character.
 * Returns 0, or -1 when a quotation is not closed.
 */
static int shlex_split(const char *s, struct strvec *out)
{
	struct strbuf w = STRBUF_INIT;
	bool in_word = false;
	while (*s) {
		char c = *s;
		if (isspace((unsigned char)c)) {
			if (in_word)
				strvec_push_nodup(out, strbuf_detach(&w));
			in_word = false;
			s++;
			continue;
		}
		in_word = true;
		if (c == '\'') {
			const char *e = strchr(s + 1, '\'');
			if (!e)
				goto unclosed;
			strbuf_add(&w, s + 1, (size_t)(e - s - 1));
			s = e + 1;
		} else if (c == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1] && strchr("\\\"$`\n", s[1]))
					s++;
				strbuf_addch(&w, *s++);
			}
			if (!*s)
				goto unclosed;
			s++;
		} else if (c == '\\' && s[1]) {
			strbuf_addch(&w, s[1]);
			s += 2;
		} else {
			strbuf_addch(&w, c);
			s++;
		}
	}
	if (in_word)
		strvec_push_nodup(out, strbuf_detach(&w));
	strbuf_release(&w);
	return 0;
unclosed:
	strbuf_release(&w);
	return -1;
}

/* One option word with its value, as parsed from a line. */
struct parsed_opt {
	const struct optdef *def;
	char *value; /* NULL for flags */
};

struct parsed_opts {
	struct parsed_opt *v;
	size_t nr, alloc;
};

static void parsed_opts_clear(struct parsed_opts *p)
{
	for (size_t i = 0; i < p->nr; i++)
		free(p->v[i].value);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* ---- the reader ---- */

struct reader {
	struct input *in;
	struct reqfile_env *env;
	struct strvec *problems;
	int count;
	struct strvec stack;       /* real paths of the files being read */
	struct strvec stack_shown; /* the same, as shown in messages */
	size_t files_read;         /* against MAX_FILES_READ */
	size_t lines_read;         /* against MAX_LINES */
	size_t bytes_read;         /* against MAX_TOTAL_BYTES */
	bool over_budget;          /* reported once; reading has stopped */
};

static void problem(struct reader *r, const char *file, int line,
		    const char *fmt, ...) PC_PRINTF(4, 5);
static void problem(struct reader *r, const char *file, int line,
		    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	if (line > 0)
		strbuf_addf(&sb, "%s:%d: ", file, line);
	else
		strbuf_addf(&sb, "%s: ", file);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push_nodup(r->problems, strbuf_detach(&sb));
	r->count++;
}

/*
 * Parses the option words of a line (optparse's rules: "--name=value",
 * "--name value", unambiguous prefixes of long names, "-xVALUE", "-x
 * VALUE"). Words that are not options are returned in *rest. Returns 0 or
 * -1 after reporting a problem.
 */
static int parse_options(struct reader *r, const char *file, int line,
			 const struct strvec *words, struct parsed_opts *out,
			 struct strvec *rest)
{
	for (size_t i = 0; i < words->nr; i++) {
		const char *w = words->v[i];
		const struct optdef *d = NULL;
		const char *value = NULL;
		bool ambiguous = false;
		if (w[0] == '-' && w[1] == '-' && w[2]) {
			const char *eq = strchr(w, '=');
			size_t n = eq ? (size_t)(eq - w) : strlen(w);
			d = find_long(w, n, &ambiguous);
			if (!d) {
				problem(r, file, line, "%s option '%.*s'",
					ambiguous ? "ambiguous" : "unknown",
					(int)n, w);
				return -1;
			}
			if (eq && !d->value) {
				problem(r, file, line, "option %s takes no value",
					d->long_name);
				return -1;
			}
			if (eq)
				value = eq + 1;
		} else if (w[0] == '-' && w[1] && w[1] != '-') {
			d = find_short(w[1]);
			if (!d) {
				problem(r, file, line, "unknown option '-%c'", w[1]);
				return -1;
			}
			if (w[2])
				value = w + 2;
		} else {
			strvec_push(rest, w);
			continue;
		}
		if (d->value && !value) {
			if (i + 1 >= words->nr) {
				problem(r, file, line, "option %s needs a value",
					d->long_name);
				return -1;
			}
			value = words->v[++i];
		}
		GROW(out->v, out->alloc, out->nr + 1);
		out->v[out->nr].def = d;
		out->v[out->nr].value = xstrdup(value);
		out->nr++;
	}
	return 0;
}

static bool is_url(const char *s)
{
	return !strncasecmp(s, "http:", 5) || !strncasecmp(s, "https:", 6) ||
	       !strncasecmp(s, "file:", 5);
}

/* Appends (option, value) to pip_options unless that pair is there. */
static void add_pip_option(struct input *in, const char *opt, const char *value)
{
	for (size_t i = 0; i < in->pip_options.nr; i++) {
		if (strcmp(in->pip_options.v[i], opt))
			continue;
		if (!value)
			return;
		if (i + 1 < in->pip_options.nr &&
		    !strcmp(in->pip_options.v[i + 1], value))
			return;
	}
	strvec_push(&in->pip_options, opt);
	if (value)
		strvec_push(&in->pip_options, value);
}

/* The value of the first --index-url in pip_options, or NULL. */
static const char *current_index_url(const struct input *in)
{
	for (size_t i = 0; i + 1 < in->pip_options.nr; i++)
		if (!strcmp(in->pip_options.v[i], "--index-url"))
			return in->pip_options.v[i + 1];
	return NULL;
}

/* "sha256:<64 hex>", "sha384:<96>", "sha512:<128>" (pip's STRONG_HASHES). */
static bool valid_hash(const char *h)
{
	static const struct {
		const char *algo;
		size_t hex;
	} algos[] = {{"sha256:", 64}, {"sha384:", 96}, {"sha512:", 128}};
	for (size_t i = 0; i < ARRAY_SIZE(algos); i++) {
		if (!str_starts_with(h, algos[i].algo))
			continue;
		const char *x = h + strlen(algos[i].algo);
		if (strlen(x) != algos[i].hex)
			return false;
		for (; *x; x++)
			if (!isxdigit((unsigned char)*x))
				return false;
		return true;
	}
	return false;
}

static void read_file(struct reader *r, const char *path, bool constraint,
		      const char *from_file, int from_line,
		      const char *written);

/*
 * Evaluates the marker of an option line ("-r other.txt ; python_version <
 * '3.0'"). Returns 1 (take the line), 0 (skip it) or -1 (reported).
 */
static int option_line_marker(struct reader *r, const char *file, int line,
			      const char *marker)
{
	if (!*marker) {
		problem(r, file, line, "empty environment marker after ';'");
		return -1;
	}
	_cleanup_free_ char *err = NULL;
	const char *version = reqfile_env_python_version(r->env, &err);
	if (!version) {
		problem(r, file, line, "cannot evaluate the marker '%s': %s",
			marker, err);
		return -1;
	}
	struct marker_env menv;
	marker_env_host(&menv, version);
	int v = pep508_marker_eval(marker, &menv, &err);
	if (v < 0)
		problem(r, file, line, "invalid environment marker '%s': %s",
			marker, err);
	return v;
}

/* Finds the first ';' outside quotes in s, or NULL. */
static char *find_marker_sep(char *s)
{
	char q = 0;
	for (; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
		} else if (*s == '\'' || *s == '"') {
			q = *s;
		} else if (*s == ';') {
			return s;
		}
	}
	return NULL;
}

static void handle_option_line(struct reader *r, const char *file, int line,
			       char *options)
{
	_cleanup_free_ char *marker = NULL;
	char *sep = find_marker_sep(options);
	if (sep) {
		*sep = '\0';
		struct strbuf m = STRBUF_INIT;
		strbuf_addstr(&m, sep + 1);
		strbuf_trim(&m);
		marker = strbuf_detach(&m);
	}
	_cleanup_strvec_ struct strvec words = STRVEC_INIT;
	if (shlex_split(options, &words) < 0) {
		problem(r, file, line, "no closing quotation in '%s'", options);
		return;
	}
	struct parsed_opts opts = {0};
	_cleanup_strvec_ struct strvec rest = STRVEC_INIT;
	if (parse_options(r, file, line, &words, &opts, &rest) < 0)
		goto out;
	if (rest.nr) {
		problem(r, file, line, "unexpected '%s' after the options "
			"(one requirement or option set per line)", rest.v[0]);
		goto out;
	}
	if (marker) {
		bool include_only = opts.nr == 1 &&
				    (opts.v[0].def->kind == O_REQUIREMENT ||
				     opts.v[0].def->kind == O_CONSTRAINT);
		if (!include_only) {
			problem(r, file, line, "an environment marker ('; %s') "
				"is only allowed on a requirement or a single "
				"-r/-c line", marker);
			goto out;
		}
		if (option_line_marker(r, file, line, marker) != 1)
			goto out; /* false: the include does not apply here */
	}
	for (size_t i = 0; i < opts.nr; i++) {
		const struct optdef *d = opts.v[i].def;
		const char *v = opts.v[i].value;
		const char *bad = v ? pip_line_problem(v, true) : NULL;
		if (bad && d->kind != O_REQUIREMENT && d->kind != O_CONSTRAINT) {
			_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT;
			strbuf_add_quoted(&shown, v, 200);
			problem(r, file, line, "%s value %s %s: pip would read "
				"it differently from the requirements file "
				"PipCanary writes for it", d->long_name,
				shown.buf, bad);
			continue;
		}
		switch (d->kind) {
		case O_REQUIREMENT:
		case O_CONSTRAINT: {
			if (is_url(v)) {
				problem(r, file, line, "%s %s: remote requirements "
					"files are not read: download it and give "
					"it with -r FILE", d->long_name, v);
				break;
			}
			/* pip: os.path.join(os.path.dirname(filename), path) */
			_cleanup_free_ char *dir = xstrdup(file);
			char *slash = strrchr(dir, '/');
			_cleanup_free_ char *p = NULL;
			if (v[0] == '/' || !slash)
				p = xstrdup(v);
			else
				p = xasprintf("%.*s/%s", (int)(slash - dir), dir, v);
			read_file(r, p, d->kind == O_CONSTRAINT, file, line, v);
			break;
		}
		case O_EDITABLE:
			problem(r, file, line, "editable requirement '-e %s' "
				"cannot be scanned from an index: PipCanary "
				"installs from the package index only (to scan a "
				"local project, give its pyproject.toml with -r)", v);
			break;
		case O_HASH:
			problem(r, file, line, "--hash=%s without a requirement: "
				"the requirement line before it probably lacks "
				"its trailing '\\'", v);
			break;
		case O_GLOBAL_OPTION:
		case O_CONFIG_SETTINGS:
			problem(r, file, line, "%s belongs on a requirement line",
				d->long_name);
			break;
		case O_INDEX_URL: {
			const char *cur = current_index_url(r->in);
			if (cur && strcmp(cur, v)) {
				problem(r, file, line, "--index-url %s conflicts "
					"with --index-url %s given before", v, cur);
				break;
			}
			add_pip_option(r->in, "--index-url", v);
			break;
		}
		case O_FIND_LINKS:
			if (strncasecmp(v, "http:", 5) && strncasecmp(v, "https:", 6)) {
				problem(r, file, line, "--find-links %s: local "
					"folders cannot be scanned from an index "
					"(only http/https URLs are used)", v);
				break;
			}
			add_pip_option(r->in, d->long_name, v);
			break;
		case O_PRE:
			r->in->pre = true;
			add_pip_option(r->in, d->long_name, NULL);
			break;
		case O_REQUIRE_HASHES:
			r->in->require_hashes = true;
			add_pip_option(r->in, d->long_name, NULL);
			break;
		case O_NO_INDEX:
		case O_PREFER_BINARY:
			add_pip_option(r->in, d->long_name, NULL);
			break;
		case O_EXTRA_INDEX_URL:
		case O_NO_BINARY:
		case O_ONLY_BINARY:
		case O_TRUSTED_HOST:
		case O_USE_FEATURE:
			add_pip_option(r->in, d->long_name, v);
			break;
		}
	}
out:
	parsed_opts_clear(&opts);
}

static const char *const archive_exts[] = {
	".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz",
	".txz", ".tlz", ".tar.lz", ".tar.lzma", ".tar",
};

/*
 * What pip would take as a path or a bare URL rather than a PEP 508
 * requirement (pip's req/constructors.py: _looks_like_path, is_archive_file,
 * is_url). Returns a message, or NULL.
 */
static char *not_from_index(const char *s)
{
	size_t n = strcspn(s, " \t;[");
	_cleanup_free_ char *tok = xstrndup(s, n);
	if (strchr(tok, '@') && !str_starts_with(tok, "file:"))
		return NULL; /* "name@url": PEP 508 decides */
	if (strstr(tok, "://") || str_starts_with(tok, "file:"))
		return str_starts_with(tok, "file:")
			       ? xasprintf("local file '%s' cannot be scanned "
					   "from an index", tok)
			       : xasprintf("URL '%s' without a project name: "
					   "write it as NAME @ %s", tok, tok);
	if (tok[0] == '.' || tok[0] == '/' || tok[0] == '~' ||
	    strchr(tok, '/') || strchr(tok, '\\'))
		return xasprintf("local path '%s' cannot be scanned from an "
				 "index: give the project's requirements instead "
				 "(its pyproject.toml with -r)", tok);
	for (size_t i = 0; i < ARRAY_SIZE(archive_exts); i++)
		if (str_ends_with(tok, archive_exts[i]))
			return xasprintf("'%s' is a local archive file name, which "
					 "cannot be scanned from an index", tok);
	return NULL;
}

void requirement_format(struct strbuf *sb, const struct requirement *r)
{
	strbuf_addstr(sb, r->name);
	if (r->extras.nr) {
		_cleanup_free_ char *e = strvec_join(&r->extras, ",");
		strbuf_addf(sb, "[%s]", e);
	}
	if (r->url)
		strbuf_addf(sb, " @ %s", r->url);
	else if (r->specifier)
		strbuf_addstr(sb, r->specifier);
	/* After a URL, PEP 508 needs a space before ';' (';' is URL text). */
	if (r->marker)
		strbuf_addf(sb, "%s; %s", r->url ? " " : "", r->marker);
}

/*
 * A PEP 508 marker (already checked by pep508_parse) in one spelling, as
 * packaging's str(Marker) writes it: tokens separated by one space, none
 * inside parentheses, strings in double quotes (single quotes only when the
 * value holds a '"'). 'python_version>"3"' and "python_version > '3'" both
 * become 'python_version > "3"', so equal markers compare equal (lock file,
 * reports). Returns a new string.
 */
static char *marker_normalise(const char *m)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false; /* a space goes before the next token */
	for (const char *p = m; *p;) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == ')') {
			strbuf_addch(&sb, ')');
			space = true;
			p++;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = true;
		if (*p == '\'' || *p == '"') {
			const char *e = strchr(p + 1, *p);
			if (!e) { /* cannot happen after pep508_parse */
				strbuf_release(&sb);
				return xstrdup(m);
			}
			size_t n = (size_t)(e - p - 1);
			char q = memchr(p + 1, '"', n) ? '\'' : '"';
			strbuf_addf(&sb, "%c%.*s%c", q, (int)n, p + 1, q);
			p = e + 1;
		} else if (*p == '(') {
			strbuf_addch(&sb, '(');
			space = false;
			p++;
		} else if (strchr("<>=!~", *p)) {
			size_t n = strspn(p, "<>=!~");
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			size_t n = strcspn(p, " \t\n\r\f\v'\"()<>=!~");
			strbuf_add(&sb, p, n);
			p += n;
		}
	}
	return strbuf_detach(&sb);
}

int requirement_parse(struct requirement *r, const char *s, char **err)
{
	*err = not_from_index(s);
	if (*err)
		return -1;
	struct pep508_req p = {0};
	if (pep508_parse(s, &p, err) < 0)
		return -1;
	if (p.url && !strncasecmp(p.url, "file:", 5)) {
		*err = xasprintf("local file URL '%s' cannot be scanned from an "
				 "index", p.url);
		pep508_req_clear(&p);
		return -1;
	}
	r->name = steal_pointer(&p.name);
	r->normalised = pep503_normalise(r->name);
	for (size_t i = 0; i < p.extras.nr; i++)
		strvec_push_nodup(&r->extras, pep503_normalise(p.extras.v[i]));
	r->specifier = p.specifier && *p.specifier ? steal_pointer(&p.specifier)
						   : NULL;
	r->url = steal_pointer(&p.url);
	r->marker = p.marker ? marker_normalise(p.marker) : NULL;
	pep508_req_clear(&p);
	struct strbuf t = STRBUF_INIT;
	requirement_format(&t, r);
	r->text = strbuf_detach(&t);
	return 0;
}

/*
 * pip's break_args_options: the words up to the first one starting with
 * '-' are the requirement, the rest are options (split on spaces, not
 * shlex: markers hold quotes that shlex would eat). Tabs count as spaces.
 */
static void break_args_options(const char *line, char **args, char **opts)
{
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '-')
			break;
		p += strcspn(p, " \t");
	}
	struct strbuf a = STRBUF_INIT;
	strbuf_add(&a, line, (size_t)(p - line));
	strbuf_trim(&a);
	*args = strbuf_detach(&a);
	*opts = xstrdup(p);
}

static void handle_requirement_line(struct reader *r, const char *file,
				    int line, const char *args,
				    const char *options, bool constraint)
{
	_cleanup_strvec_ struct strvec words = STRVEC_INIT;
	if (shlex_split(options, &words) < 0) {
		problem(r, file, line, "no closing quotation in '%s'", options);
		return;
	}
	struct parsed_opts opts = {0};
	_cleanup_strvec_ struct strvec rest = STRVEC_INIT;
	struct requirement req = {0};
	_cleanup_free_ char *err = NULL;
	if (parse_options(r, file, line, &words, &opts, &rest) < 0)
		goto out;
	if (rest.nr) {
		problem(r, file, line, "unexpected '%s' after the options "
			"(one requirement per line)", rest.v[0]);
		goto out;
	}
	if (requirement_parse(&req, args, &err) < 0) {
		problem(r, file, line, "%s", err);
		goto out;
	}
	bool bad = false;
	for (size_t i = 0; i < opts.nr; i++) {
		const struct optdef *d = opts.v[i].def;
		if (d->kind == O_HASH) {
			if (!valid_hash(opts.v[i].value)) {
				problem(r, file, line, "--hash=%s: not a "
					"sha256/sha384/sha512 hash "
					"(ALGO:HEXDIGEST)", opts.v[i].value);
				bad = true;
			} else if (!strvec_contains(&req.hashes, opts.v[i].value)) {
				strvec_push(&req.hashes, opts.v[i].value);
			}
		} else if (d->kind == O_GLOBAL_OPTION ||
			   d->kind == O_CONFIG_SETTINGS) {
			problem(r, file, line, "%s is not supported: PipCanary "
				"installs with pip's defaults", d->long_name);
			bad = true;
		} else {
			/* pip ignores these here without a word: say it. */
			problem(r, file, line, "option %s is not allowed on a "
				"requirement line: put it on a line of its own",
				d->long_name);
			bad = true;
		}
	}
	if (constraint && req.extras.nr) {
		problem(r, file, line, "constraints cannot have extras "
			"('%s')", req.text);
		bad = true;
	}
	if (bad)
		goto out;
	req.file = xstrdup(file);
	req.line = line;
	req.constraint = constraint;
	GROW(r->in->reqs, r->in->alloc, r->in->nr + 1);
	r->in->reqs[r->in->nr++] = req;
	memset(&req, 0, sizeof(req));
out:
	requirement_clear(&req);
	parsed_opts_clear(&opts);
}

static void handle_line(struct reader *r, const char *file, int line,
			const char *text, bool constraint)
{
	_cleanup_free_ char *args = NULL, *options = NULL;
	break_args_options(text, &args, &options);
	if (*args)
		handle_requirement_line(r, file, line, args, options, constraint);
	else
		handle_option_line(r, file, line, options);
}

static void read_file(struct reader *r, const char *path, bool constraint,
		      const char *from_file, int from_line, const char *written)
{
	/* Problems with an included file are reported at its -r/-c line. */
	struct strbuf where = STRBUF_INIT;
	if (from_file)
		strbuf_addf(&where, "%s %s: ", constraint ? "-c" : "-r", written);
	const char *at = from_file ? from_file : path;
	int at_line = from_file ? from_line : 0;
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		problem(r, at, at_line, "%scannot read %s: %s", where.buf, path,
			strerror(errno));
		strbuf_release(&where);
		return;
	}
	for (size_t i = 0; i < r->stack.nr; i++) {
		if (strcmp(r->stack.v[i], real))
			continue;
		struct strbuf chain = STRBUF_INIT;
		for (size_t k = i; k < r->stack.nr; k++)
			strbuf_addf(&chain, "%s -> ", r->stack_shown.v[k]);
		strbuf_addstr(&chain, path);
		problem(r, at, at_line, "%sinclude cycle: %s", where.buf,
			chain.buf);
		strbuf_release(&chain);
		strbuf_release(&where);
		return;
	}
	if (r->stack.nr >= MAX_DEPTH) {
		problem(r, at, at_line, "%sincludes nested more than %d deep",
			where.buf, MAX_DEPTH);
		strbuf_release(&where);
		return;
	}
	if (r->over_budget) {
		strbuf_release(&where);
		return;
	}
	if (++r->files_read > MAX_FILES_READ) {
		r->over_budget = true;
		problem(r, at, at_line, "%smore than %d files read in total "
			"(an included file counts each time it is included): "
			"the includes repeat too much", where.buf,
			MAX_FILES_READ);
		strbuf_release(&where);
		return;
	}
	_cleanup_strbuf_ struct strbuf raw = STRBUF_INIT;
	if (strbuf_read_file(&raw, path, MAX_FILE_BYTES) < 0) {
		problem(r, at, at_line, "%scannot read %s: %s", where.buf, path,
			errno == EFBIG ? "larger than 16 MiB" : strerror(errno));
		strbuf_release(&where);
		return;
	}
	r->bytes_read += raw.len;
	if (r->bytes_read > MAX_TOTAL_BYTES) {
		r->over_budget = true;
		problem(r, at, at_line, "%smore than 64 MiB read in total (an "
			"included file counts each time it is included)",
			where.buf);
		strbuf_release(&where);
		return;
	}
	strbuf_release(&where);
	_cleanup_strbuf_ struct strbuf text = STRBUF_INIT;
	_cleanup_free_ char *err = NULL;
	if (reqfile_decode(raw.buf, raw.len, &text, &err) < 0) {
		problem(r, path, 0, "%s", err);
		return;
	}
	strvec_push(&r->stack, real);
	strvec_push(&r->stack_shown, path);

	struct lines phys = {0}, logical = {0};
	split_lines(text.buf, text.len, &phys);
	join_lines(&phys, &logical);
	for (size_t i = 0; i < logical.nr && !r->over_budget; i++) {
		if (++r->lines_read > MAX_LINES) {
			r->over_budget = true;
			problem(r, path, logical.v[i].no, "more than %d lines "
				"read in total (an included file counts each time "
				"it is included)", MAX_LINES);
			break;
		}
		strip_comment(logical.v[i].text);
		if (!*logical.v[i].text)
			continue;
		_cleanup_free_ char *expanded = expand_env(logical.v[i].text);
		handle_line(r, path, logical.v[i].no, expanded, constraint);
	}
	lines_clear(&phys);
	lines_clear(&logical);

	free(r->stack.v[--r->stack.nr]);
	r->stack.v[r->stack.nr] = NULL;
	free(r->stack_shown.v[--r->stack_shown.nr]);
	r->stack_shown.v[r->stack_shown.nr] = NULL;
}

int reqfile_read(struct input *in, const char *path, struct reqfile_env *env,
		 struct strvec *problems)
{
	struct reader r = {.in = in, .env = env, .problems = problems};
	read_file(&r, path, false, NULL, 0, NULL);
	strvec_clear(&r.stack);
	strvec_clear(&r.stack_shown);
	return r.count;
}
