/*
 * cooldown.h - the cool-down check (brief §Cool-Down Phase): is a release
 * too recent, is it covered by --allow-upload-time, and which release is
 * the next suitable one to suggest instead.
 *
 * Pure functions over data already fetched (pypi.h); audit.c does the
 * requests. Versions and specifiers are PEP 440 (pep440.h), requirements
 * and markers PEP 508 (pep508.h); no string comparison of versions.
 */
#ifndef PIPCANARY_COOLDOWN_H
#define PIPCANARY_COOLDOWN_H

#include "model.h"
#include "options.h"
#include "pep508.h"
#include "pypi.h"

#include <time.h>

/*
 * Evaluates the files of one release against the cool-down of opts
 * (cool_down_days, now, allowances) and fills c->too_recent,
 * c->upload_unknown, c->newest_upload ("YYYY-MM-DDTHH:MM:SS" UTC of the
 * newest known upload, NULL when none is known) and c->allowed.
 * Too recent: the newest upload is after now - cool_down_days days, or some
 * file has no upload time, or there are no files at all. Allowed: an
 * allowance for `normalised` reaches at least the newest upload, and every
 * upload time is known. cool_down_days == 0 turns the check off (nothing is
 * too recent).
 */
void cooldown_evaluate(const char *normalised, const struct release_file *files,
		       size_t nr_files, const struct options *opts,
		       struct cooldown *c);

/*
 * Appends to *out every specifier placed on the distribution `normalised`:
 * the user's requirements of that name (constraints included) and the
 * Requires-Dist lines of the other installed distributions in scan, as pip
 * resolved them: markers are evaluated in env, with `extra` set to each
 * extra requested of the requiring distribution (by the user's input or by
 * another distribution's Requires-Dist) and to none. Requirements without a
 * specifier add nothing. Unparsable Requires-Dist lines or markers are
 * appended to *problems as one line each ("<dist>: Requires-Dist '<line>':
 * <why>") and otherwise ignored.
 */
void cooldown_specifiers(const char *normalised, const struct input *in,
			 const struct scan_result *scan,
			 const struct marker_env *env, struct strvec *out,
			 struct strvec *problems);

/* What a suggested release must satisfy. */
struct cooldown_policy {
	const char *specifier;    /* every clause joined by ","; "" or NULL: any */
	bool allow_pre;           /* the user allowed pre-releases (--pre) */
	const char *python_version; /* "3.11.2": requires_python must admit it;
				       NULL: not checked */
	time_t cutoff;            /* every upload at or before this... */
	time_t allowed_until;     /* ...or at or before this (-1: no allowance) */
};

/*
 * Returns the version (as the API spells it; caller frees) of the newest
 * release of proj (PEP 440 order) that satisfies pol: it parses as a PEP 440
 * version, has files and not all of them are yanked (a yanked file does not
 * yank its release), is in pol->specifier (pre-releases only when
 * allow_pre or a clause names one), one of its non-yanked files admits
 * python_version in requires_python (a missing or unparsable
 * requires_python admits every Python, as pip does), and all its files have
 * a known upload time within the cutoff or allowance. Returns NULL when no
 * release qualifies, or when pol->specifier does not parse (then *err is
 * set, caller frees; otherwise *err is left alone).
 */
char *cooldown_suggest(const struct pypi_project *proj,
		       const struct cooldown_policy *pol, char **err);

#endif
