/*
 * pep503.h - project names (PEP 503 §Normalized names, PEP 508 §Names).
 */
#ifndef PIPCANARY_PEP503_H
#define PIPCANARY_PEP503_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns the normalised form of a project name: lower case, every run of
 * '-', '_' and '.' replaced by one '-' ("Ruamel_YAML" -> "ruamel-yaml").
 * The caller owns the result. PEP 503 §Normalized names.
 */
char *pep503_normalise(const char *name);
/* Same, of the first len bytes of name. */
char *pep503_normalise_n(const char *name, size_t len);

/*
 * True when name is a valid project name: ASCII letters and digits at both
 * ends, letters, digits, '-', '_', '.' inside (PEP 508 §Names, case
 * insensitive).
 */
bool pep503_valid(const char *name);

#endif
