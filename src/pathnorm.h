/*
 * pathnorm.h - lexical normalisation of the paths a traced process names,
 * so that rules see one absolute spelling for every way of naming a file.
 *
 * The paths are those of the sandbox (strace prints the tracee's view: the
 * -yy annotations and the string arguments). The normalisation is lexical
 * (like Python's os.path.normpath, plus the /proc aliases below): symbolic
 * links are not followed here; the monitor matches the path the kernel
 * returns for a successful open (-yy "= 3</real/path>") as well, which
 * covers symlinks and the magic links of /proc.
 */
#ifndef PIPCANARY_PATHNORM_H
#define PIPCANARY_PATHNORM_H

#include "util.h"

/*
 * What the /proc aliases resolve against. lookup(data, who, fd) returns the
 * borrowed path of /proc/<who>/cwd (fd == -1) or of /proc/<who>/fd/<fd>;
 * who is -1 for "self" / "thread-self", else the pid as the tracee names
 * it (a pid of the sandbox's pid namespace). NULL when unknown. lookup may
 * be NULL (no /proc/.../fd/N resolution).
 */
struct path_ctx {
	const char *cwd; /* the process's working directory, or NULL */
	const char *(*lookup)(void *data, int who, int fd);
	void *data;
};

/*
 * Writes the normalised absolute form of `path` into out (reset first):
 * - a relative path is joined to `base` (the dirfd's -y path or the cwd;
 *   "/" when base is NULL or not absolute); an empty path gives base;
 * - "//" and "/./" collapse, ".." removes the previous component (never
 *   above "/"), a trailing "/" goes;
 * - /proc/self/root/X, /proc/thread-self/root/X and /proc/<n>/root/X give /X
 *   (the sandbox has one root); /proc/self/cwd/X gives <cwd>/X and
 *   /proc/self/fd/N/X gives <fd path>/X when ctx knows them (rewrites are
 *   applied repeatedly, at most 8 times, for nested aliases).
 * Bytes other than '/' and '.' are copied unchanged (names may hold any
 * byte but NUL). out always ends up holding a path starting with '/'.
 */
void path_normalise(struct strbuf *out, const char *base, const char *path,
		    const struct path_ctx *ctx);

/*
 * Lexical part only, in place: sb holds an absolute path; collapses "//",
 * ".", ".." and a trailing "/" as above.
 */
void path_lexical(struct strbuf *sb);

/* True when path is dir or below it ("/a/b" is under "/a", "/ab" is not). */
bool path_is_under(const char *path, const char *dir);

#endif
