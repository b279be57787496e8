/*
 * strace.c - a total parser for strace(1) output lines (strace 6.x, -f -yy).
 *
 * The input is untrusted: file names, argv strings and socket data are chosen
 * by the package under scan. strace escapes them (src/util.c
 * print_quoted_string: \t \n \v \f \r \" \\ and octal \ooo, or \xHH with -x;
 * inside -y annotations also < and > as \74 \76), so a well-formed string can
 * never fake a closing quote or annotation. The parser tokenises the line
 * honouring quotes, annotations, nesting and comments, never reads past len,
 * and copes with any bytes (a line that does not fit the grammar becomes
 * STRACE_OTHER).
 *
 * Speed: one pass records spans into a per-thread scratch vector; then one
 * allocation (the "arena", whose start is out->args) receives the argument
 * array and every decoded string, so each parsed line costs one malloc and
 * strace_line_clear() one free.
 */
#include "strace.h"
#include "util.h"

#include <limits.h>
#include <string.h>

/* ---- spans recorded in the first pass ---- */
struct span {
	const char *b, *e;
};
struct argspan {
	struct span raw;
	struct span str;   /* between the quotes, escaped; b == NULL if none */
	bool truncated;
	struct span fd;    /* inside <...> of an fd annotation, escaped */
};
struct parse {
	struct argspan *args;
	size_t nr, alloc;
	struct span syscall, ret_fd, err, signal;
	enum strace_kind kind;
	int pid;
	bool has_ret;
	long long ret;
	int exit_status;
	/* for the joiner: offset of " <unfinished ...>" / of the text after
	 * "resumed>" */
	size_t unfinished_at, resumed_body;
	/* "<pid changed to N ...>": a thread's execve that resumes as the
	 * thread group leader N */
	int new_pid;
};

static __thread struct argspan *scratch_args;
static __thread size_t scratch_alloc;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '_';
}
static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}
static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* p at the opening '"': returns the position after the closing quote (or
 * end when unterminated). A quote closes the string when an even number of
 * backslashes precede it; memchr keeps long (-s 4096) strings fast. */
static const char *skip_string_closed(const char *p, const char *end,
				      bool *closed)
{
	const char *start = ++p;
	*closed = false;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return end;
		size_t bs = 0;
		for (const char *b = q; b > start && b[-1] == '\\'; b--)
			bs++;
		if (bs % 2 == 0) {
			*closed = true;
			return q + 1;
		}
		p = q + 1;
	}
	return end;
}

static const char *skip_string(const char *p, const char *end)
{
	bool closed;
	return skip_string_closed(p, end, &closed);
}

/* p at '<' of an -y annotation ("3</x>", "3<TCP:[a:1->b:2]>",
 * "1</dev/null<char 1:3>>"). A raw '<' or '>' in a path is escaped by
 * strace, so nesting can be counted; socket text in [...] may hold "->" and
 * quoted unix paths. Returns the position after the matching '>' or end. */
