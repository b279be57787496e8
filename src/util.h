/*
 * util.h - the small utility layer every PipCanary module shares.
 *
 * Ownership conventions (after bubblewrap's utils.h):
 *   - A function that returns `char *` or a struct pointer hands the caller
 *     ownership unless its comment says "borrowed".
 *   - `_cleanup_free_ char *p = ...;` frees p when it goes out of scope;
 *     `steal_pointer(&p)` hands it on and leaves NULL behind.
 *   - Allocation failure is not an error path: xmalloc() and friends abort
 *     with a message (exit 70, internal error), so callers never check.
 *
 * Strings are handled with `struct strbuf` (a growable, always
 * NUL-terminated byte buffer, after git's strbuf.h) and lists of strings with
 * `struct strvec` (a NULL-terminated vector usable as an argv).
 *
 * Errors that end the program go through die(code, fmt, ...) with one of the
 * documented exit codes below; it prints "pipcanary: <message>" on stderr.
 * Before exiting, die() runs the hook set with set_die_hook() (the sandbox
 * uses it to remove its workspace).
 */
#ifndef PIPCANARY_UTIL_H
#define PIPCANARY_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* Exit codes (DESIGN.md §Exit codes; documented in --help and the man page). */
enum exit_code {
	EXIT_OK = 0,          /* nothing found */
	EXIT_WARNINGS = 1,    /* known vulnerabilities or cool-down warnings */
	EXIT_MALICIOUS = 2,   /* malicious behaviour found, scan stopped */
	EXIT_USAGE = 64,      /* bad command line or bad input file (EX_USAGE) */
	EXIT_UNAVAILABLE = 69,/* bwrap, strace, python, index or API missing */
	EXIT_INTERNAL = 70,   /* internal error (EX_SOFTWARE) */
};

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_fclose_ _cleanup_(cleanup_fclosep)
#define _cleanup_fd_ _cleanup_(cleanup_fdp)
#define _cleanup_strbuf_ _cleanup_(strbuf_release)
#define _cleanup_strvec_ _cleanup_(strvec_clear)
#define PC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PC_NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void cleanup_freep(void *p);
void cleanup_fclosep(FILE **fp);
void cleanup_fdp(int *fdp);

/* Returns *pp and sets *pp to NULL: hands ownership on (bubblewrap). */
static inline void *steal_pointer(void *pp)
{
	void **p = (void **)pp;
	void *v = *p;
	*p = NULL;
	return v;
}

/* Allocation that never returns NULL: on failure prints and exits 70. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PC_PRINTF(1, 2);

/*
 * Grows *array (of *alloc elements of size elem) so that it holds at least
 * `need` elements; doubles to keep appends amortised O(1).
 */
void grow_array(void **array, size_t *alloc, size_t need, size_t elem);
#define GROW(arr, alloc, need) \
	grow_array((void **)&(arr), &(alloc), (need), sizeof(*(arr)))

/* Program name used in messages ("pipcanary"). */
extern const char *prog_name;

/*
 * die(): print "pipcanary: <msg>" to stderr, run the die hook, exit(code).
 * warnx(): print "pipcanary: <msg>" to stderr and go on.
 */
PC_NORETURN void die(int code, const char *fmt, ...) PC_PRINTF(2, 3);
void warnx(const char *fmt, ...) PC_PRINTF(1, 2);
/* Hook run once by die() before exiting (workspace removal); NULL to clear. */
void set_die_hook(void (*hook)(void));
/* Hook run before die() and warnx() print (clears the progress line). */
void set_message_hook(void (*hook)(void));

/* ---- strbuf: growable NUL-terminated byte buffer (git's strbuf.h) ---- */
struct strbuf {
	size_t alloc;
	size_t len;
	char *buf; /* never NULL after strbuf_init: "" when empty */
};
#define STRBUF_INIT {0, 0, strbuf_empty}
extern char strbuf_empty[];

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);          /* frees, back to INIT */
char *strbuf_detach(struct strbuf *sb);           /* caller owns result */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);             /* len = 0, keeps memory */
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PC_PRINTF(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_trim(struct strbuf *sb);              /* both ends, isspace */
/*
 * Reads the whole file at path into sb (appends). Returns 0, or -1 with
 * errno set (file missing, unreadable, a directory: EISDIR).
 * Refuses files over max_bytes with EFBIG (0 = no limit).
 */
int strbuf_read_file(struct strbuf *sb, const char *path, size_t max_bytes);
/* Reads all of fd until EOF (appends). Returns 0 or -1 with errno. */
int strbuf_read_fd(struct strbuf *sb, int fd, size_t max_bytes);

/* ---- strvec: NULL-terminated vector of owned strings (git's strvec.h) ---- */
struct strvec {
	char **v; /* v[nr] == NULL when nr > 0; NULL when empty */
	size_t nr;
	size_t alloc;
};
#define STRVEC_INIT {NULL, 0, 0}

void strvec_push(struct strvec *sv, const char *s);        /* copies s */
void strvec_push_nodup(struct strvec *sv, char *s);        /* takes s */
void strvec_pushf(struct strvec *sv, const char *fmt, ...) PC_PRINTF(2, 3);
void strvec_pushl(struct strvec *sv, ...);                 /* NULL-ended */
void strvec_clear(struct strvec *sv);
bool strvec_contains(const struct strvec *sv, const char *s);
/* Joins the elements with sep into a new string ("" when empty). */
char *strvec_join(const struct strvec *sv, const char *sep);
/* Sorts in strcmp order. */
void strvec_sort(struct strvec *sv);

/* ---- small string helpers ---- */
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* True when s is a SHA-256 digest in hex: exactly 64 hex digits, any case. */
bool str_is_sha256_hex(const char *s);
/* A lower-case copy of s (ASCII only); caller frees. */
char *xstrdup_lower(const char *s);
/*
 * Appends s to sb quoted for a one-line message ('...'): control bytes and
 * '\' as \xNN, at most max bytes shown, "..." after a cut. For messages
 * that quote untrusted input.
 */
void strbuf_add_quoted(struct strbuf *sb, const char *s, size_t max);
/* Parses a whole decimal number in [min,max]; returns false if not. */
bool parse_long(const char *s, long min, long max, long *out);

/* ---- files ---- */
/*
 * Removes path and everything below it, without following symlinks and
 * without crossing into other file systems. Returns 0 or -1 (errno of the
 * first failure; it still removes what it can).
 */
int rm_rf(const char *path);
/*
 * Writes data to path atomically: a temporary file in the same folder,
 * fsync, rename. Returns 0, or -1 with errno (nothing left behind; EINVAL
 * when path exists and is not a regular file: a device, a FIFO or a
 * symlink is never replaced).
 */
int write_file_atomic(const char *path, const char *data, size_t len, int mode);

/* Monotonic clock in seconds (for timings and time limits). */
double now_monotonic(void);

#endif
