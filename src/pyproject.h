/*
 * pyproject.h - pyproject.toml turned into requirements.
 *
 * TOML is parsed by Python's tomllib in a helper (probe/pyproject_reqs.py,
 * run with the user's --python) that prints the dependency tables as JSON;
 * this module reads that JSON (jansson) and converts:
 *   - PEP 621 [project].dependencies, [project.optional-dependencies] with
 *     --extra / --all-extras, a project naming itself ("proj[a]") expanded;
 *   - PEP 735 [dependency-groups] with --group, {include-group = "..."}
 *     with normalised names and cycle detection;
 *   - Poetry [tool.poetry.dependencies], [tool.poetry.group.NAME
 *     .dependencies] (and the old dev-dependencies as group "dev"),
 *     [tool.poetry.extras]; constraints with ^ ~ * and exact versions,
 *     inline tables (version, extras, markers, python, platform, optional,
 *     git, url, allow-prereleases); `python` is not a package; a
 *     python = "~2.7 || ^3.6" restriction becomes an "or" marker.
 * dynamic = ["dependencies"] without Poetry dependencies is a problem: they
 * are computed at build time and cannot be read statically.
 */
#ifndef PIPCANARY_PYPROJECT_H
#define PIPCANARY_PYPROJECT_H

#include "model.h"

struct pyproject_opts {
	const char *python;          /* runs the helper; NULL: "python3" */
	const char *probe_dir;       /* NULL: $PIPCANARY_PROBE_DIR, else the
					built-in PIPCANARY_PROBE_DIR */
	const struct strvec *extras; /* --extra, PEP 503-normalised; may be NULL */
	bool all_extras;             /* --all-extras */
	const struct strvec *groups; /* --group, normalised; may be NULL */
};

/*
 * Reads the pyproject.toml at path into *in (requirements appended with
 * file = path and line = the line that names them, as well as it can be
 * found). Every problem is appended to *problems as "FILE:LINE: what is
 * wrong" (TOML syntax, bad requirement strings, unknown --extra/--group,
 * include-group cycles, dynamic dependencies, local paths...).
 * Returns the number of problems added.
 */
int pyproject_read(struct input *in, const char *path,
		   const struct pyproject_opts *o, struct strvec *problems);

/*
 * The second half of pyproject_read(), public for the fuzz target: converts
 * the helper's JSON output (json, len bytes: untrusted shape; the tables
 * "project", "dependency-groups", "poetry") into *in as pyproject_read()
 * does. path names the file in problems; toml_text (may be NULL) is the
 * file's text, used only to find line numbers. Returns the number of
 * problems added to *problems (bad JSON is one problem).
 */
int pyproject_convert_json(struct input *in, const char *path,
			   const char *toml_text, const char *json, size_t len,
			   const struct pyproject_opts *o,
			   struct strvec *problems);

/*
 * Converts a Poetry version constraint to a PEP 440 specifier set
 * (poetry-core's semantics, upper bounds written with as many release
 * components as the bumped one needs):
 *   "^1.2.3" -> ">=1.2.3,<2"       "^0.2.3" -> ">=0.2.3,<0.3"
 *   "^0.0.3" -> ">=0.0.3,<0.0.4"   "^0.10.11.post1" -> ">=0.10.11.post1,<0.11"
 *   "~1.2.3" -> ">=1.2.3,<1.3"     "~1" -> ">=1,<2"
 *   "1.2.3" -> "==1.2.3"   "1.2.*" -> "==1.2.*"   "*" -> ""
 *   ">= 1.2, < 2" and ">=1.2 <2" -> ">=1.2,<2"; "~=", "==", "!=" as is.
 * Returns 0 with *out set (caller frees; "" for any version), or -1 with
 * *err (one line, caller frees): "||" alternatives (no PEP 440 form), a
 * version that is not PEP 440.
 */
int poetry_constraint(const char *c, char **out, char **err);

#endif
