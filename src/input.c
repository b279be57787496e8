/* input.c - see input.h: requirements files and pyproject.toml into one
 * struct input, checked as a whole. */
#include "input.h"
#include "pyproject.h"
#include "reqfile.h"

#include <string.h>
#include <strings.h>

/* The pip options that take a value (argv words after them in pip_options). */
static bool takes_value(const char *opt)
{
	static const char *const with_value[] = {
		"--index-url",   "--extra-index-url", "--find-links",
		"--no-binary",   "--only-binary",     "--trusted-host",
		"--use-feature",
	};
	for (size_t i = 0; i < ARRAY_SIZE(with_value); i++)
		if (!strcmp(opt, with_value[i]))
			return true;
	return false;
}

/*
 * A hash in a URL's fragment ("#sha256=..."; pip's Link hash names), which
 * pip trusts for a URL the user wrote (InstallRequirement.hashes()).
 */
static bool url_has_hash(const char *url)
{
	static const char *const algos[] = {"sha512=", "sha384=", "sha256=",
					    "sha224=", "sha1=",   "md5="};
	for (const char *p = strchr(url, '#'); p; p = strpbrk(p + 1, "#&"))
		for (size_t i = 0; i < ARRAY_SIZE(algos); i++)
			if (str_starts_with(p + 1, algos[i]))
				return true;
	return false;
}

/* "git+https://...": pip cannot hash-check version control checkouts. */
static bool is_vcs(const char *url)
{
	static const char *const vcs[] = {"git+", "hg+", "svn+", "bzr+"};
	for (size_t i = 0; i < ARRAY_SIZE(vcs); i++)
		if (!strncasecmp(url, vcs[i], strlen(vcs[i])))
			return true;
	return false;
}

/* "==1.0" or "===1.0": the only specifiers pip's hash-checking mode takes. */
static bool pinned(const struct requirement *r)
{
	if (r->url)
		return true; /* a URL names one artifact */
	if (!r->specifier || strchr(r->specifier, ','))
		return false;
	return str_starts_with(r->specifier, "==") &&
	       !str_ends_with(r->specifier, ".*");
}

/*
 * pip's hash-checking mode (--require-hashes, or any --hash in the input)
 * wants every requirement pinned and hashed; pip would stop inside the
 * sandbox, so say it here with the line.
 */
static int check_hashes(struct input *in, struct strvec *problems)
{
	bool mode = in->require_hashes;
	for (size_t i = 0; i < in->nr && !mode; i++)
		mode = in->reqs[i].hashes.nr > 0;
	if (!mode)
		return 0;
	int n = 0;
	const char *why = in->require_hashes ? "--require-hashes is on"
					     : "other requirements have --hash";
	for (size_t i = 0; i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		if (r->constraint)
			continue;
		if (r->url && is_vcs(r->url)) {
			strvec_pushf(problems, "%s:%d: %s: a version control URL "
				     "cannot be hash-checked (%s: pip's "
				     "hash-checking mode)", r->file, r->line,
				     r->text, why);
			n++;
		} else if (!pinned(r)) {
			strvec_pushf(problems, "%s:%d: %s must be pinned with == "
				     "(%s: pip's hash-checking mode)", r->file,
				     r->line, r->text, why);
			n++;
		} else if (!r->hashes.nr && !(r->url && url_has_hash(r->url))) {
			strvec_pushf(problems, "%s:%d: %s has no --hash (%s: "
				     "pip's hash-checking mode)", r->file,
				     r->line, r->text, why);
			n++;
		}
	}
	return n;
}

/*
 * Every requirement is written for pip on a line of its own and read again
 * by pip's req_file.py: refuse those pip would read differently from what
 * was checked here (a marker holding " #", a trailing '\', a newline from a
 * ${VAR} or a pyproject string...), with the line they came from.
 */
static int check_pip_readable(const struct input *in, struct strvec *problems)
{
	int n = 0;
	for (size_t i = 0; i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		const char *why = pip_line_problem(r->text, false);
		for (size_t k = 0; !why && k < r->hashes.nr; k++)
			why = pip_line_problem(r->hashes.v[k], true);
		if (!why)
			continue;
		_cleanup_strbuf_ struct strbuf shown = STRBUF_INIT;
		strbuf_add_quoted(&shown, r->text, 200);
		strvec_pushf(problems, "%s:%d: requirement %s %s: pip would "
			     "read it differently from the requirements file "
			     "PipCanary writes for it", r->file, r->line,
			     shown.buf, why);
		n++;
	}
	return n;
}

int input_load(struct input *in, const struct options *opts)
{
	_cleanup_strvec_ struct strvec problems = STRVEC_INIT;
	struct reqfile_env env = {.python = opts->python};
	struct pyproject_opts po = {
		.python = opts->python,
		.extras = &opts->extras,
		.all_extras = opts->all_extras,
		.groups = &opts->groups,
	};
	bool any_pyproject = false;
	int n = 0;
	for (size_t i = 0; i < opts->req_files.nr; i++) {
		const char *path = opts->req_files.v[i];
		strvec_push(&in->files, path);
		if (str_ends_with(path, ".toml")) {
			any_pyproject = true;
			n += pyproject_read(in, path, &po, &problems);
		} else {
			n += reqfile_read(in, path, &env, &problems);
		}
	}
	reqfile_env_clear(&env);
	if (!any_pyproject && (opts->extras.nr || opts->all_extras ||
			       opts->groups.nr)) {
		strvec_pushf(&problems, "%s: %s applies to pyproject.toml input "
			     "only (give -r pyproject.toml)",
			     opts->req_files.nr ? opts->req_files.v[0] : "input",
			     opts->groups.nr ? "--group" : "--extra");
		n++;
	}
	n += check_pip_readable(in, &problems);
	if (!n)
		n += check_hashes(in, &problems);
	for (size_t i = 0; i < problems.nr; i++)
		fprintf(stderr, "%s\n", problems.v[i]);
	return (int)problems.nr;
}

static void write_req(struct strbuf *sb, const struct requirement *r)
{
	strbuf_addstr(sb, r->text);
	for (size_t i = 0; i < r->hashes.nr; i++)
		strbuf_addf(sb, " --hash=%s", r->hashes.v[i]);
	strbuf_addch(sb, '\n');
}

void input_write_requirements(const struct input *in, struct strbuf *reqs,
			      struct strbuf *constraints_out)
{
	for (size_t i = 0; i < in->pip_options.nr; i++) {
		const char *o = in->pip_options.v[i];
		strbuf_addstr(reqs, o);
		if (takes_value(o) && i + 1 < in->pip_options.nr)
			strbuf_addf(reqs, " %s", in->pip_options.v[++i]);
		strbuf_addch(reqs, '\n');
	}
	for (size_t i = 0; i < in->nr; i++) {
		const struct requirement *r = &in->reqs[i];
		if (!r->constraint)
			write_req(reqs, r);
		else if (constraints_out)
			write_req(constraints_out, r);
	}
}
