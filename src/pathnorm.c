/* pathnorm.c - lexical path normalisation with /proc aliases (pathnorm.h). */
#include "pathnorm.h"

#include <string.h>

void path_lexical(struct strbuf *sb)
{
	char *s = sb->buf;
	size_t n = sb->len, i = 0, w;

	if (n == 0 || s[0] != '/') {
		/* Callers hand absolute paths; be safe for anything else. */
		struct strbuf tmp = STRBUF_INIT;
		strbuf_addch(&tmp, '/');
		strbuf_add(&tmp, sb->buf, sb->len);
		strbuf_reset(sb);
		strbuf_add(sb, tmp.buf, tmp.len);
		strbuf_release(&tmp);
		s = sb->buf;
		n = sb->len;
	}
	/*
	 * In place: w (write) never passes i (read), because every component
	 * written is preceded by at least one '/' that was read.
	 */
	w = 1;
	while (i < n) {
		while (i < n && s[i] == '/')
			i++;
		size_t start = i;
		while (i < n && s[i] != '/')
			i++;
		size_t len = i - start;
		if (len == 0)
			break;
		if (len == 1 && s[start] == '.')
			continue;
		if (len == 2 && s[start] == '.' && s[start + 1] == '.') {
			while (w > 1 && s[w - 1] != '/')
				w--;
			if (w > 1)
				w--; /* the '/' before the popped component */
			continue;
		}
		if (w > 1)
			s[w++] = '/';
		memmove(s + w, s + start, len);
		w += len;
	}
	strbuf_setlen(sb, w);
}

bool path_is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Parses the decimal number at s (no sign); returns its end or NULL. */
static const char *parse_num(const char *s, int *out)
{
	long v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > 1 << 30)
			return NULL;
		p++;
	}
	if (p == s)
		return NULL;
	*out = (int)v;
	return p;
}

/*
 * One rewrite of a /proc alias at the start of the normalised path s.
 * Returns true and fills out when something was rewritten.
 */
static bool rewrite_proc(const char *s, struct strbuf *out,
			 const struct path_ctx *ctx)
{
	int who = -1, fd = -1;
	const char *p;

	if (!str_starts_with(s, "/proc/"))
		return false;
	p = s + 6;
	if (str_starts_with(p, "self") && (p[4] == '/' || !p[4]))
		p += 4;
	else if (str_starts_with(p, "thread-self") && (p[11] == '/' || !p[11]))
		p += 11;
	else if (!(p = parse_num(p, &who)) || (*p != '/' && *p))
		return false;
	if (*p != '/')
		return false;
	p++;
	if (str_starts_with(p, "root") && (p[4] == '/' || !p[4])) {
		strbuf_reset(out);
		strbuf_addch(out, '/');
		strbuf_addstr(out, p + 4);
		return true;
	}
	if (str_starts_with(p, "cwd") && (p[3] == '/' || !p[3])) {
		const char *cwd = NULL;
		if (who == -1 && ctx && ctx->cwd)
			cwd = ctx->cwd;
		else if (ctx && ctx->lookup)
			cwd = ctx->lookup(ctx->data, who, -1);
		if (!cwd || cwd[0] != '/')
			return false;
		strbuf_reset(out);
		strbuf_addstr(out, cwd);
		strbuf_addch(out, '/');
		strbuf_addstr(out, p + 3);
		return true;
	}
	if (str_starts_with(p, "fd/") && ctx && ctx->lookup) {
		const char *q = parse_num(p + 3, &fd);
		const char *target;
		if (!q || (*q != '/' && *q))
			return false;
		target = ctx->lookup(ctx->data, who, fd);
		if (!target || target[0] != '/')
			return false; /* pipe:[..], socket:[..], memfd: stay as is */
		strbuf_reset(out);
		strbuf_addstr(out, target);
		strbuf_addch(out, '/');
		strbuf_addstr(out, q);
		return true;
	}
	return false;
}

void path_normalise(struct strbuf *out, const char *base, const char *path,
		    const struct path_ctx *ctx)
{
	struct strbuf tmp = STRBUF_INIT;

	strbuf_reset(out);
	if (path[0] != '/') {
		if (base && base[0] == '/')
			strbuf_addstr(out, base);
		strbuf_addch(out, '/');
	}
	strbuf_addstr(out, path);
	path_lexical(out);
	for (int i = 0; i < 8; i++) {
		if (!rewrite_proc(out->buf, &tmp, ctx))
			break;
		strbuf_reset(out);
		strbuf_add(out, tmp.buf, tmp.len);
		path_lexical(out);
	}
	strbuf_release(&tmp);
}
