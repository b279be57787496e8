/*
 * reqfile.h - requirements files read as pip reads them.
 *
 * pip's src/pip/_internal/req/req_file.py is the reference: the file is
 * decoded (BOM, "# -*- coding:" declaration, else UTF-8), split into lines
 * (CRLF and CR accepted), lines ending in '\' are joined before comments are
 * stripped ('#' at line start or after whitespace), ${VAR} is expanded, and
 * each logical line is either a requirement (PEP 508, with per-line --hash
 * options) or a line of file-level options (-r/-c includes, index options,
 * --pre, --require-hashes...).
 *
 * Where pip guesses or silently ignores, PipCanary reports a problem
 * instead: a --hash line without a requirement, options pip would ignore on
 * a requirement line, editable (-e) and local path requirements (they
 * cannot be scanned from an index), include cycles.
 */
#ifndef PIPCANARY_REQFILE_H
#define PIPCANARY_REQFILE_H

#include "model.h"

/*
 * What the reader needs to evaluate markers on -r/-c lines
 * ("-r other.txt ; python_version < '3.0'"): the Python whose environment
 * counts (the one pip runs with). python_full_version ("3.11.2") may be
 * given; when NULL it is asked from `python` the first time a marker needs
 * it and kept in `cached` (free with reqfile_env_clear()).
 */
struct reqfile_env {
	const char *python;
	const char *python_full_version;
	char *cached;
};
void reqfile_env_clear(struct reqfile_env *env);

/*
 * Returns the Python version of env ("3.11.2"; borrowed), asking
 * env->python once when needed; NULL with *err set (caller frees) when the
 * Python cannot be run.
 */
const char *reqfile_env_python_version(struct reqfile_env *env, char **err);

/*
 * Reads the requirements file at path, and the files it includes with -r
 * (requirements) and -c (constraints: requirement.constraint set), into
 * *in: requirements are appended in file order; file-level options are
 * appended to in->pip_options as argv words in their long form
 * ("--index-url", "URL"; "--pre"), each (option, value) once, and set
 * in->pre / in->require_hashes. Every problem found is appended to
 * *problems as one line "FILE:LINE: what is wrong" (FILE as pip would name
 * it: include paths joined to the including file's folder); reading goes
 * on after a problem so that all of them are reported.
 * Returns the number of problems added (0: the file is good).
 */
int reqfile_read(struct input *in, const char *path, struct reqfile_env *env,
		 struct strvec *problems);

/*
 * Decodes the bytes of a requirements file into UTF-8 (appended to *out)
 * as pip's auto_decode does: a UTF-8, UTF-16 or UTF-32 byte order mark
 * decides, else a PEP 263 "coding:" declaration on one of the first two
 * lines ('#' lines), else the bytes must be UTF-8. Returns 0, or -1 with
 * *err (one line, caller frees) when the bytes are not in that encoding.
 */
int reqfile_decode(const char *data, size_t len, struct strbuf *out,
		   char **err);

/*
 * Fills *r (zeroed by the caller) from one PEP 508 requirement string:
 * name, normalised name (PEP 503), normalised extras, specifier (spaces
 * removed), URL, marker (written as packaging's str(Marker) does: one space
 * between tokens, strings in double quotes: 'python_version >= "3.8"'),
 * and `text`, the normalised form handed to pip
 * ('name[extra1,extra2]>=1.0,<2; marker', 'name @ URL ; marker').
 * Rejects what cannot be installed from an index: local paths, archive file
 * names, URLs without a project name, "name @ file:..." URLs.
 * Returns 0, or -1 with *err (one line, caller frees); *r is then cleared.
 */
int requirement_parse(struct requirement *r, const char *s, char **err);

/* Appends the normalised form of r (its `text`, see requirement_parse()). */
void requirement_format(struct strbuf *sb, const struct requirement *r);

/*
 * Why pip would not read s back as written when it is put on a line of the
 * requirements file PipCanary writes for pip (input_write_requirements):
 * pip's req_file.py splits lines (\n \r \v \f \x1c-\x1e U+0085 U+2028
 * U+2029), joins a line ending in '\' with the next, cuts a comment at
 * '#' after whitespace, expands ${NAME} again and starts the options at the
 * first word beginning with '-'; option values are also split with shlex.
 * as_value: s is an option value (no whitespace, quotes or backslashes
 * either: pip cannot be given them on one line unquoted, and we do not
 * quote). Returns a static description ("holds a newline or other control
 * character", ...), or NULL when pip reads s exactly.
 */
const char *pip_line_problem(const char *s, bool as_value);

#endif
