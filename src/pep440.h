/*
 * pep440.h - PEP 440 versions and specifiers.
 *
 * Versions are parsed in the permissive form PEP 440 §Normalization accepts
 * (case, a leading 'v', alternate spellings of pre/post/dev, '.', '-', '_'
 * separators, implicit post "1.0-1", surrounding whitespace) and compared as
 * PEP 440 §Summary of permitted suffixes and relative ordering says.
 * Release numbers are kept as digit strings, so huge numbers compare exactly
 * and never overflow.
 *
 * Every function is total on arbitrary bytes: bad input gives NULL / false /
 * an error message, never a crash.
 */
#ifndef PIPCANARY_PEP440_H
#define PIPCANARY_PEP440_H

#include <stdbool.h>

struct pep440_version;                       /* opaque, owned by caller */

/*
 * Parses a version (normalising as PEP 440 §Normalization says: case, 'v'
 * prefix, alternate spellings of pre/post/dev, separators, local). Returns
 * NULL when not a valid PEP 440 version (or s is NULL). Caller frees with
 * pep440_free().
 */
struct pep440_version *pep440_parse(const char *s);
/* Frees v (NULL is fine). */
void pep440_free(struct pep440_version *v);

/*
 * Returns <0, 0, >0 as a is before, equal to, after b in the order of
 * PEP 440 §Summary of permitted suffixes and relative ordering (trailing
 * zeros of the release are ignored: 1.0 == 1.0.0; local versions sort after
 * the same public version, by segment: numeric > alphanumeric).
 */
int pep440_compare(const struct pep440_version *a, const struct pep440_version *b);
/*
 * Convenience on strings: sets *cmp as pep440_compare() and returns true;
 * returns false (and leaves *cmp alone) when either is not a version.
 */
bool pep440_compare_str(const char *a, const char *b, int *cmp);
/* True when v has a pre-release segment (a/b/rc) or a dev segment. */
bool pep440_is_prerelease(const struct pep440_version *v);
/* Returns the normalised text of v, e.g. "1!2.0rc1.post2.dev3+ubuntu.1"; caller frees. */
char *pep440_normalised(const struct pep440_version *v);

/* Accessors (borrowed results). */
/* True when v has a local segment ("+..."). */
bool pep440_has_local(const struct pep440_version *v);
/* True when v is a post-release (".postN" or implicit "-N"). */
bool pep440_is_postrelease(const struct pep440_version *v);
/* True when v is a developmental release (".devN"). */
bool pep440_is_devrelease(const struct pep440_version *v);
/*
 * Returns the normalised public version of v (no local segment), e.g.
 * "1.0.post1" of "1.0-1+abc"; caller frees.
 */
char *pep440_public(const struct pep440_version *v);

struct pep440_specset;                       /* opaque: "~=1.4,!=1.5.*" */

/*
 * Parses a comma-separated specifier set (may be "" or only whitespace =
 * any version). Returns NULL and sets *err (one line, caller frees) when
 * malformed: unknown operator, bad version, ".*" where not allowed, "~="
 * with a single release segment, local version with an ordered operator.
 * PEP 440 §Version specifiers.
 */
struct pep440_specset *pep440_specset_parse(const char *s, char **err);
/* Frees ss (NULL is fine). */
void pep440_specset_free(struct pep440_specset *ss);
/*
 * True when v satisfies every clause. Pre-releases: PEP 440 §Handling of
 * pre-releases: excluded unless allow_pre or a clause names a pre-release
 * (as pip/packaging do, a pre-release is still accepted when allow_pre is
 * false only if some clause's own version is a pre-release).
 */
bool pep440_specset_contains(const struct pep440_specset *ss,
                             const struct pep440_version *v, bool allow_pre);
/* Same on a version string; false when s is not a version. */
bool pep440_specset_contains_str(const struct pep440_specset *ss,
                                 const char *s, bool allow_pre);
/* Number of clauses in ss (0 for the empty set "any"). */
int pep440_specset_count(const struct pep440_specset *ss);
/* Normalised text of ss, clauses joined by "," (e.g. ">=1.0,<2"); caller frees. */
char *pep440_specset_str(const struct pep440_specset *ss);

#endif
