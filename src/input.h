/*
 * input.h - reads the user's input files into one flat struct input.
 *
 * A requirements file is read as pip reads it (pip's req_file.py is the
 * reference: continuations, comments, -r/-c includes, options, ${VAR},
 * encodings); a file whose name ends in ".toml" is a pyproject.toml (PEP 621,
 * PEP 735, Poetry), parsed by Python's tomllib in a helper (probe/).
 */
#ifndef PIPCANARY_INPUT_H
#define PIPCANARY_INPUT_H

#include "model.h"
#include "options.h"

/*
 * Reads every opts->req_files entry (with opts->extras, all_extras, groups
 * for pyproject files) into *in (zeroed by the caller). Requirements naming
 * the same project (PEP 503) are kept as separate lines: pip merges them.
 * pip's hash-checking mode (--require-hashes, or any --hash) is checked up
 * front, as pip would check it inside the sandbox: every requirement pinned
 * with ==/=== or a URL, each with a --hash (or a URL "#sha256=" fragment),
 * no version control URLs.
 * Returns 0, or the number of problems after printing each one as
 * "FILE:LINE: what is wrong" on stderr (the caller exits 64).
 */
int input_load(struct input *in, const struct options *opts);

/*
 * Writes the flattened requirement list into reqs: file-level options first
 * (one per line, e.g. "--index-url https://..."), then one requirement per
 * line with its --hash options. Constraint lines (from -c files) go to
 * constraints_out, one per line, handed to pip with -c; when constraints_out
 * is NULL they are left out. This is what pip reads inside the sandbox and
 * what --print-requirements prints.
 */
void input_write_requirements(const struct input *in, struct strbuf *reqs,
			      struct strbuf *constraints_out);

#endif