static const char *skip_annotation(const char *p, const char *end)
{
	int depth = 0, bracket = 0;
	while (p < end) {
		char c = *p;
		if (c == '\\') {
			p += 2;
			continue;
		}
		if (c == '"') {
			p = skip_string(p, end);
			continue;
		}
		if (c == '[')
			bracket++;
		else if (c == ']' && bracket > 0)
			bracket--;
		else if (bracket == 0 && c == '<')
			depth++;
		else if (bracket == 0 && c == '>' && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

/* Scans one argument from p: stops at a top-level ',' or ')', at
 * " <unfinished ...>", or at end. */
static const char *scan_value(const char *p, const char *end)
{
	int depth = 0;
	const char *start = p;
	while (p < end) {
		char c = *p;
		switch (c) {
		case '"':
			p = skip_string(p, end);
			if (starts(p, end, "..."))
				p += 3;
			continue;
		case '<':
			if (p > start && p[-1] != ' ') {
				p = skip_annotation(p, end);
				continue;
			}
			if (depth == 0 && (starts(p, end, "<unfinished ...>") ||
					   starts(p, end, "<pid changed to ")))
				return p;
			break;
		case '/':
			if (p + 1 < end && p[1] == '*') {
				p += 2;
				while (p < end && !starts(p, end, "*/"))
					p++;
				p = p < end ? p + 2 : end;
				continue;
			}
			break;
		case '(': case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			if (depth > 0)
				depth--;
			break;
		case ')':
			if (depth == 0)
				return p;
			depth--;
			break;
		case ',':
			if (depth == 0)
				return p;
			break;
		default:
			break;
		}
		p++;
	}
	return end;
}

static void push_arg(struct parse *ps, const char *b, const char *e)
{
	while (e > b && e[-1] == ' ')
		e--;
	if (ps->nr == scratch_alloc)
		GROW(scratch_args, scratch_alloc, ps->nr + 1);
	ps->args = scratch_args;
	struct argspan *a = &scratch_args[ps->nr++];
	memset(a, 0, sizeof(*a));
	a->raw.b = b;
	a->raw.e = e;
	if (b < e && *b == '"') {
		bool closed;
		const char *q = skip_string_closed(b, e, &closed);
		if (closed) {
			a->str.b = b + 1;
			a->str.e = q - 1;
			a->truncated = starts(q, e, "...");
		}
		return;
	}
	/* fd annotation: digits or AT_FDCWD (or a negative number) then '<' */
	const char *p = b;
	if (starts(p, e, "AT_FDCWD"))
		p += 8;
	else {
		if (p < e && *p == '-')
			p++;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p > b && p < e && *p == '<') {
		const char *close = skip_annotation(p, e);
		/* the path part stops at a nested annotation ("<char 1:3>") */
		const char *q = p + 1;
		int bracket = 0;
		while (q < close) {
			if (*q == '\\') {
				q += 2;
				continue;
			}
			if (*q == '[')
				bracket++;
			else if (*q == ']' && bracket > 0)
				bracket--;
			else if (bracket == 0 && (*q == '<' || *q == '>'))
				break;
			else if (*q == '"') {
				q = skip_string(q, close);
				continue;
			}
			q++;
		}
		if (q > close)
			q = close;
		a->fd.b = p + 1;
		a->fd.e = q;
	}
}

/* Parses "-?digits" or "0xHEX" saturating; returns the end or NULL. */
static const char *parse_number(const char *p, const char *end, long long *out)
{
	bool neg = false;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	unsigned long long v = 0;
	const char *start = p;
	if (starts(p, end, "0x")) {
		p += 2;
		start = p;
		for (; p < end; p++) {
			int d;
			if (is_digit(*p))
				d = *p - '0';
			else if (*p >= 'a' && *p <= 'f')
				d = *p - 'a' + 10;
			else if (*p >= 'A' && *p <= 'F')
				d = *p - 'A' + 10;
			else
				break;
			v = v > (ULLONG_MAX >> 4) ? ULLONG_MAX : (v << 4) | (unsigned)d;
		}
	} else {
		for (; p < end && is_digit(*p); p++) {
			unsigned d = (unsigned)(*p - '0');
			v = v > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : v * 10 + d;
		}
	}
	if (p == start)
		return NULL;
	/* addresses like 0x7f.. above LLONG_MAX keep their bits (two's
	 * complement), as the kernel's long would */
	long long r = (long long)v;
	*out = neg ? (long long)(0ULL - v) : r;
	return p;
}

/* After ')': " = ret[<fd>] [ERRNO] [(text)]" or " = ?" */
static int parse_ret(struct parse *ps, const char *p, const char *end)
{
	p = skip_spaces(p, end);
	if (p >= end || *p != '=')
		return -1;
	p = skip_spaces(p + 1, end);
	if (p >= end)
		return -1;
	if (*p == '?') {
		p++;
	} else {
		p = parse_number(p, end, &ps->ret);
		if (!p)
			return -1;
		ps->has_ret = true;
		if (p < end && *p == '<') {
			const char *close = skip_annotation(p, end);
			const char *q = p + 1;
			while (q < close && *q != '>' && *q != '<') {
				if (*q == '\\')
					q++;
				q++;
			}
			if (q > close)
				q = close;
			ps->ret_fd.b = p + 1;
			ps->ret_fd.e = q;
			p = close;
		}
	}
	p = skip_spaces(p, end);
	if (p < end && *p == 'E') {
		const char *q = p;
		while (q < end && is_ident(*q))
			q++;
		ps->err.b = p;
		ps->err.e = q;
	}
	return 0;
}

static int parse_args_and_ret(struct parse *ps, const char *line,
			      const char *p, const char *end)
{
	for (;;) {
		p = skip_spaces(p, end);
		if (p >= end)
			return -1;
		if (starts(p, end, "<unfinished ...>")) {
			ps->kind = STRACE_UNFINISHED;
			ps->unfinished_at = (size_t)(p - line);
			return 0;
		}
		/* a non-leader thread's execve: strace prints the call as
		 * unfinished under the thread's pid and resumes it under the
		 * leader's ("+++ superseded by execve in pid T +++" between) */
		if (starts(p, end, "<pid changed to ")) {
			long long np = 0;
			const char *q = parse_number(p + 16, end, &np);
			if (!q || np <= 0 || np > INT_MAX || !starts(q, end, " ...>"))
				return -1;
			ps->kind = STRACE_UNFINISHED;
			ps->unfinished_at = (size_t)(p - line);
			ps->new_pid = (int)np;
			return 0;
		}
		if (*p == ')')
			return parse_ret(ps, p + 1, end);
		const char *q = scan_value(p, end);
		push_arg(ps, p, q);
		if (q >= end)
			return -1;
		if (*q == ',')
			q++;
		p = q;
	}
}

/* "+++ killed by SIGKILL" / "--- SIGCHLD {...}": the signal name at p. */
static int signal_line(struct parse *ps, const char *p, const char *end,
		       enum strace_kind kind)
{
	const char *q = p;
	while (q < end && is_ident(*q))
		q++;
	if (q == p)
		return -1;
	ps->kind = kind;
	ps->signal.b = p;
	ps->signal.e = q;
	return 0;
}

static int parse_spans(const char *line, size_t len, struct parse *ps)
{
	const char *p = line, *end = line + len;
	memset(ps, 0, sizeof(*ps));
	ps->kind = STRACE_OTHER;
	ps->args = scratch_args;

	/* "1234 " or "[pid  1234] " */
	bool bracketed = starts(p, end, "[pid");
	if (bracketed)
		p = skip_spaces(p + 4, end);
	if (p < end && is_digit(*p)) {
		long v = 0;
		while (p < end && is_digit(*p)) {
			if (v < INT_MAX / 10)
				v = v * 10 + (*p - '0');
			else
				v = INT_MAX;
			p++;
		}
		ps->pid = (int)v;
		if (bracketed && p < end && *p == ']')
			p++;
		p = skip_spaces(p, end);
	}
	/* optional -t/-tt/-ttt timestamp: "12:34:56[.123456] " or "123.456 " */
	if (p < end && is_digit(*p)) {
		const char *q = p;
		while (q < end && (is_digit(*q) || *q == ':' || *q == '.'))
			q++;
		if (q < end && *q == ' ')
			p = skip_spaces(q, end);
	}

	if (starts(p, end, "+++ ")) {
		p += 4;
		if (starts(p, end, "exited with ")) {
			long long v = 0;
			const char *q = parse_number(p + 12, end, &v);
			if (!q)
				return -1;
			ps->kind = STRACE_EXITED;
			ps->exit_status = (int)(v & 0xff);
			return 0;
		}
		if (starts(p, end, "killed by "))
			return signal_line(ps, p + 10, end, STRACE_KILLED);
		return -1;
	}
	if (starts(p, end, "--- ")) {
		p += 4;
		if (starts(p, end, "stopped by "))
			p += 11;
		return signal_line(ps, p, end, STRACE_SIGNAL);
	}
	if (starts(p, end, "<... ")) {
		p += 5;
		const char *q = p;
		while (q < end && is_ident(*q))
			q++;
		if (q == p || !starts(q, end, " resumed>"))
			return -1;
		ps->syscall.b = p;
		ps->syscall.e = q;
		p = q + 9;
		ps->kind = STRACE_RESUMED;
		ps->resumed_body = (size_t)(p - line);
		if (parse_args_and_ret(ps, line, p, end) < 0 ||
		    ps->kind != STRACE_RESUMED) {
			ps->kind = STRACE_OTHER;
			return -1;
		}
		return 0;
	}
	const char *q = p;
	while (q < end && is_ident(*q))
		q++;
	if (q == p || q >= end || *q != '(')
		return -1;
	ps->syscall.b = p;
	ps->syscall.e = q;
	ps->kind = STRACE_SYSCALL;
	if (parse_args_and_ret(ps, line, q + 1, end) < 0) {
		ps->kind = STRACE_OTHER;
		return -1;
	}
	return 0;
}

/* Decodes strace's escapes from [b,e) into dst; returns bytes written
 * (never more than e - b). */
static size_t decode(const char *b, const char *e, char *dst)
{
	char *o = dst;
	while (b < e) {
		/* binary data is mostly escapes: look for the next backslash
		 * only when not already on one */
		if (*b != '\\') {
			const char *bs = memchr(b, '\\', (size_t)(e - b));
			size_t run = bs ? (size_t)(bs - b) : (size_t)(e - b);
			memcpy(o, b, run);
			o += run;
			b += run;
			if (b >= e)
				break;
		}
		b++; /* the backslash */
		if (b >= e) {
			*o++ = '\\';
			break;
		}
		char c = *b++;
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'v': *o++ = '\v'; break;
		case 'f': *o++ = '\f'; break;
		case 'a': *o++ = '\a'; break;
		case 'b': *o++ = '\b'; break;
		case 'e': *o++ = 0x1b; break;
		case 'x': {
			unsigned v = 0;
			int n = 0;
			while (n < 2 && b < e) {
				char h = *b;
				int d = is_digit(h) ? h - '0'
					: (h >= 'a' && h <= 'f') ? h - 'a' + 10
					: (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
				if (d < 0)
					break;
				v = v * 16 + (unsigned)d;
				b++;
				n++;
			}
			*o++ = n ? (char)v : 'x';
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = (unsigned)(c - '0');
				for (int n = 1; n < 3 && b < e && *b >= '0' && *b <= '7'; n++)
					v = v * 8 + (unsigned)(*b++ - '0');
				*o++ = (char)(v & 0xff);
			} else {
				*o++ = c; /* \" \\ and anything unknown */
			}
		}
	}
	return (size_t)(o - dst);
}

static size_t span_len(struct span s) { return s.b ? (size_t)(s.e - s.b) : 0; }

/* Copies (decoding when asked) a span into the arena at *pos. */
static char *put(char **pos, struct span s, bool dec, size_t *outlen)
{
	if (!s.b)
		return NULL;
	char *dst = *pos;
	size_t n = dec ? decode(s.b, s.e, dst) : (size_t)(s.e - s.b);
	if (!dec)
		memcpy(dst, s.b, n);
	dst[n] = '\0';
	*pos += n + 1;
	if (outlen)
		*outlen = n;
	return dst;
}

static void materialise(const struct parse *ps, struct strace_line *out)
{
	size_t need = ps->nr * sizeof(struct strace_arg) + 8 +
		      span_len(ps->syscall) + span_len(ps->ret_fd) +
		      span_len(ps->err) + span_len(ps->signal) + 4;
	for (size_t i = 0; i < ps->nr; i++)
		need += span_len(ps->args[i].raw) + span_len(ps->args[i].str) +
			span_len(ps->args[i].fd) + 3;
	char *arena = xmalloc(need);
	struct strace_arg *args = (struct strace_arg *)(void *)arena;
	char *pos = arena + ps->nr * sizeof(struct strace_arg);

	memset(out, 0, sizeof(*out));
	out->kind = ps->kind;
	out->pid = ps->pid;
	out->args = args;
	out->nr_args = ps->nr;
	out->has_ret = ps->has_ret;
	out->ret = ps->ret;
	out->exit_status = ps->exit_status;
	out->syscall = put(&pos, ps->syscall, false, NULL);
	out->ret_fd_path = put(&pos, ps->ret_fd, true, NULL);
	out->err = put(&pos, ps->err, false, NULL);
	out->signal = put(&pos, ps->signal, false, NULL);
	for (size_t i = 0; i < ps->nr; i++) {
		const struct argspan *a = &ps->args[i];
		struct strace_arg *d = &args[i];
		d->raw = put(&pos, a->raw, false, NULL);
		d->str_len = 0;
		d->str = put(&pos, a->str, true, &d->str_len);
		d->truncated = a->truncated;
		d->fd_path = put(&pos, a->fd, true, NULL);
	}
}

int strace_parse_line(const char *line, size_t len, struct strace_line *out)
{
	struct parse ps;
	if (!line)
		len = 0;
	if (len && line[len - 1] == '\n')
		len--;
	int r = parse_spans(line ? line : "", len, &ps);
	if (r < 0) {
		int pid = ps.pid;
		memset(&ps, 0, sizeof(ps));
		ps.kind = STRACE_OTHER;
		ps.pid = pid;
	}
	materialise(&ps, out);
	return r;
}

void strace_line_clear(struct strace_line *l)
{
	if (!l)
		return;
	free(l->args); /* the arena: every string of the line lives in it */
	memset(l, 0, sizeof(*l));
}

/* ---- helpers ---- */

int strace_open_access(const char *flags)
{
	if (!flags)
		return STRACE_ACCESS_READ;
	const char *p = flags;
	while (*p == ' ' || *p == '{')
		p++;
	if (is_digit(*p))
		return STRACE_ACCESS_READ | STRACE_ACCESS_WRITE; /* unknown bits */
	int acc = 0;
	bool path_only = false;
	while (*p) {
		while (*p && !is_ident(*p))
			p++;
		const char *b = p;
		while (is_ident(*p))
			p++;
		size_t n = (size_t)(p - b);
#define TOK(s) (n == sizeof(s) - 1 && memcmp(b, s, n) == 0)
		if (TOK("O_WRONLY") || TOK("O_CREAT") || TOK("O_TRUNC") ||
		    TOK("O_APPEND") || TOK("O_TMPFILE"))
			acc |= STRACE_ACCESS_WRITE;
		else if (TOK("O_RDWR"))
			acc |= STRACE_ACCESS_WRITE | STRACE_ACCESS_READ;
		else if (TOK("O_PATH"))
			path_only = true;
#undef TOK
	}
	if (path_only && !(acc & STRACE_ACCESS_WRITE))
		return 0;
	/* O_RDONLY is 0: without O_WRONLY the file is readable */
	if (!strstr(flags, "O_WRONLY"))
		acc |= STRACE_ACCESS_READ;
	return acc;
}

/* Finds "key" in s outside quoted strings; returns the text after it. */
static const char *find_key(const char *s, const char *key)
{
	size_t n = strlen(key);
	const char *end = s + strlen(s);
	for (const char *p = s; p < end;) {
		if (*p == '"') {
			p = skip_string(p, end);
			continue;
		}
		if ((p == s || !is_ident(p[-1])) && (size_t)(end - p) >= n &&
		    memcmp(p, key, n) == 0)
			return p + n;
		p++;
	}
	return NULL;
}

/* Decodes the quoted string at p ("..." with escapes) into a new string. */
static char *quoted_at(const char *p)
{
	if (!p || *p != '"')
		return NULL;
	const char *end = p + strlen(p);
	bool closed;
	const char *q = skip_string_closed(p, end, &closed);
	if (!closed)
		return NULL;
	char *s = xmalloc((size_t)(q - p));
	size_t n = decode(p + 1, q - 1, s);
	s[n] = '\0';
	return s;
}

static bool port_after(const char *s, const char *key, long *port)
{
	const char *p = find_key(s, key);
	if (!p)
		return false;
	if (strncmp(p, "htons(", 6) == 0)
		p += 6;
	long long v;
	const char *e = parse_number(p, p + strlen(p), &v);
	if (!e || v < 0 || v > 65535)
		return false;
	*port = (long)v;
	return true;
}

int strace_sockaddr_peer(const char *raw, char **out)
{
	*out = NULL;
	if (!raw)
		return -1;
	const char *fam = find_key(raw, "sa_family=");
	if (!fam)
		return -1;
	const char *fe = fam;
	while (is_ident(*fe))
		fe++;
	size_t fn = (size_t)(fe - fam);
	long port = 0;
	if (fn == 7 && strncmp(fam, "AF_INET", 7) == 0) {
		const char *a = find_key(fam, "inet_addr(");
		_cleanup_free_ char *addr = quoted_at(a);
		if (!addr || !port_after(fam, "sin_port=", &port))
			return -1;
		*out = xasprintf("%s:%ld", addr, port);
		return 0;
	}
	if (fn == 8 && strncmp(fam, "AF_INET6", 8) == 0) {
		const char *a = find_key(fam, "inet_pton(AF_INET6, ");
		_cleanup_free_ char *addr = quoted_at(a);
		if (!addr || !port_after(fam, "sin6_port=", &port))
			return -1;
		*out = xasprintf("[%s]:%ld", addr, port);
		return 0;
	}
	if (fn == 7 && strncmp(fam, "AF_UNIX", 7) == 0) {
		const char *a = find_key(fam, "sun_path=");
		if (!a)
			return -1;
		bool abstract = *a == '@';
		char *path = quoted_at(abstract ? a + 1 : a);
		if (!path)
			return -1;
		if (abstract) {
			*out = xasprintf("@%s", path);
			free(path);
		} else {
			*out = path;
		}
		return 0;
	}
	if (fn == 0)
		return -1;
	*out = xstrndup(fam, fn); /* "AF_NETLINK": a family, not an address */
	return 0;
}

int strace_fd_peer(const char *fd_path, char **out)
{
	*out = NULL;
	if (!fd_path)
		return -1;
	const char *arrow = strstr(fd_path, "->");
	const char *br = strchr(fd_path, '[');
	if (!arrow || !br || arrow < br)
		return -1;
	const char *p = arrow + 2;
	size_t n = strlen(p);
	if (n == 0 || p[n - 1] != ']')
		return -1;
	n--;
	if (n == 0)
		return -1;
	*out = xstrndup(p, n);
	return 0;
}

int strace_arg_strings(const struct strace_arg *a, struct strvec *out,
		       bool *truncated)
{
	if (truncated)
		*truncated = false;
	if (!a || !a->raw || a->raw[0] != '[')
		return -1;
	const char *p = a->raw + 1, *end = a->raw + strlen(a->raw);
	while (p < end) {
		p = skip_spaces(p, end);
		if (p >= end || *p == ']') {
			if (p < end && truncated && starts(p + 1, end, "..."))
				*truncated = true;
			return 0;
		}
		if (*p == '/' && starts(p, end, "/*")) { /* "[/\* 5 vars *\/]": envp shown as a count */
			const char *c = strstr(p, "*/");
			p = c ? c + 2 : end;
			continue;
		}
		if (*p == '.' && starts(p, end, "...")) {
			if (truncated)
				*truncated = true;
			p += 3;
			continue;
		}
		if (*p != '"')
			return -1;
		bool closed;
		const char *q = skip_string_closed(p, end, &closed);
		if (!closed)
			return -1;
		char *s = xmalloc((size_t)(q - p));
		size_t n = decode(p + 1, q - 1, s);
		s[n] = '\0';
		strvec_push_nodup(out, s);
		if (starts(q, end, "...")) {
			if (truncated)
				*truncated = true;
			q += 3;
		}
		p = skip_spaces(q, end);
		if (p < end && *p == ',')
			p++;
	}
	return 0;
}

/* ---- joiner ---- */
struct pending {
	int pid;
	struct strbuf text; /* "PID  name(args, " up to " <unfinished ...>" */
};
struct strace_joiner {
	struct pending *v;
	size_t nr, alloc;
	struct strbuf joined;
};

struct strace_joiner *strace_joiner_new(void)
{
	struct strace_joiner *j = xcalloc(1, sizeof(*j));
	strbuf_init(&j->joined, 0);
	return j;
}

void strace_joiner_free(struct strace_joiner *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->alloc; i++)
		strbuf_release(&j->v[i].text);
	free(j->v);
	strbuf_release(&j->joined);
	free(j);
}

static struct pending *find_pending(struct strace_joiner *j, int pid)
{
	for (size_t i = 0; i < j->nr; i++)
		if (j->v[i].pid == pid)
			return &j->v[i];
	return NULL;
}

static void drop_pending(struct strace_joiner *j, struct pending *p)
{
	/* swap with the last one; keep the buffers for reuse */
	struct pending *last = &j->v[j->nr - 1];
	if (p != last) {
		struct pending tmp = *p;
		*p = *last;
		*last = tmp;
	}
	strbuf_reset(&last->text);
	j->nr--;
}

int strace_joiner_feed(struct strace_joiner *j, const char *line, size_t len,
		       struct strace_line *out)
{
	struct parse ps;
	if (!line)
		len = 0;
	if (len && line[len - 1] == '\n')
		len--;
	if (!line)
		line = "";
	int r = parse_spans(line, len, &ps);
	if (r == 0 && ps.kind == STRACE_UNFINISHED) {
		/* keyed by the pid its "resumed" half will carry */
		int key = ps.new_pid > 0 ? ps.new_pid : ps.pid;
		struct pending *p = find_pending(j, key);
		if (!p) {
			if (j->nr == j->alloc) {
				size_t old = j->alloc;
				GROW(j->v, j->alloc, j->nr + 1);
				for (size_t i = old; i < j->alloc; i++)
					strbuf_init(&j->v[i].text, 0);
			}
			p = &j->v[j->nr++];
			p->pid = key;
		}
		strbuf_reset(&p->text);
		strbuf_add(&p->text, line, ps.unfinished_at);
		return 0;
	}
	if (r == 0 && ps.kind == STRACE_RESUMED) {
		struct pending *p = find_pending(j, ps.pid);
		if (p) {
			strbuf_reset(&j->joined);
			strbuf_add(&j->joined, p->text.buf, p->text.len);
			strbuf_add(&j->joined, line + ps.resumed_body,
				   len - ps.resumed_body);
			drop_pending(j, p);
			/* a join that does not parse comes out as STRACE_OTHER;
			 * the pid is the resumed half's (they differ after a
			 * thread's execve) */
			strace_parse_line(j->joined.buf, j->joined.len, out);
			out->pid = ps.pid;
			return 1;
		}
		/* a resumed half without its start (strace attached late):
		 * passed through as STRACE_RESUMED */
	}
	if (r == 0 && (ps.kind == STRACE_EXITED || ps.kind == STRACE_KILLED)) {
		struct pending *p = find_pending(j, ps.pid);
		if (p)
			drop_pending(j, p);
	}
	if (r < 0) {
		int pid = ps.pid;
		memset(&ps, 0, sizeof(ps));
		ps.kind = STRACE_OTHER;
		ps.pid = pid;
	}
	materialise(&ps, out);
	return 1;
}
