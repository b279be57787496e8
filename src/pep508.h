/*
 * pep508.h - PEP 508 dependency specifiers: requirement strings and
 * environment markers.
 *
 * Every function is total on arbitrary bytes: bad input gives -1 with a
 * one-line message, never a crash.
 */
#ifndef PIPCANARY_PEP508_H
#define PIPCANARY_PEP508_H

#include "util.h"

struct pep508_req {
	char *name;            /* as written */
	struct strvec extras;  /* as written, in order */
	char *specifier;       /* ">=1.0,<2" with spaces removed, NULL if none
	                          (parenthesised form "(>=1.0)" accepted) */
	char *url;             /* "name @ url": the URL, else NULL */
	char *marker;          /* marker text after ';', trimmed, else NULL */
};

/*
 * Parses one requirement string (PEP 508 §Grammar: name, [extras],
 * versionspec or "@ url", "; marker"). The specifier is checked with
 * pep440_specset_parse() and the marker is checked for syntax. Where
 * packaging is laxer than the PEP text we follow the PEP: a name must end
 * in a letter or digit ("name_" is refused), and a URL needs a scheme and,
 * except for file:, a "//host" part. Extras are kept as written, duplicates
 * included (packaging keeps a set). Returns 0 and
 * fills *out (release with pep508_req_clear()), or -1 with *err set to a
 * one-line message naming what is wrong (caller frees); *out is then empty.
 */
int pep508_parse(const char *s, struct pep508_req *out, char **err);
/* Frees every field of r and leaves it empty (safe on an empty/zeroed r). */
void pep508_req_clear(struct pep508_req *r);

/* The marker environment (PEP 508 §Environment Markers); NULL fields are
 * treated as "". */
struct marker_env {
	const char *python_version, *python_full_version, *os_name,
		*sys_platform, *platform_system, *platform_machine,
		*platform_release, *platform_version, *implementation_name,
		*implementation_version, *platform_python_implementation,
		*extra;
};

/*
 * The environment of the running host for the given "3.11.2"-style Python
 * version (uname for platform_*, "posix", "linux", "cpython"). Static
 * storage; python_full_version NULL means "3.11.7" of python3 is unknown:
 * callers fill it (python_version, python_full_version and
 * implementation_version are then NULL). extra is NULL.
 */
void marker_env_host(struct marker_env *env, const char *python_full_version);

/*
 * Evaluates a marker (PEP 508 §Environment Markers: and/or/parentheses,
 * ==, !=, <, <=, >, >=, ~=, ===, in, not in; either side a variable or a
 * quoted string in ' or "). Returns 1 (true), 0 (false) or -1 with *err set
 * (malformed marker; caller frees). Version comparisons use PEP 440 when
 * both sides are versions, string comparison otherwise, as PEP 508 says;
 * `extra` is compared with PEP 503-normalised names on both sides.
 */
int pep508_marker_eval(const char *marker, const struct marker_env *env, char **err);

/* Checks the syntax of a marker only. Returns 0, or -1 with *err set. */
int pep508_marker_check(const char *marker, char **err);

#endif
